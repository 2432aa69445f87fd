package dev.dynamo.node.transport;

import io.netty.handler.ssl.ClientAuth;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslContextBuilder;
import javax.net.ssl.SSLException;
import org.springframework.boot.ssl.SslBundle;
import org.springframework.boot.ssl.SslBundles;
import org.springframework.boot.ssl.SslOptions;

/**
 * The transport's TLS from a Spring Boot SSL bundle ({@code spring.ssl.bundle.pem.*} or {@code .jks.*}):
 * the node presents the bundle's key and certificate on both sides of every connection and trusts the
 * certificates its trust material does. When the bundle is reloaded ({@code reload-on-update}) new
 * connections use the new material.
 */
public final class SslBundleTls {

    private SslBundleTls() {
    }

    /** TLS as {@code properties} configure it, bundles looked up in {@code bundles} (unused when the mode is off). */
    public static TransportTls of(TlsProperties properties, SslBundles bundles) {
        if (properties.mode() == TlsMode.OFF) {
            return TransportTls.OFF;
        }
        ClientAuth clientAuth = properties.clientAuth() == TlsProperties.ClientAuth.NEED
                ? ClientAuth.REQUIRE : ClientAuth.OPTIONAL; // peers without one are refused by the handshake
        SslBundle bundle = bundles.getBundle(properties.bundle());
        TransportTls tls = new TransportTls(properties.mode(), accepting(bundle, clientAuth), dialling(bundle));
        bundles.addBundleUpdateHandler(properties.bundle(), updated -> tls.use(accepting(updated, clientAuth),
                dialling(updated)));
        return tls;
    }

    private static SslContext accepting(SslBundle bundle, ClientAuth clientAuth) {
        return build(SslContextBuilder.forServer(bundle.getManagers().getKeyManagerFactory())
                .trustManager(bundle.getManagers().getTrustManagerFactory())
                .clientAuth(clientAuth), bundle);
    }

    /**
     * Peers are dialled by their advertised address, which their certificate need not name: what makes a
     * peer is a certificate the bundle trusts (a CA of the cluster's own) and the cluster secret.
     */
    private static SslContext dialling(SslBundle bundle) {
        return build(SslContextBuilder.forClient()
                .keyManager(bundle.getManagers().getKeyManagerFactory())
                .trustManager(bundle.getManagers().getTrustManagerFactory())
                .endpointIdentificationAlgorithm(null), bundle);
    }

    /** The bundle's protocols and ciphers when it names any (null keeps Netty's defaults). */
    private static SslContext build(SslContextBuilder builder, SslBundle bundle) {
        SslOptions options = bundle.getOptions();
        try {
            return builder.protocols(options.getEnabledProtocols()).ciphers(SslOptions.asSet(options.getCiphers())).build();
        } catch (SSLException e) {
            throw new IllegalStateException("cannot make a TLS context of the SSL bundle: " + e.getMessage(), e);
        }
    }
}

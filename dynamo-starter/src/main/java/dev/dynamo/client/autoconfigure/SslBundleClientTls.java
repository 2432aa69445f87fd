package dev.dynamo.client.autoconfigure;

import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslContextBuilder;
import javax.net.ssl.SSLException;
import org.springframework.boot.ssl.SslBundle;
import org.springframework.boot.ssl.SslOptions;

/** The client's Netty TLS context from a Spring Boot SSL bundle. */
final class SslBundleClientTls {

    private SslBundleClientTls() {
    }

    /** Trusts what {@code bundle} trusts, presents its key when it holds one, and names the host HTTPS-style when asked. */
    static SslContext of(SslBundle bundle, boolean verifyHostname) {
        SslOptions options = bundle.getOptions(); // null protocols or ciphers keep Netty's defaults
        try {
            return SslContextBuilder.forClient()
                    .keyManager(bundle.getManagers().getKeyManagerFactory())
                    .trustManager(bundle.getManagers().getTrustManagerFactory())
                    .endpointIdentificationAlgorithm(verifyHostname ? "HTTPS" : null)
                    .protocols(options.getEnabledProtocols()).ciphers(SslOptions.asSet(options.getCiphers())).build();
        } catch (SSLException e) {
            throw new IllegalStateException("cannot make a TLS context of SSL bundle: " + e.getMessage(), e);
        }
    }
}

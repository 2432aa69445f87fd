package dev.dynamo.node.transport;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * TLS on the transport's port, for peers and binary clients alike.
 *
 * @param mode       off, transitional (clear and TLS accepted, peers dialled with TLS) or required
 * @param bundle     name of the Spring Boot SSL bundle ({@code spring.ssl.bundle.*}) holding the node's key and
 *                   certificate and the certificates it trusts; required unless the mode is off
 * @param clientAuth whether binary clients must present a certificate too (need) or may (want); peers always must
 */
@ConfigurationProperties("dynamo.transport.ssl")
public record TlsProperties(
        @DefaultValue("off") TlsMode mode,
        String bundle,
        @DefaultValue("want") ClientAuth clientAuth) {

    /** Whether a connecting party must present a certificate; peers must whatever this says. */
    public enum ClientAuth {
        WANT, NEED
    }

    /** Refuses settings the transport cannot work with, naming the property. */
    public TlsProperties {
        if (mode != TlsMode.OFF && (bundle == null || bundle.isBlank())) {
            throw new IllegalArgumentException(
                    "dynamo.transport.ssl.bundle must name an SSL bundle when dynamo.transport.ssl.mode is " + mode);
        }
    }
}

package dev.dynamo.node.api;

import java.nio.charset.StandardCharsets;
import org.springframework.boot.tomcat.servlet.TomcatServletWebServerFactory;
import org.springframework.boot.web.server.WebServerFactoryCustomizer;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/** The HTTP edge: the Tomcat settings keys with any bytes need. */
@Configuration(proxyBeanMethods = false)
class HttpConfiguration {

    /**
     * Keys may hold any bytes: pass encoded '/' and '\\' through to {@link KvPath} undecoded, and
     * decode the path as ISO-8859-1 so bytes that are not UTF-8 are not refused before we see them.
     */
    @Bean
    WebServerFactoryCustomizer<TomcatServletWebServerFactory> keysWithAnyBytes() {
        return factory -> factory.addConnectorCustomizers(connector -> {
            connector.setEncodedSolidusHandling("passthrough");
            connector.setEncodedReverseSolidusHandling("passthrough");
            connector.setRejectSuspiciousURIs(false);
            connector.setURIEncoding(StandardCharsets.ISO_8859_1.name());
        });
    }
}

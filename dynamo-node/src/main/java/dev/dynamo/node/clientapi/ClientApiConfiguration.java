package dev.dynamo.node.clientapi;

import dev.dynamo.node.transport.NettyTransport;
import org.springframework.context.SmartLifecycle;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * The binary client API. Guarded like the HTTP data API ({@code /kv/**}) by the ClientGate of
 * {@code dynamo.security.data-api}: open by default, else a client's hello must carry an account. A
 * client never proves the cluster secret, which an application must not hold, and its connection can
 * reach client requests only.
 */
@Configuration(proxyBeanMethods = false)
class ClientApiConfiguration {

    /** Serves clients once every bean is ready, and stops before they close, like the peers' handler. */
    @Bean
    SmartLifecycle clientServing(NettyTransport transport, ClientService service) {
        return new SmartLifecycle() {
            private volatile boolean running;

            @Override
            public void start() {
                transport.serveClients(service);
                running = true;
            }

            @Override
            public void stop() {
                transport.serveClients(null);
                running = false;
            }

            @Override
            public boolean isRunning() {
                return running;
            }
        };
    }
}

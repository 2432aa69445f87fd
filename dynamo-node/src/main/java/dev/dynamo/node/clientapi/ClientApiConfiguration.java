package dev.dynamo.node.clientapi;

import dev.dynamo.node.transport.NettyTransport;
import java.time.Duration;
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

    /** How long a stopping node waits for its clients to leave: a busy client learns of the stop within it. */
    private static final Duration CLIENTS_LEAVING = Duration.ofSeconds(2);

    /**
     * Serves clients once every bean is ready, and on stop, before anything closes, stops serving them
     * without cutting off a request ({@link NettyTransport#stopServingClients}).
     */
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
                running = false;
                try {
                    transport.stopServingClients(CLIENTS_LEAVING);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }

            @Override
            public boolean isRunning() {
                return running;
            }
        };
    }
}

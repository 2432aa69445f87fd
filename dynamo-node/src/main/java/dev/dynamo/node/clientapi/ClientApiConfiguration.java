package dev.dynamo.node.clientapi;

import dev.dynamo.node.transport.NettyTransport;
import java.time.Duration;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
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

    private static final Logger log = LoggerFactory.getLogger(ClientApiConfiguration.class);
    /** How long a stopping node waits for its clients to leave: a busy client learns of the stop within it. */
    private static final Duration CLIENTS_LEAVING = Duration.ofSeconds(2);

    /**
     * Serves clients once every bean is ready. On stop, before anything closes, the node accepts no more
     * connections and answers new requests "not served" (either way the client takes them to another
     * node), those being served are given up to the
     * transport's request lifetime to finish, and clients up to {@link #CLIENTS_LEAVING} to close their
     * connections (a client does so once answered "not served" with nothing outstanding), so that closing
     * the transport cuts off no request a client has sent.
     */
    @Bean
    SmartLifecycle clientServing(NettyTransport transport, ClientService service) {
        DrainingClientHandler serving = new DrainingClientHandler(service);
        return new SmartLifecycle() {
            private volatile boolean running;

            @Override
            public void start() {
                transport.serveClients(serving);
                running = true;
            }

            @Override
            public void stop() {
                transport.stopAccepting();
                transport.serveClients(null);
                running = false;
                try {
                    if (!serving.awaitIdle(transport.requestLifetime())) {
                        log.warn("Stopping with client requests still unanswered after {}", transport.requestLifetime());
                    } else if (!transport.awaitClientsGone(CLIENTS_LEAVING)) {
                        log.info("Stopping with client connections open that sent nothing for {}", CLIENTS_LEAVING);
                    }
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

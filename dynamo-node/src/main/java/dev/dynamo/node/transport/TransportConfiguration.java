package dev.dynamo.node.transport;

import dev.dynamo.core.wire.Message;
import dev.dynamo.node.secret.ClusterSecret;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicReference;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.ssl.SslBundles;
import org.springframework.context.SmartLifecycle;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * The Netty transport. It binds as soon as it is created, since the node's advertised address
 * (with the port the OS picked when the port is 0) is part of its identity in the ring; until the
 * node has started, peers get {@code UNAVAILABLE}.
 */
@Configuration(proxyBeanMethods = false)
class TransportConfiguration {

    private final AtomicReference<MessageHandler> handler = new AtomicReference<>();

    @Bean(destroyMethod = "close")
    NettyTransport transport(TransportProperties properties, ClientLimits clientLimits, ClusterSecret secret,
            ObjectProvider<ClientGate> gate, TlsProperties tls, ObjectProvider<SslBundles> bundles) {
        secret.requireFor(properties.host()); // before anything listens
        NettyTransport transport = new NettyTransport(properties, clientLimits, secret.peerKey(),
                SslBundleTls.of(tls, bundles.getObject()));
        // before it listens, so that no client is ever admitted by a gate more open than the configured one
        transport.admitClients(gate.getIfAvailable(() -> ClientGate.OPEN));
        transport.start(request -> {
            MessageHandler ready = handler.get();
            return ready != null ? ready.handle(request) : CompletableFuture.completedFuture(
                    new Message.Failure(Message.Failure.Kind.UNAVAILABLE, "the node is starting"));
        });
        return transport;
    }

    /** Hands peers' requests to the node's handler once every bean is ready, and stops before they close. */
    @Bean
    SmartLifecycle transportHandler(ObjectProvider<MessageHandler> node) {
        return new SmartLifecycle() {
            @Override
            public void start() {
                handler.set(node.getObject());
            }

            @Override
            public void stop() {
                handler.set(null);
            }

            @Override
            public boolean isRunning() {
                return handler.get() != null;
            }
        };
    }
}

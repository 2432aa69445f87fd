package dev.dynamo.node.transport;

import dev.dynamo.core.wire.Message;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.function.Function;
import java.util.function.IntConsumer;

/**
 * A transport for tests of the parts above it: every request is answered by {@code replies}, at once or
 * when the test completes the future; limits as the Netty transport's defaults.
 */
public record ScriptedTransport(String localAddress, Function<Message, CompletableFuture<Message>> replies)
        implements Transport {

    @Override
    public CompletableFuture<Message> request(String address, Message request, IntConsumer sizes) {
        return replies.apply(request);
    }

    @Override
    public Duration requestLifetime() {
        return Duration.ofSeconds(2);
    }

    @Override
    public int maxMessageSize() {
        return 16 << 20;
    }

    @Override
    public void close() {
    }
}

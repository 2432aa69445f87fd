package dev.dynamo.node.clientapi;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.dynamo.core.wire.ClientMessage;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

class DrainingClientHandlerTest {

    private static final ClientMessage REQUEST = new ClientMessage.RingFetch();

    @Test
    void idleOnlyOnceEveryRequestBeingServedIsAnswered() throws Exception {
        CompletableFuture<ClientMessage> pending = new CompletableFuture<>();
        DrainingClientHandler handler = new DrainingClientHandler(request -> pending);
        assertThat(handler.awaitIdle(Duration.ZERO)).as("nothing served yet").isTrue();

        CompletableFuture<ClientMessage> reply = handler.handle(REQUEST);
        assertThat(handler.awaitIdle(Duration.ofMillis(50))).as("a request still being served").isFalse();

        CompletableFuture<Boolean> idle = CompletableFuture.supplyAsync(() -> {
            try {
                return handler.awaitIdle(Duration.ofSeconds(10));
            } catch (InterruptedException e) {
                throw new IllegalStateException(e);
            }
        });
        pending.complete(new ClientMessage.NotServed("answered"));
        assertThat(idle.get(10, TimeUnit.SECONDS)).as("woken by the answer").isTrue();
        assertThat(reply).isCompleted();
    }

    @Test
    void aHandlerThatThrowsLeavesNothingCounted() throws Exception {
        DrainingClientHandler handler = new DrainingClientHandler(request -> {
            throw new IllegalStateException("broken");
        });
        assertThatThrownBy(() -> handler.handle(REQUEST)).isInstanceOf(IllegalStateException.class);
        assertThat(handler.awaitIdle(Duration.ZERO)).isTrue();
    }
}

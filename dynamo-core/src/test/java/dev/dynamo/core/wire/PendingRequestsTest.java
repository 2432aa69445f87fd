package dev.dynamo.core.wire;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class PendingRequestsTest {

    private static final Duration LONG = Duration.ofMinutes(1);

    private final ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor();
    private final PendingRequests<String> pending = new PendingRequests<>();
    private final List<Long> written = new CopyOnWriteArrayList<>();

    @AfterEach
    void stop() {
        timer.shutdownNow();
    }

    private CompletableFuture<String> send(Duration timeout) {
        return pending.send(written::add, timer, timeout, () -> new IllegalStateException("timed out"));
    }

    @Test
    void requestsAreWrittenOnlyOnceTheConnectionOpensAndEachGetsItsOwnReply() {
        CompletableFuture<String> first = send(LONG);
        CompletableFuture<String> second = send(LONG);
        assertThat(written).isEmpty();

        pending.open();
        assertThat(written).containsExactlyInAnyOrder(1L, 2L);
        assertThat(pending.complete(2, "two")).isTrue();
        assertThat(pending.complete(1, "one")).isTrue();
        assertThat(pending.complete(1, "again")).isFalse();

        assertThat(first).isCompletedWithValue("one");
        assertThat(second).isCompletedWithValue("two");
        assertThat(pending.hasOpened()).isTrue();
    }

    @Test
    void aRequestTimesOutWithTheCallersExceptionAndIsNeverWrittenAfterwards() {
        CompletableFuture<String> reply = send(Duration.ofMillis(10));
        assertThatThrownBy(reply::join).hasCauseInstanceOf(IllegalStateException.class).hasMessageContaining("timed out");

        pending.open();
        assertThat(written).isEmpty();
        assertThat(pending.complete(1, "late")).isFalse();
    }

    @Test
    void theEndFailsWaitingAndLaterRequestsWithTheFirstCause() {
        CompletableFuture<String> waiting = send(LONG);
        pending.end(new IllegalStateException("first"));
        pending.end(new IllegalStateException("second"));

        assertThatThrownBy(waiting::join).hasMessageContaining("first");
        assertThatThrownBy(send(LONG)::join).hasMessageContaining("first");
        assertThat(pending.isOver()).isTrue();
        assertThat(pending.hasOpened()).isFalse();
        pending.open();
        assertThat(written).isEmpty();
    }

    @Test
    void aStoppedTimerRefusesTheRequestAndForgetsIt() {
        timer.shutdown();
        assertThatThrownBy(() -> send(LONG)).isInstanceOf(RejectedExecutionException.class);
        pending.open();
        assertThat(written).isEmpty();
    }
}

package dev.dynamo.node.simulation;

import static org.assertj.core.api.Assertions.assertThat;

import dev.dynamo.core.ring.Member;
import dev.dynamo.core.wire.Message;
import dev.dynamo.node.transport.Transport;
import dev.dynamo.node.transport.TransportException;
import java.time.Duration;
import java.util.List;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import org.junit.jupiter.api.Test;

class SimulatedNetworkTest {

    private static final Duration TIMEOUT = Duration.ofSeconds(1);
    private static final Member ONE = new Member("node1", "node1:7070", "default");

    private final SimulatedScheduler scheduler = new SimulatedScheduler(10_000);
    private final SimulatedNetwork network =
            new SimulatedNetwork(scheduler, new Random(1), new Trace(scheduler::elapsed), TIMEOUT);
    private final Incarnation sender = new Incarnation("node2", 1);
    private final Transport transport = network.connect("node2:7070", sender);

    SimulatedNetworkTest() {
        network.serve(ONE.address(), new Incarnation("node1", 1),
                request -> CompletableFuture.completedFuture(new Message.Described(ONE)));
    }

    @Test
    void aRequestIsAnsweredAfterADelayThroughTheCodec() {
        CompletableFuture<Message> reply = transport.request(ONE.address(), new Message.Describe());

        assertThat(reply).isNotDone();
        assertThat(scheduler.runUntil(reply::isDone, TIMEOUT)).isTrue();
        assertThat(reply.join()).isEqualTo(new Message.Described(ONE));
        assertThat(scheduler.elapsed()).isPositive().isLessThan(TIMEOUT);
    }

    @Test
    void acrossAPartitionARequestTimesOutAndAfterHealingItIsAnswered() {
        network.partition(List.of(Set.of(ONE.address())));
        CompletableFuture<Message> cut = transport.request(ONE.address(), new Message.Describe());
        scheduler.runUntilIdle();
        assertThat(failure(cut)).isInstanceOf(TransportException.class).hasMessageContaining("no reply");
        assertThat(scheduler.elapsed()).isEqualTo(TIMEOUT);

        network.heal();
        CompletableFuture<Message> healed = transport.request(ONE.address(), new Message.Describe());
        scheduler.runUntilIdle();
        assertThat(healed.join()).isInstanceOf(Message.Described.class);
    }

    @Test
    void aNodeThatIsDownRefusesAtOnce() {
        network.detach(ONE.address());
        CompletableFuture<Message> refused = transport.request(ONE.address(), new Message.Describe());
        scheduler.runUntil(refused::isDone, TIMEOUT);
        assertThat(failure(refused)).hasMessageContaining("refused");
        assertThat(scheduler.elapsed()).isLessThan(TIMEOUT);
    }

    @Test
    void aReplyToACrashedIncarnationIsDropped() {
        CompletableFuture<Message> orphan = transport.request(ONE.address(), new Message.Describe());
        sender.end();
        scheduler.runUntilIdle();
        assertThat(orphan).as("neither the reply nor the timeout reaches a dead process").isNotDone();
    }

    private static Throwable failure(CompletableFuture<Message> future) {
        assertThat(future).isCompletedExceptionally();
        try {
            future.join();
            throw new AssertionError("expected a failure");
        } catch (CompletionException e) {
            return e.getCause();
        }
    }
}

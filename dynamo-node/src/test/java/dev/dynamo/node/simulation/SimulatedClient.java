package dev.dynamo.node.simulation;

import dev.dynamo.core.key.StorageKey;
import dev.dynamo.core.version.Content;
import dev.dynamo.core.version.VersionVector;
import dev.dynamo.core.version.VersionedValue;
import dev.dynamo.node.scheduling.Scheduler;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.TimeoutException;
import java.util.function.BiConsumer;
import java.util.function.Consumer;
import java.util.function.Supplier;

/**
 * An application talking to the cluster, one request at a time, to whichever node is up (as through
 * a load balancer): read-modify-writes that write with the context of their read, blind writes that
 * supersede nothing, and plain reads. Every written value is unique. A request with no answer within
 * the client's own timeout counts as failed, as when a node dies holding it.
 */
final class SimulatedClient {

    static final Duration TIMEOUT = Duration.ofSeconds(3);

    private final String name;
    private final SimulatedCluster cluster;
    private final History history;
    private final List<String> keys;
    private final Duration until;
    private final Random random;
    private int written;
    private boolean busy;

    SimulatedClient(String name, SimulatedCluster cluster, History history, List<String> keys, Duration until) {
        this.name = name;
        this.cluster = cluster;
        this.history = history;
        this.keys = keys;
        this.until = until;
        this.random = cluster.random();
    }

    void start() {
        busy = true;
        pause();
    }

    /** Whether the client stopped: its time is over and no request of its is in flight. */
    boolean done() {
        return !busy;
    }

    private void pause() {
        cluster.scheduler().schedule(Duration.ofMillis(10 + random.nextInt(150)), this::next);
    }

    private void next() {
        if (cluster.scheduler().elapsed().compareTo(until) >= 0) {
            busy = false;
            return;
        }
        String key = keys.get(random.nextInt(keys.size()));
        int choice = random.nextInt(10);
        if (choice < 5) {
            read(key, state -> write(key, state.clock(), SimulatedCluster.values(state)));
        } else if (choice < 8) {
            write(key, VersionVector.empty(), Set.of());
        } else {
            read(key, state -> pause());
        }
    }

    private void read(String key, Consumer<VersionedValue> then) {
        SimulatedNode node = pick();
        StorageKey stored = SimulatedCluster.key(key);
        call("read " + key + " at " + node, () -> node.coordinator().get(stored, SimulatedCluster.R), (state, error) -> {
            history.read(error == null);
            if (error == null) {
                then.accept(state);
            } else {
                pause();
            }
        });
    }

    private void write(String key, VersionVector context, Set<String> supersedes) {
        String value = name + "-" + ++written;
        // a quarter of the writes expire 1 to 21 s after they are issued (by virtual time, where node clocks start)
        long expiresAt = random.nextInt(4) == 0
                ? cluster.scheduler().instant().toEpochMilli() + 1_000 + random.nextInt(20_000) : Content.NEVER;
        History.Write write = history.issue(key, value, supersedes, expiresAt != Content.NEVER);
        SimulatedNode node = pick();
        Content content = new Content(value.getBytes(StandardCharsets.UTF_8), "text/plain", 0, false, expiresAt);
        call("write " + key + "=" + value + " over " + supersedes.stream().sorted().toList() + " at " + node,
                () -> node.coordinator().write(SimulatedCluster.key(key), context, content, SimulatedCluster.W),
                (state, error) -> {
                    if (error == null) {
                        history.acknowledged(write, state);
                    } else {
                        history.failed(write);
                    }
                    pause();
                });
    }

    /** A node that is up, or any node (the request is then refused) when all are down. */
    private SimulatedNode pick() {
        List<SimulatedNode> up = cluster.nodes().stream().filter(SimulatedNode::isUp).toList();
        return up.isEmpty() ? cluster.node(1) : up.get(random.nextInt(up.size()));
    }

    /** Sends a request, bounded by the client's timeout, and hands its one outcome on. */
    private <T> void call(String what, Supplier<CompletableFuture<T>> request, BiConsumer<T, Throwable> then) {
        CompletableFuture<T> outcome = new CompletableFuture<>();
        try {
            request.get().whenComplete((value, error) -> complete(outcome, value, error));
        } catch (RuntimeException e) {
            outcome.completeExceptionally(e);
        }
        Scheduler.Cancellable deadline = cluster.scheduler().schedule(TIMEOUT,
                () -> outcome.completeExceptionally(new TimeoutException("no answer in " + TIMEOUT)));
        outcome.whenComplete((value, error) -> {
            deadline.cancel();
            Throwable cause = error instanceof CompletionException && error.getCause() != null ? error.getCause() : error;
            cluster.trace().record(name + " " + what + (cause == null ? ": ok"
                    : ": " + cause.getClass().getSimpleName() + " " + cause.getMessage()));
            then.accept(value, cause);
        });
    }

    private static <T> void complete(CompletableFuture<T> outcome, T value, Throwable error) {
        if (error == null) {
            outcome.complete(value);
        } else {
            outcome.completeExceptionally(error);
        }
    }
}

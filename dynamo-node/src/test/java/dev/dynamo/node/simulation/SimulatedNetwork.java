package dev.dynamo.node.simulation;

import dev.dynamo.core.wire.Message;
import dev.dynamo.core.wire.MessageCodec;
import dev.dynamo.node.scheduling.Scheduler;
import dev.dynamo.node.transport.MessageHandler;
import dev.dynamo.node.transport.RequestNotSentException;
import dev.dynamo.node.transport.Transport;
import dev.dynamo.node.transport.TransportException;
import java.time.Duration;
import java.util.Collection;
import java.util.HashMap;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.function.IntConsumer;

/**
 * The in-memory network between simulated nodes. Every message is encoded and decoded with the wire
 * codec, as on Netty, and travels as a scheduled task after a seeded random delay. A message is lost
 * when dropped at random, when a partition separates its ends, or when its receiver has crashed; a
 * request to a node that is down is refused at once, as a closed port would be. A request with no
 * reply fails with {@link TransportException} after the request timeout, so every request gets
 * exactly one outcome, as the {@link Transport} contract says.
 */
final class SimulatedNetwork {

    /** A quiet LAN: every message takes 0.2 to 5 ms. */
    /** As the Netty transport's default frame limit. */
    private static final int MAX_MESSAGE_SIZE = 16 << 20;
    private static final long QUIET_MIN_DELAY_MICROS = 200;
    private static final long QUIET_MAX_DELAY_MICROS = 5_000;

    private final SimulatedScheduler scheduler;
    private final Random random;
    private final Trace trace;
    private final Duration requestTimeout;
    private final Map<String, Endpoint> endpoints = new HashMap<>();
    private final Map<String, Integer> sides = new HashMap<>();
    private double dropProbability;
    private double lateProbability;
    private long maxLateMicros;
    private long minDelayMicros = QUIET_MIN_DELAY_MICROS;
    private long maxDelayMicros = QUIET_MAX_DELAY_MICROS;
    private long requests;
    private long bytesSent;
    private final Map<String, Long> requestsTo = new HashMap<>();

    private record Endpoint(Incarnation incarnation, MessageHandler handler) {
    }

    SimulatedNetwork(SimulatedScheduler scheduler, Random random, Trace trace, Duration requestTimeout) {
        this.scheduler = scheduler;
        this.random = random;
        this.trace = trace;
        this.requestTimeout = requestTimeout;
    }

    /**
     * The transport an incarnation sends through. Its timeouts and the replies it awaits are tied to
     * the incarnation, so a crash drops them. It is not reachable until it {@link #serve}s.
     */
    Transport connect(String address, Incarnation incarnation) {
        Scheduler own = scheduler.guarded(incarnation::alive);
        return new Transport() {
            @Override
            public CompletableFuture<Message> request(String to, Message message, IntConsumer sizes) {
                return send(address, own, to, message, sizes);
            }

            @Override
            public int maxMessageSize() {
                return MAX_MESSAGE_SIZE;
            }

            @Override
            public Duration requestLifetime() {
                return requestTimeout;
            }

            @Override
            public String localAddress() {
                return address;
            }

            @Override
            public void close() {
                Endpoint current = endpoints.get(address);
                if (current != null && current.incarnation() == incarnation) {
                    endpoints.remove(address);
                }
            }
        };
    }

    /** From now on requests to {@code address} reach {@code handler}, run by {@code incarnation}. */
    void serve(String address, Incarnation incarnation, MessageHandler handler) {
        endpoints.put(address, new Endpoint(incarnation, handler));
    }

    /** The node at {@code address} went down: nothing reaches it until it attaches again. */
    void detach(String address) {
        endpoints.remove(address);
    }

    /** Splits the nodes: two nodes reach each other only when in the same group (unlisted: group 0). */
    void partition(Collection<Set<String>> groups) {
        sides.clear();
        int side = 1;
        for (Set<String> group : groups) {
            for (String address : group) {
                sides.put(address, side);
            }
            side++;
        }
        trace.record("partition " + groups);
    }

    /** Every node reaches every other again. */
    void heal() {
        sides.clear();
        trace.record("heal");
    }

    /** Ends every network fault: no partition, no drops, quiet delays. */
    void calm() {
        heal();
        dropProbability(0);
        late(0, Duration.ZERO);
        delays(Duration.ofNanos(QUIET_MIN_DELAY_MICROS * 1000), Duration.ofNanos(QUIET_MAX_DELAY_MICROS * 1000));
    }

    void dropProbability(double probability) {
        this.dropProbability = probability;
        trace.record("drop probability " + probability);
    }

    /** Each message takes between {@code min} and {@code max}, uniformly. */
    void delays(Duration min, Duration max) {
        this.minDelayMicros = min.toNanos() / 1000;
        this.maxDelayMicros = max.toNanos() / 1000;
        trace.record("delays " + min.toMillis() + "-" + max.toMillis() + "ms");
    }

    /**
     * A share {@code probability} of messages is held up for up to {@code max} (uniformly),
     * as a message is behind a partition's dropped packets or in a paused process, instead of the usual delay.
     */
    void late(double probability, Duration max) {
        this.lateProbability = probability;
        this.maxLateMicros = max.toNanos() / 1000;
        trace.record("late probability " + probability + " up to " + max.toMillis() + "ms");
    }

    /** Encoded bytes of every request and reply sent so far, lost ones included. */
    long bytesSent() {
        return bytesSent;
    }

    /** Requests of {@code type} sent to {@code address} so far, lost ones included. */
    long requestsTo(String address, Class<? extends Message> type) {
        return requestsTo.getOrDefault(address + " " + type.getSimpleName(), 0L);
    }

    private CompletableFuture<Message> send(String from, Scheduler own, String to, Message message,
            IntConsumer sizes) {
        requestsTo.merge(to + " " + message.getClass().getSimpleName(), 1L, Long::sum);
        String label = from + "->" + to + " #" + ++requests + " " + message.getClass().getSimpleName();
        CompletableFuture<Message> reply = new CompletableFuture<>();
        byte[] bytes = MessageCodec.encode(message);
        bytesSent += bytes.length;
        sizes.accept(bytes.length);
        if (!endpoints.containsKey(to)) {
            trace.record(label + " refused");
            own.schedule(delay(), () -> reply.completeExceptionally(new RequestNotSentException(to + " refused the connection", null)));
            return reply;
        }
        own.schedule(requestTimeout, () -> {
            if (reply.completeExceptionally(new TransportException("no reply from " + to + " in " + requestTimeout))) {
                trace.record(label + " timed out");
            }
        });
        if (lost(from, to)) {
            trace.record(label + " dropped");
        } else {
            trace.record(label + " sent");
            Duration delay = delay();
            scheduler.schedule(delay, () -> deliver(label, from, own, to, bytes, delay, reply, sizes));
        }
        return reply;
    }

    private void deliver(String label, String from, Scheduler own, String to, byte[] bytes, Duration age,
            CompletableFuture<Message> reply, IntConsumer sizes) {
        Endpoint server = endpoints.get(to);
        if (server == null || !reachable(from, to)) {
            trace.record(label + " lost on the way");
            return;
        }
        CompletableFuture<Message> handled;
        try {
            // as the Netty transport does, a request older than its sender waits is not acted on
            handled = age.compareTo(requestTimeout) > 0
                    ? CompletableFuture.completedFuture(new Message.Failure(Message.Failure.Kind.UNAVAILABLE, "expired"))
                    : server.handler().handle(MessageCodec.decode(bytes));
        } catch (RuntimeException e) {
            handled = CompletableFuture.failedFuture(e);
        }
        handled.whenComplete((answer, error) -> {
            if (!server.incarnation().alive()) {
                trace.record(label + " unanswered: " + server.incarnation() + " crashed");
                return;
            }
            Message response = error == null ? answer
                    : new Message.Failure(Message.Failure.Kind.INTERNAL, String.valueOf(error.getMessage()));
            byte[] encoded = MessageCodec.encode(response);
            bytesSent += encoded.length;
            if (lost(to, from)) {
                trace.record(label + " reply dropped");
                return;
            }
            own.schedule(delay(), () -> {
                if (!reachable(to, from)) {
                    trace.record(label + " reply lost on the way");
                } else if (!reply.isDone()) {
                    sizes.accept(encoded.length);
                    reply.complete(MessageCodec.decode(encoded));
                    trace.record(label + " answered " + response.getClass().getSimpleName());
                }
            });
        });
    }

    private boolean reachable(String from, String to) {
        return sides.getOrDefault(from, 0).equals(sides.getOrDefault(to, 0));
    }

    private boolean lost(String from, String to) {
        return !reachable(from, to) || (dropProbability > 0 && random.nextDouble() < dropProbability);
    }

    private Duration delay() {
        if (lateProbability > 0 && random.nextDouble() < lateProbability) {
            return Duration.ofNanos(1000 * random.nextLong(maxLateMicros + 1));
        }
        return Duration.ofNanos(1000 * (minDelayMicros + random.nextLong(maxDelayMicros - minDelayMicros + 1)));
    }
}

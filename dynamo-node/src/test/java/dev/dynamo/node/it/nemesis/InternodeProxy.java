package dev.dynamo.node.it.nemesis;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The user-space TCP proxy every connection between nodes goes through, so that {@link Fault.Delay}
 * can hold traffic back (the kernel here has no netem qdisc). It runs in the test JVM, in the host
 * namespace. For each ordered pair (node {@code from} dialing node {@code to}) it listens on
 * {@code to}'s {@linkplain NetnsNetwork#proxiedAddress proxied address} at a port of the pair's own,
 * where the NAT rules in {@code from}'s namespace send that pair's connections, and dials {@code to}'s
 * internode port from {@code from}'s proxied address: each node sees its peers' traffic come from their
 * proxied addresses, which the partition and loss rules in its namespace match like the real ones.
 *
 * <p>Each direction of a connection is a reader and a writer (virtual threads) with a bounded queue of
 * chunks between them. A chunk read is written at the later of the previous chunk's release and its
 * arrival plus a delay drawn from the delay faults active then (none: at once), so bytes keep their
 * order within a connection while different connections, and the two directions of one, are delayed
 * independently. The delays are drawn per chunk from an unseeded random: like the workload's timing,
 * they are not replayed.
 */
final class InternodeProxy implements AutoCloseable {

    /** What went through the proxy: connections opened, bytes forwarded, and of those the bytes a delay held back. */
    record Traffic(long connections, long bytes, long delayedBytes) {
        Traffic since(Traffic earlier) {
            return new Traffic(connections - earlier.connections, bytes - earlier.bytes,
                    delayedBytes - earlier.delayedBytes);
        }
    }

    private static final int CHUNK = 16 * 1024;
    private static final int QUEUED_CHUNKS = 16; // per direction: at most 256 KiB held back
    /** Beyond the node's own connect timeout (1 s): by then the node has given up on the connection. */
    private static final Duration DIAL_TIMEOUT = Duration.ofSeconds(2);
    /** How often a waiting writer or reader looks whether its connection was closed meanwhile. */
    private static final Duration POLL = Duration.ofMillis(100);
    private static final Duration STOP_TIMEOUT = Duration.ofSeconds(5);

    private final int targetPort;
    private final int[][] ports;
    private final List<ServerSocket> listeners = new ArrayList<>();
    private final Set<Connection> open = ConcurrentHashMap.newKeySet();
    private final ExecutorService threads = Executors.newVirtualThreadPerTaskExecutor();
    private final AtomicLong connections = new AtomicLong();
    private final AtomicLong bytes = new AtomicLong();
    private final AtomicLong delayedBytes = new AtomicLong();
    private volatile List<Fault.Delay> delays = List.of();

    private InternodeProxy(int size, int targetPort) {
        this.targetPort = targetPort;
        this.ports = new int[size][size];
    }

    /** Listens for every ordered pair of {@code size} nodes; connections are forwarded to the nodes' {@code targetPort}. */
    static InternodeProxy start(int size, int targetPort) {
        InternodeProxy proxy = new InternodeProxy(size, targetPort);
        try {
            for (int from = 0; from < size; from++) {
                for (int to = 0; to < size; to++) {
                    if (from != to) {
                        proxy.listen(from, to);
                    }
                }
            }
            return proxy;
        } catch (RuntimeException e) {
            proxy.close();
            throw e;
        }
    }

    /** The port on {@code to}'s proxied address where connections from {@code from} to {@code to} go. */
    int port(int from, int to) {
        return ports[from][to];
    }

    /** Delays what is read from now on by {@code active} (added up where several cover a link); none forwards at once. */
    void delay(List<Fault.Delay> active) {
        delays = List.copyOf(active);
    }

    Traffic traffic() {
        return new Traffic(connections.get(), bytes.get(), delayedBytes.get());
    }

    private void listen(int from, int to) {
        ServerSocket listener;
        try {
            listener = new ServerSocket();
            listeners.add(listener);
            listener.bind(new InetSocketAddress(NetnsNetwork.proxiedAddress(to), 0));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot listen on " + NetnsNetwork.proxiedAddress(to), e);
        }
        ports[from][to] = listener.getLocalPort();
        threads.submit(() -> accept(listener, from, to));
    }

    private void accept(ServerSocket listener, int from, int to) {
        while (true) {
            Socket accepted;
            try {
                accepted = listener.accept();
            } catch (IOException closed) {
                return;
            }
            try {
                threads.submit(() -> dial(accepted, from, to));
            } catch (RejectedExecutionException stopping) {
                closeQuietly(accepted);
                return;
            }
        }
    }

    /** Connects {@code accepted} through to node {@code to}; if {@code to} cannot be reached, closes it, as a refusal would. */
    private void dial(Socket accepted, int from, int to) {
        Socket dialed = new Socket();
        Connection connection = new Connection(accepted, dialed);
        open.add(connection);
        try {
            accepted.setTcpNoDelay(true); // the nodes' own sockets do without Nagle's delay; so must the proxy's
            dialed.setTcpNoDelay(true);
            dialed.bind(new InetSocketAddress(NetnsNetwork.proxiedAddress(from), 0));
            dialed.connect(new InetSocketAddress(NetnsNetwork.address(to), targetPort), (int) DIAL_TIMEOUT.toMillis());
        } catch (IOException unreachable) {
            connection.close();
            return;
        }
        connections.incrementAndGet();
        try {
            forward(connection, accepted, dialed, from, to);
            forward(connection, dialed, accepted, to, from);
        } catch (RejectedExecutionException stopping) {
            connection.close();
        }
    }

    /** Forwards what node {@code from} sends on {@code source} to node {@code to} on {@code sink}. */
    private void forward(Connection connection, Socket source, Socket sink, int from, int to) {
        BlockingQueue<Chunk> queue = new ArrayBlockingQueue<>(QUEUED_CHUNKS);
        threads.submit(() -> read(connection, source, queue, from, to));
        threads.submit(() -> write(connection, sink, queue));
    }

    private void read(Connection connection, Socket source, BlockingQueue<Chunk> queue, int from, int to) {
        byte[] buffer = new byte[CHUNK];
        long release = System.nanoTime();
        try {
            InputStream in = source.getInputStream();
            for (int n; (n = in.read(buffer)) >= 0; ) {
                long delay = delayNanos(from, to);
                release = Math.max(release, System.nanoTime() + delay);
                if (!connection.enqueue(queue, new Chunk(Arrays.copyOf(buffer, n), release, delay > 0))) {
                    return;
                }
            }
            connection.enqueue(queue, new Chunk(null, release, false)); // the end, after the data before it
        } catch (IOException | InterruptedException e) {
            connection.close();
        }
    }

    private void write(Connection connection, Socket sink, BlockingQueue<Chunk> queue) {
        try {
            OutputStream out = sink.getOutputStream();
            while (true) {
                Chunk chunk = queue.poll(POLL.toNanos(), TimeUnit.NANOSECONDS);
                if (chunk == null) {
                    if (connection.closed.get()) {
                        return;
                    }
                    continue;
                }
                long wait = chunk.releaseNanos() - System.nanoTime();
                if (wait > 0) {
                    Thread.sleep(Duration.ofNanos(wait));
                }
                if (chunk.data() == null) {
                    sink.shutdownOutput();
                    connection.directionEnded();
                    return;
                }
                out.write(chunk.data());
                bytes.addAndGet(chunk.data().length);
                if (chunk.delayed()) {
                    delayedBytes.addAndGet(chunk.data().length);
                }
            }
        } catch (IOException | InterruptedException e) {
            connection.close();
        }
    }

    private long delayNanos(int from, int to) {
        long millis = 0;
        for (Fault.Delay delay : delays) {
            if (delay.covers(from, to)) {
                millis += delay.millis() + ThreadLocalRandom.current().nextLong(delay.jitterMillis() + 1);
            }
        }
        return TimeUnit.MILLISECONDS.toNanos(millis);
    }

    /** Closes the listeners and every connection, and waits for the proxy's threads to end. */
    @Override
    public void close() {
        listeners.forEach(InternodeProxy::closeQuietly);
        open.forEach(Connection::close);
        threads.shutdownNow();
        try {
            if (!threads.awaitTermination(STOP_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS)) {
                throw new IllegalStateException("the internode proxy's threads did not end within " + STOP_TIMEOUT);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static void closeQuietly(AutoCloseable closeable) {
        try {
            closeable.close();
        } catch (Exception ignored) {
            // closing at the end or after a failure: nothing more to do with it
        }
    }

    /** Bytes read from one side, to be written at {@code releaseNanos}; no data marks the end of the stream. */
    private record Chunk(byte[] data, long releaseNanos, boolean delayed) {
    }

    /** One proxied connection: the socket the node's connection was accepted on and the one dialed to its peer. */
    private final class Connection {
        private final Socket accepted;
        private final Socket dialed;
        private final AtomicBoolean closed = new AtomicBoolean();
        private final AtomicInteger endedDirections = new AtomicInteger();

        Connection(Socket accepted, Socket dialed) {
            this.accepted = accepted;
            this.dialed = dialed;
        }

        /** Queues {@code chunk} unless the connection is closed meanwhile; whether it did. */
        boolean enqueue(BlockingQueue<Chunk> queue, Chunk chunk) throws InterruptedException {
            while (!queue.offer(chunk, POLL.toNanos(), TimeUnit.NANOSECONDS)) {
                if (closed.get()) {
                    return false;
                }
            }
            return true;
        }

        /** Both sides have closed their sending half: the connection is done. */
        void directionEnded() {
            if (endedDirections.incrementAndGet() == 2) {
                close();
            }
        }

        void close() {
            if (closed.compareAndSet(false, true)) {
                closeQuietly(accepted);
                closeQuietly(dialed);
                open.remove(this);
            }
        }
    }
}

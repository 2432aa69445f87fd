package dev.dynamo.node.it;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * A Dynamo node in a JVM of its own, for tests where a crash must be real: started with the test
 * JVM's own {@code java} and classpath, bound to 127.0.0.1, its output in
 * {@code target/it-logs/<name>.log}, with the operator credentials {@link #OPERATOR} and
 * {@link #OPERATOR_PASSWORD} unless the arguments give others. {@link #start} returns once
 * {@code /actuator/health} answers 200; every failure message carries the tail of the node's log.
 */
public final class NodeProcess implements AutoCloseable {

    /** The bound on waiting for a node to answer health, and on waiting for it to exit. */
    public static final Duration STARTUP_TIMEOUT = Duration.ofSeconds(60);
    /** The operator account of every node started here, for the protected endpoints. */
    public static final String OPERATOR = "it-operator";
    public static final String OPERATOR_PASSWORD = "it-operator-password";
    private static final Duration EXIT_TIMEOUT = Duration.ofSeconds(30);
    private static final Duration POLL = Duration.ofMillis(100);
    private static final Path LOG_DIR = Path.of("target", "it-logs");
    private static final int LOG_TAIL_LINES = 60;
    private static final int PORT_ATTEMPTS = 3;

    private final String name;
    private final Process process;
    private final String host;
    private final int port;
    private final Path log;

    private NodeProcess(String name, Process process, String host, int port, Path log) {
        this.name = name;
        this.process = process;
        this.host = host;
        this.port = port;
        this.log = log;
    }

    /**
     * Starts a node on a free port with its data in {@code dataDir}, plus any further
     * {@code --property=value} arguments, and waits until it is healthy. A port taken by someone
     * else between choosing and binding it is retried with another.
     *
     * @param name names the log file; unique per start within a test run
     */
    public static NodeProcess start(String name, Path dataDir, String... args) {
        for (int attempt = 1; ; attempt++) {
            try {
                return start(name, dataDir, freePort(), args);
            } catch (PortInUse e) {
                if (attempt == PORT_ATTEMPTS) {
                    throw new AssertionError(e.getMessage());
                }
            }
        }
    }

    /** Starts a node on {@code port}, as {@link #start(String, Path, String...)} does. */
    public static NodeProcess start(String name, Path dataDir, int port, String... args) {
        NodeProcess node = launch(name, "127.0.0.1", port, dataDir, args);
        node.awaitHealthy();
        return node;
    }

    /**
     * Starts a node with HTTP on {@code host:port} and returns at once, for nodes that only become
     * healthy together (a cluster forming from its seeds): follow with {@link #awaitHealthy}.
     */
    public static NodeProcess launch(String name, String host, int port, Path dataDir, String... args) {
        return launch(name, host, port, dataDir, List.of("-Xmx256m"), args);
    }

    /** As {@link #launch(String, String, int, Path, String...)}, with {@code jvmOptions} (heap size, profiling) for the node's JVM. */
    public static NodeProcess launch(String name, String host, int port, Path dataDir, List<String> jvmOptions,
            String... args) {
        return launch(name, host, port, dataDir, List.of(), Map.of(), jvmOptions, args);
    }

    /**
     * As {@link #launch(String, String, int, Path, List, String...)}, with the java command run
     * through {@code wrapper} (for example {@code ip netns exec NAME}, which execs it, so the
     * process's PID is still the JVM's) and with {@code environment} added to the node's.
     */
    public static NodeProcess launch(String name, String host, int port, Path dataDir, List<String> wrapper,
            Map<String, String> environment, List<String> jvmOptions, String... args) {
        List<String> program = new ArrayList<>(wrapper);
        program.addAll(List.of(javaExecutable(),
                "--add-opens", "java.base/java.nio=ALL-UNNAMED",
                "--add-opens", "java.base/sun.nio.ch=ALL-UNNAMED"));
        if (Runtime.version().feature() >= 25) { // as ./dynamo starts nodes: JDK 25's C2 fault (README, JVM tuning)
            program.addAll(List.of("-XX:+UnlockDiagnosticVMOptions", "-XX:-UseStoreStoreForCtor"));
        }
        program.addAll(jvmOptions);
        program.addAll(List.of("-cp", System.getProperty("java.class.path"), "dev.dynamo.node.DynamoNodeApplication"));
        return run(name, host, port, dataDir, program, environment, args);
    }

    /**
     * Starts the packaged jar as users run it ({@code java -jar}, no flags: its manifest carries the
     * add-opens) on a free port and waits until it is healthy.
     */
    public static NodeProcess startJar(String name, Path jar, Path dataDir, String... args) {
        NodeProcess node = run(name, "127.0.0.1", freePort(), dataDir, List.of(javaExecutable(), "-jar", jar.toString()),
                Map.of(), args);
        node.awaitHealthy();
        return node;
    }

    /** Runs {@code program} (a java command up to the main class or jar) as a node with {@code args}. */
    private static NodeProcess run(String name, String host, int port, Path dataDir, List<String> program,
            Map<String, String> environment, String... args) {
        List<String> command = new ArrayList<>(program);
        command.addAll(List.of("--server.address=" + host,
                "--server.port=" + port,
                "--dynamo.storage.path=" + dataDir.toAbsolutePath()));
        command.addAll(List.of(args));
        if (command.stream().noneMatch(arg -> arg.startsWith("--dynamo.transport.port="))) {
            command.add("--dynamo.transport.port=0"); // several nodes, and test runs, share the machine
        }
        if (command.stream().noneMatch(arg -> arg.startsWith("--spring.security.user."))) {
            command.addAll(List.of("--spring.security.user.name=" + OPERATOR,
                    "--spring.security.user.password=" + OPERATOR_PASSWORD));
        }
        Path log = LOG_DIR.resolve(name + ".log");
        Process process;
        try {
            Files.createDirectories(LOG_DIR);
            ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true)
                    .redirectOutput(log.toFile());
            builder.environment().putAll(environment);
            process = builder.start();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot start node " + name, e);
        }
        return new NodeProcess(name, process, host, port, log);
    }

    /** A port nobody listens on at 127.0.0.1 right now. */
    public static int freePort() {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException("no free port on 127.0.0.1", e);
        }
    }

    public URI baseUrl() {
        return URI.create("http://" + host + ":" + port);
    }

    public int port() {
        return port;
    }

    public Path log() {
        return log;
    }

    public long pid() {
        return process.pid();
    }

    public boolean isAlive() {
        return process.isAlive();
    }

    /** Kills the node with SIGKILL, as a crash would, and waits until it is gone. */
    public void kill() {
        process.destroyForcibly();
        awaitExit("kill");
    }

    /** Asks the node to shut down (SIGTERM, a graceful Spring shutdown) and waits until it is gone. */
    public void stop() {
        process.destroy();
        if (!waitFor(EXIT_TIMEOUT)) {
            process.destroyForcibly();
            awaitExit("stop");
            throw failure("did not stop within " + EXIT_TIMEOUT + " of SIGTERM; killed it");
        }
    }

    /** Kills the node if it still runs, so a failed test leaves no process behind. */
    @Override
    public void close() {
        if (process.isAlive()) {
            kill();
        }
    }

    /** An {@link AssertionError} with {@code message} and the tail of this node's log. */
    public AssertionError failure(String message) {
        return new AssertionError("node " + name + " (pid " + process.pid() + ", port " + port + "): " + message
                + "\n--- last lines of " + log.toAbsolutePath() + " ---\n" + logTail(LOG_TAIL_LINES));
    }

    /** The last {@code lines} lines of the node's log. */
    public String logTail(int lines) {
        try {
            List<String> all = Files.readAllLines(log, StandardCharsets.ISO_8859_1);
            return String.join("\n", all.subList(Math.max(0, all.size() - lines), all.size()));
        } catch (IOException e) {
            return "(log unreadable: " + e + ")";
        }
    }

    /** Waits until the node answers health with 200; kills it and fails after {@link #STARTUP_TIMEOUT}. */
    public void awaitHealthy() {
        long deadline = System.nanoTime() + STARTUP_TIMEOUT.toNanos();
        try (KvClient client = new KvClient(baseUrl())) {
            while (!client.isHealthy()) {
                if (waitFor(POLL)) { // doubles as the pause between polls
                    if (logTail(LOG_TAIL_LINES).contains("Port " + port + " was already in use")) {
                        throw new PortInUse(failure("port was taken before the node bound it").getMessage());
                    }
                    throw failure("exited with status " + process.exitValue() + " before answering health");
                }
                if (System.nanoTime() - deadline > 0) {
                    kill();
                    throw failure("did not answer GET /actuator/health with 200 within " + STARTUP_TIMEOUT);
                }
            }
        } catch (RuntimeException | Error e) {
            close();
            throw e;
        }
    }

    private void awaitExit(String how) {
        if (!waitFor(EXIT_TIMEOUT)) {
            throw failure("still running " + EXIT_TIMEOUT + " after " + how);
        }
    }

    private boolean waitFor(Duration timeout) {
        try {
            return process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            process.destroyForcibly();
            throw failure("interrupted while waiting; killed the node");
        }
    }

    /** The repackaged node jar of this build, as users run it (failsafe runs after the package phase). */
    public static Path packagedJar() {
        try (Stream<Path> files = Files.list(Path.of("target"))) {
            return files.filter(f -> f.getFileName().toString().matches("dynamo-node-.*\\.jar"))
                    .filter(f -> !f.getFileName().toString().endsWith("-plain.jar")).findFirst()
                    .orElseThrow(() -> new AssertionError("no dynamo-node jar in target/: run the package phase first"));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot list target/", e);
        }
    }

    /** The {@code java} of the test JVM, for the processes tests start. */
    public static String javaExecutable() {
        return ProcessHandle.current().info().command()
                .orElse(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    }

    private static final class PortInUse extends RuntimeException {
        PortInUse(String message) {
            super(message);
        }
    }
}

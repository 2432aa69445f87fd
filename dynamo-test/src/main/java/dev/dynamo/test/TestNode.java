package dev.dynamo.test;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** One node JVM of a test cluster, its data and log in a directory of its own. */
final class TestNode {

    private static final Duration EXIT_TIMEOUT = Duration.ofSeconds(30);
    private static final int LOG_TAIL_LINES = 40;

    private final String id;
    private final Process process;
    private final URI httpUrl;
    private final String clientAddress;
    private final Path log;

    private TestNode(String id, Process process, URI httpUrl, String clientAddress, Path log) {
        this.id = id;
        this.process = process;
        this.httpUrl = httpUrl;
        this.clientAddress = clientAddress;
        this.log = log;
    }

    /** Starts the JVM and returns at once; {@link #awaitHealthy} follows. */
    static TestNode launch(String id, Path directory, List<String> command, int httpPort, int transportPort,
            List<String> arguments) throws IOException {
        Files.createDirectories(directory);
        Path log = directory.resolve("node.log");
        List<String> full = new ArrayList<>(command);
        full.addAll(List.of("--server.address=127.0.0.1", "--server.port=" + httpPort,
                "--dynamo.transport.host=127.0.0.1", "--dynamo.transport.port=" + transportPort,
                "--dynamo.node.id=" + id, "--dynamo.storage.path=" + directory.resolve("data")));
        full.addAll(arguments);
        Process process = new ProcessBuilder(full).redirectErrorStream(true).redirectOutput(log.toFile()).start();
        return new TestNode(id, process, URI.create("http://127.0.0.1:" + httpPort), "127.0.0.1:" + transportPort, log);
    }

    URI httpUrl() {
        return httpUrl;
    }

    /** Where clients (and other nodes) reach it: the binary transport port. */
    String clientAddress() {
        return clientAddress;
    }

    /**
     * Polls {@code /actuator/health} until it answers 200, or fails at {@code deadline} (a {@link System#nanoTime}
     * instant) or when the JVM exits first; a port another process took between choosing and binding it is a
     * {@link PortTaken}.
     */
    void awaitHealthy(HttpClient http, long deadline) {
        HttpRequest health = HttpRequest.newBuilder(httpUrl.resolve("/actuator/health"))
                .timeout(Duration.ofSeconds(2)).build();
        while (true) {
            try {
                if (http.send(health, HttpResponse.BodyHandlers.discarding()).statusCode() == 200) {
                    return;
                }
            } catch (IOException e) {
                // not listening yet
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw failure("interrupted while waiting for health");
            }
            if (exited(Duration.ofMillis(50))) { // doubles as the pause between polls
                String tail = logTail();
                if (tail.contains("already in use")) {
                    throw new PortTaken(failure("a port was taken before the node bound it").getMessage());
                }
                throw failure("exited with status " + process.exitValue() + " before answering health");
            }
            if (System.nanoTime() - deadline > 0) {
                throw failure("did not answer GET /actuator/health with 200 in time");
            }
        }
    }

    /** Asks the node to stop (SIGTERM: a graceful shutdown, which also writes the class-data archive). */
    void stop() {
        process.destroy();
    }

    /** Waits for the stop, killing the JVM if it outlasts {@link #EXIT_TIMEOUT}. */
    void awaitExit() {
        if (!exited(EXIT_TIMEOUT)) {
            process.destroyForcibly();
            exited(EXIT_TIMEOUT);
        }
    }

    private boolean exited(Duration timeout) {
        try {
            return process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            process.destroyForcibly();
            return true;
        }
    }

    /** An {@link IllegalStateException} saying what went wrong, with the end of the node's log. */
    IllegalStateException failure(String message) {
        return new IllegalStateException("Dynamo test node " + id + " (" + httpUrl + "): " + message
                + "\n--- last lines of " + log + " ---\n" + logTail());
    }

    private String logTail() {
        try {
            List<String> lines = Files.readAllLines(log, StandardCharsets.ISO_8859_1);
            return String.join("\n", lines.subList(Math.max(0, lines.size() - LOG_TAIL_LINES), lines.size()));
        } catch (IOException e) {
            return "(log unreadable: " + e + ")";
        }
    }

    /** A node could not bind the port chosen for it; the cluster starts again on other ports. */
    static final class PortTaken extends IllegalStateException {
        PortTaken(String message) {
            super(message);
        }
    }
}

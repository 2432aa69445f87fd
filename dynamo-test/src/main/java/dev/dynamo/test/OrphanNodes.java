package dev.dynamo.test;

import java.io.File;
import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Arrays;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Node JVMs whose test JVM died without stopping them (SIGKILL, a crash): found and killed when a later test JVM
 * starts its first cluster. Each cluster's directory names its owner, the test JVM's PID and start instant, in
 * {@value #OWNER}; a node is recognised by its {@code --dynamo.storage.path} argument inside that directory, so
 * a PID reused by another program is never touched.
 */
final class OrphanNodes {

    static final String DIRECTORY_PREFIX = "dynamo-test-";
    private static final String OWNER = "owner";
    private static final Logger log = LoggerFactory.getLogger(OrphanNodes.class);

    private OrphanNodes() {
    }

    /** Records this JVM as the owner of the cluster in {@code directory}. */
    static void claim(Path directory) throws IOException {
        ProcessHandle self = ProcessHandle.current();
        Files.writeString(directory.resolve(OWNER), self.pid() + " " + startOf(self).map(Instant::toString).orElse("?"));
    }

    /** Kills the nodes of every cluster under {@code root} whose owner is gone, and deletes their directories. */
    static void reap(Path root) {
        try (DirectoryStream<Path> clusters = Files.newDirectoryStream(root, DIRECTORY_PREFIX + "*")) {
            for (Path cluster : clusters) {
                Path owner = cluster.resolve(OWNER);
                if (Files.isRegularFile(owner) && !alive(Files.readString(owner))) {
                    String dataArgument = "--dynamo.storage.path=" + cluster + File.separator;
                    ProcessHandle.allProcesses().filter(p -> p.info().arguments()
                            .map(args -> Arrays.stream(args).anyMatch(a -> a.startsWith(dataArgument)))
                            .orElse(false)).forEach(ProcessHandle::destroyForcibly);
                    log.info("Stopped the nodes a dead test JVM left running in {}", cluster);
                    NodeRuntime.deleteTree(cluster);
                }
            }
        } catch (IOException e) {
            log.debug("Could not look for orphaned test nodes in {}: {}", root, e.toString());
        }
    }

    /** Whether the process an owner file names (PID and start instant) still runs. */
    private static boolean alive(String owner) {
        String[] parts = owner.trim().split(" ");
        try {
            Optional<ProcessHandle> process = ProcessHandle.of(Long.parseLong(parts[0]));
            return process.isPresent() && process.get().isAlive()
                    && startOf(process.get()).map(Instant::toString).orElse("?").equals(parts[1]);
        } catch (RuntimeException e) {
            return true; // unreadable (being written): leave it alone
        }
    }

    private static Optional<Instant> startOf(ProcessHandle process) {
        return process.info().startInstant();
    }
}

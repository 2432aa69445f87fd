package dev.dynamo.test;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Nodes a dead test JVM left running are killed by the next one, and only those: not the nodes of a live owner,
 * even when its directory's name begins with the dead one's. Stand-in nodes are shells carrying a node's
 * storage argument.
 */
class OrphanNodesTest {

    @TempDir
    Path root;

    private final List<Process> started = new ArrayList<>();

    @AfterEach
    void stopStandIns() {
        started.forEach(Process::destroyForcibly);
    }

    @Test
    void theNodesOfADeadOwnerAreKilledAndTheirDirectoryDeleted() throws Exception {
        Path dead = Files.createDirectories(root.resolve(OrphanNodes.DIRECTORY_PREFIX + "1"));
        Process gone = new ProcessBuilder("true").start();
        gone.waitFor(10, TimeUnit.SECONDS);
        Files.writeString(dead.resolve("owner"), gone.pid() + " 2000-01-01T00:00:00Z");
        Process orphan = standIn(dead);

        Path alive = Files.createDirectories(root.resolve(OrphanNodes.DIRECTORY_PREFIX + "12"));
        OrphanNodes.claim(alive);
        Process owned = standIn(alive);

        OrphanNodes.reap(root);

        assertThat(orphan.waitFor(10, TimeUnit.SECONDS)).as("the orphan was killed").isTrue();
        assertThat(dead).doesNotExist();
        assertThat(owned.isAlive()).as("a live owner's node runs on").isTrue();
        assertThat(alive).exists();
    }

    /** A process whose arguments are a node's, storage inside {@code cluster}; the shell stays (no exec). */
    private Process standIn(Path cluster) throws Exception {
        Process process = new ProcessBuilder("sh", "-c", "sleep 60; exit 0",
                "--dynamo.storage.path=" + cluster.resolve("node1").resolve("data")).start();
        started.add(process);
        return process;
    }
}

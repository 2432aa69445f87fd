package dev.dynamo.test;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The node cache does not grow with every build: what nobody used for a day goes, what is in use stays. */
class NodeRuntimeTest {

    @TempDir
    Path cache;

    @Test
    void anExtractionCleansUpOtherBuildsUnusedSinceTheCutOff() throws Exception {
        Instant now = Instant.now();
        Path current = entry("current", now.minus(Duration.ofDays(3))); // just extracted; its time is not read
        Path stale = entry("stale", now.minus(Duration.ofDays(2)));
        Path recent = entry("recent", now.minus(Duration.ofHours(1)));

        NodeRuntime.deleteUnusedSince(cache, current, now.minus(Duration.ofDays(1)));

        assertThat(current).exists();
        assertThat(recent).exists();
        assertThat(stale).doesNotExist();
    }

    private Path entry(String name, Instant lastUsed) throws Exception {
        Path entry = Files.createDirectories(cache.resolve(name).resolve("lib"));
        Files.writeString(entry.resolve("a.jar"), "jar");
        Path root = cache.resolve(name);
        Files.setLastModifiedTime(root, FileTime.from(lastUsed));
        return root;
    }
}

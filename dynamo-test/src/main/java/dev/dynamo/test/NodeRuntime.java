package dev.dynamo.test;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.FileTime;
import java.security.DigestInputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.time.Instant;
import java.util.Comparator;
import java.util.HexFormat;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * The node as this artifact carries it (the repackaged jar users run, a resource here), extracted once per
 * content into a cache directory with Spring Boot's own {@code jarmode=tools extract}, so that nodes start from
 * plain jars and with a class-data-sharing archive: about 2.7 times faster than {@code java -jar} on the
 * fat jar (BENCHMARKS.md). The cache is {@code dynamo.test.cache} (a system property), else
 * {@code dynamo-test} in the temporary directory; entries are named by the jar's SHA-256, so a new build
 * gets a new entry and two JVMs extracting at once both end with the same one; an entry unused for a day is
 * deleted when another build is extracted.
 */
record NodeRuntime(Path jar, Path archive) {

    private static final String RESOURCE = "dynamo-node.jar";
    private static final long EXTRACT_TIMEOUT_SECONDS = 120;
    /** How long an extracted build nobody starts a cluster from stays in the cache. */
    private static final Duration UNUSED_FOR = Duration.ofDays(1);
    private static NodeRuntime extracted;

    /**
     * The extracted node of this artifact, extracting it first if no earlier run did (or if another JVM's
     * clean-up removed it since).
     */
    static synchronized NodeRuntime get() {
        if (extracted == null || !Files.exists(extracted.jar)) {
            extracted = extract();
        }
        return extracted;
    }

    /** A file of its own for one JVM to write the class-data archive into, before it is renamed to {@link #archive}. */
    Path archiveDraft() {
        return archive.resolveSibling(archive.getFileName() + "." + UUID.randomUUID());
    }

    /** The command that runs a node JVM, up to its program arguments. */
    List<String> command(List<String> jvmOptions) {
        return Stream.of(List.of(javaExecutable()), jvmOptions, List.of("-jar", jar.toString()))
                .flatMap(List::stream).toList();
    }

    /** The {@code java} of this JVM: the nodes run on the JDK the tests run on (21 or later, as the client). */
    static String javaExecutable() {
        return ProcessHandle.current().info().command()
                .orElse(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    }

    private static NodeRuntime extract() {
        Path cache = Path.of(System.getProperty("dynamo.test.cache",
                Path.of(System.getProperty("java.io.tmpdir"), "dynamo-test").toString()));
        try {
            Files.createDirectories(cache);
            Path entry = cache.resolve(digest());
            if (!Files.isDirectory(entry)) {
                Path staging = Files.createTempDirectory(cache, entry.getFileName() + "-");
                Path jar = staging.resolve("dynamo-node.jar");
                try (InputStream resource = resource()) {
                    Files.copy(resource, jar);
                }
                run(List.of(javaExecutable(), "-Djarmode=tools", "-jar", jar.toString(), "extract",
                        "--destination", staging.resolve("node").toString()), staging.resolve("extract.log"));
                try {
                    Files.move(staging.resolve("node"), entry, StandardCopyOption.ATOMIC_MOVE);
                } catch (IOException e) {
                    if (!Files.isDirectory(entry)) {
                        throw e;
                    } // else another JVM extracted the same jar first; theirs is as good
                }
                deleteTree(staging);
                deleteUnusedSince(cache, entry, Instant.now().minus(UNUSED_FOR));
            }
            Files.setLastModifiedTime(entry, FileTime.from(Instant.now())); // in use: spared by clean-ups
            return new NodeRuntime(entry.resolve("dynamo-node.jar"),
                    entry.resolve("jdk-" + Runtime.version() + ".jsa"));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot extract the node jar into " + cache, e);
        }
    }

    /**
     * Deletes what other builds left in the cache and nobody used since {@code before}, so that rebuilding
     * does not fill the disk: entries (a JVM touches its entry whenever it starts a cluster) and staging
     * directories of extractions that died.
     */
    static void deleteUnusedSince(Path cache, Path keep, Instant before) throws IOException {
        try (Stream<Path> entries = Files.list(cache)) {
            for (Path entry : entries.filter(e -> !e.equals(keep)).toList()) {
                try {
                    if (Files.getLastModifiedTime(entry).toInstant().isBefore(before)) {
                        deleteTree(entry);
                    }
                } catch (IOException e) {
                    // another JVM is deleting it, or still writing it; the next clean-up tries again
                }
            }
        }
    }

    private static InputStream resource() {
        InputStream resource = NodeRuntime.class.getResourceAsStream(RESOURCE);
        if (resource == null) {
            throw new IllegalStateException("dynamo-test carries no node jar (" + RESOURCE + "): build it with "
                    + "Maven's package phase, which copies the dynamo-node jar in");
        }
        return resource;
    }

    /** The first 12 bytes of the node jar's SHA-256, in hex: its cache entry's name. */
    private static String digest() throws IOException {
        MessageDigest sha256;
        try {
            sha256 = MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e); // every JDK has it
        }
        try (InputStream resource = new DigestInputStream(resource(), sha256)) {
            resource.transferTo(OutputStream.nullOutputStream());
        }
        return HexFormat.of().formatHex(sha256.digest(), 0, 12);
    }

    private static void run(List<String> command, Path log) throws IOException {
        Process process = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile()).start();
        try {
            if (!process.waitFor(EXTRACT_TIMEOUT_SECONDS, TimeUnit.SECONDS)) {
                process.destroyForcibly();
                throw new IllegalStateException("extracting the node jar took over " + EXTRACT_TIMEOUT_SECONDS + " s");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            process.destroyForcibly();
            throw new IllegalStateException("interrupted while extracting the node jar", e);
        }
        if (process.exitValue() != 0) {
            throw new IllegalStateException("extracting the node jar failed (exit " + process.exitValue() + "): "
                    + Files.readString(log));
        }
    }

    static void deleteTree(Path root) throws IOException {
        if (!Files.exists(root)) {
            return;
        }
        try (Stream<Path> paths = Files.walk(root)) {
            for (Path path : paths.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(path);
            }
        }
    }
}

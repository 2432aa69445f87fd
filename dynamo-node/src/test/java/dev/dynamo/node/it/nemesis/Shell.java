package dev.dynamo.node.it.nemesis;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** Runs the harness's system commands ({@code ip}, {@code iptables-restore}, {@code kill}), each bounded in time. */
final class Shell {

    static final Duration TIMEOUT = Duration.ofSeconds(20);

    /** What a command printed and how it ended. */
    record Result(int status, String output) {
        boolean ok() {
            return status == 0;
        }
    }

    private Shell() {
    }

    /** Runs {@code command}, fails unless it exits 0. */
    static String run(String... command) {
        Result result = attempt(null, command);
        if (!result.ok()) {
            throw new IllegalStateException(String.join(" ", command) + " exited " + result.status() + ": "
                    + result.output());
        }
        return result.output();
    }

    /** Runs {@code command} with {@code input} on its standard input, fails unless it exits 0. */
    static void runWithInput(String input, String... command) {
        Result result = attempt(input, command);
        if (!result.ok()) {
            throw new IllegalStateException(String.join(" ", command) + " exited " + result.status() + ": "
                    + result.output() + "\ninput:\n" + input);
        }
    }

    /** Runs {@code command} and reports how it ended, for commands allowed to fail (cleanup). */
    static Result attempt(String input, String... command) {
        try {
            Process process = new ProcessBuilder(List.of(command)).redirectErrorStream(true).start();
            if (input != null) {
                process.getOutputStream().write(input.getBytes(StandardCharsets.UTF_8));
            }
            process.getOutputStream().close();
            if (!process.waitFor(TIMEOUT.toMillis(), TimeUnit.MILLISECONDS)) {
                process.destroyForcibly();
                return new Result(-1, "timed out after " + TIMEOUT);
            }
            return new Result(process.exitValue(),
                    new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8).strip());
        } catch (IOException e) {
            throw new UncheckedIOException("cannot run " + String.join(" ", command), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted running " + String.join(" ", command), e);
        }
    }
}

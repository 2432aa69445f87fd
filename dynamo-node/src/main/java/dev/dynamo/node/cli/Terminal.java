package dev.dynamo.node.cli;

import java.io.Console;
import java.util.Locale;
import java.util.Optional;

/**
 * The operator's terminal, for the password and for confirming a removal. Without one (input from a
 * pipe or a script) nothing can be asked, and the caller must say how to go on without it.
 */
final class Terminal {

    /** Null when there is no terminal. */
    private final Console console;

    Terminal(Console console) {
        this.console = console;
    }

    /** The terminal this process was started from, if any. */
    static Terminal system() {
        return new Terminal(System.console());
    }

    /** The password typed (not echoed); empty when there is no terminal or its input has ended. */
    Optional<char[]> password(String prompt) {
        // a Console may exist with its input at end (JDK 22 to 24 give one even without a terminal): null then
        return console == null ? Optional.empty() : Optional.ofNullable(console.readPassword("%s", prompt));
    }

    /** Whether the operator answered yes to {@code question}; empty when there is no one to ask. */
    Optional<Boolean> confirm(String question) {
        String answer = console == null ? null : console.readLine("%s", question);
        return answer == null ? Optional.empty()
                : Optional.of(switch (answer.strip().toLowerCase(Locale.ROOT)) {
                    case "y", "yes" -> true;
                    default -> false;
                });
    }
}

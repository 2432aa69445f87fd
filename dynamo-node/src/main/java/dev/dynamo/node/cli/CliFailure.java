package dev.dynamo.node.cli;

/** Why a command stopped, in words for stderr, with the exit status that says which kind of failure it is. */
final class CliFailure extends RuntimeException {

    private final ExitStatus status;

    CliFailure(ExitStatus status, String message) {
        super(message);
        this.status = status;
    }

    ExitStatus status() {
        return status;
    }
}

package dev.dynamo.node.cli;

/** How {@code admin} ends, so scripts can tell a refusal from a typo from a node that is down. */
enum ExitStatus {
    /** The command did what it was asked. */
    OK(0),
    /** The node answered with an error (a problem document: 400, 401, 403, 404, 409, 503...). */
    REFUSED(1),
    /** The command line was wrong, or no password could be had. */
    USAGE(2),
    /** The node could not be reached, or did not answer in time. */
    UNREACHABLE(3),
    /** A removal was not confirmed: the operator said no, or there was no terminal to ask and no {@code --yes}. */
    NOT_CONFIRMED(4);

    private final int code;

    ExitStatus(int code) {
        this.code = code;
    }

    int code() {
        return code;
    }
}

package dev.dynamo.core.concurrent;

import java.util.concurrent.CompletionException;

/** What a future's failure was, without the wrapper that dependent stages add. */
public final class Futures {

    private Futures() {
    }

    /** {@code error}, or its cause when it is the {@link CompletionException} a dependent stage wrapped it in. */
    public static Throwable cause(Throwable error) {
        return error instanceof CompletionException && error.getCause() != null ? error.getCause() : error;
    }
}

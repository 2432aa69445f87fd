package dev.dynamo.node.clientapi;

import dev.dynamo.core.wire.ClientMessage;
import dev.dynamo.node.transport.ClientHandler;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;

/**
 * Counts the client requests a node is serving, so a graceful stop can let them finish: a rolling restart
 * then fails none of the requests it was coordinating, while new ones are already answered "not served"
 * and go to another node.
 */
final class DrainingClientHandler implements ClientHandler {

    private final ClientHandler delegate;
    private int serving;

    DrainingClientHandler(ClientHandler delegate) {
        this.delegate = delegate;
    }

    @Override
    public CompletableFuture<ClientMessage> handle(ClientMessage request) {
        synchronized (this) {
            serving++;
        }
        CompletableFuture<ClientMessage> reply;
        try {
            reply = delegate.handle(request);
        } catch (RuntimeException e) {
            finished();
            throw e;
        }
        return reply.whenComplete((message, error) -> finished());
    }

    private synchronized void finished() {
        if (--serving == 0) {
            notifyAll();
        }
    }

    /** Waits until no request is being served, or {@code bound} has passed; true when none is. */
    synchronized boolean awaitIdle(Duration bound) throws InterruptedException {
        long deadline = System.nanoTime() + bound.toNanos();
        for (long left = bound.toNanos(); serving > 0 && left > 0; left = deadline - System.nanoTime()) {
            wait(Math.max(1, left / 1_000_000));
        }
        return serving == 0;
    }
}

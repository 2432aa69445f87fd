package dev.dynamo.node.transport;

import dev.dynamo.core.wire.ClientMessage;
import java.util.concurrent.CompletableFuture;

/**
 * Serves the requests of client connections, as {@link MessageHandler} serves the peers': called on a
 * transport thread, must not block; a future that fails is answered with an internal
 * {@link ClientMessage.ClientFailure} by the transport.
 */
@FunctionalInterface
public interface ClientHandler {

    /** The reply to {@code request}: whatever a client sent, replies included, since it is not to be trusted. */
    CompletableFuture<ClientMessage> handle(ClientMessage request);
}

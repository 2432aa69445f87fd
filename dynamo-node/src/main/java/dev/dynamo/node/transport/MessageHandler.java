package dev.dynamo.node.transport;

import dev.dynamo.core.wire.Message;
import java.util.concurrent.CompletableFuture;

/**
 * Serves the requests that reach a node. It is called on a transport thread and must not block:
 * slow work completes the returned future later. A future that fails is answered with a
 * {@link Message.Failure} by the transport.
 */
@FunctionalInterface
public interface MessageHandler {

    /** The reply to {@code request}. */
    CompletableFuture<Message> handle(Message request);
}

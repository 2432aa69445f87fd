package dev.dynamo.node.transport;

import dev.dynamo.core.wire.Message;

/**
 * One message on an authenticated connection. The id pairs a reply with its request, so many
 * requests share one connection and their replies may come back in any order. The size is the
 * message's encoded bytes.
 */
record Frame(long id, boolean reply, Message message, int size) {
}

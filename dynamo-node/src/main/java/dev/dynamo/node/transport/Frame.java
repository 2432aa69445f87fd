package dev.dynamo.node.transport;

/**
 * One message on an authenticated connection. The id pairs a reply with its request, so many
 * requests share one connection and their replies may come back in any order. The size is the
 * message's encoded bytes; the age, how many milliseconds ago a peer sent its request ({@link
 * RequestAge}; zero where the connection does not stamp requests: replies, clients' requests).
 */
record Frame<M>(long id, boolean reply, M message, int size, long ageMillis) {
}

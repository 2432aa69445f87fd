package dev.dynamo.node.bench;

/**
 * How {@link HttpBench} sends its requests. Worker {@code w} only ever calls with its own
 * {@code worker} index, one request at a time, so an implementation may keep state per worker.
 */
interface HttpDriver extends AutoCloseable {

    /** Context header of the KV API. */
    String CONTEXT = "X-Dynamo-Context";

    /** What came back: the status, the body's length and the {@value #CONTEXT} header (or {@code null}). */
    record Reply(int status, int bodyLength, String context) {
    }

    /** {@code GET path}; the body is read and dropped. */
    Reply get(int worker, String path) throws Exception;

    /** {@code PUT path} with an octet-stream body, and the context header unless {@code context} is null. */
    Reply put(int worker, String path, String context, byte[] value) throws Exception;

    /** Anything the driver counted that helps read the figures, or an empty string. */
    default String stats() {
        return "";
    }

    @Override
    default void close() throws Exception {
    }
}

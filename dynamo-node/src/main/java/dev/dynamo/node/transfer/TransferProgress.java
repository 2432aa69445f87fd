package dev.dynamo.node.transfer;

/**
 * One transfer as operators see it, in plain values (rendered by {@code /actuator/ring}).
 *
 * @param partition     the partition pulled
 * @param source        the id of the replica it is pulled from
 * @param sourceAddress that replica's internode address
 * @param state         PENDING (waiting for a slot), STREAMING, FAILED (retrying after a backoff) or DONE
 * @param keysDone      entries merged here and durable
 * @param keysTotal     the partition's entries, as the source estimated them (exact once DONE); null until known
 * @param bytesDone     bytes of keys and values merged here and durable
 * @param bytesTotal    the partition's bytes of keys and values, estimated like {@code keysTotal}
 * @param bytesPerSecond the rate over the last ten seconds
 * @param etaSeconds    seconds left at that rate; null when the rate or the total is not known yet
 * @param failures      failed requests since the last batch that succeeded
 * @param lastError     why the last request failed, or null
 * @param skipped       entries this node could not move (too large to send, or unreadable) and went past,
 *                      since it started; each is logged as a warning
 * @param lastSkipped   the last of them and why, or null
 */
public record TransferProgress(int partition, String source, String sourceAddress, String state, long keysDone,
        Long keysTotal, long bytesDone, Long bytesTotal, long bytesPerSecond, Long etaSeconds, int failures,
        String lastError, long skipped, String lastSkipped) {
}

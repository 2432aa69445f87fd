package dev.dynamo.node.storage;

import java.nio.ByteBuffer;
import java.util.Deque;
import java.util.concurrent.ConcurrentLinkedDeque;
import java.util.concurrent.Semaphore;
import java.util.function.Function;
import org.lmdbjava.Env;
import org.lmdbjava.Txn;

/**
 * A pool of LMDB read transactions, so a read renews an idle one instead of opening a new one
 * (LMDB's reset/renew keeps the reader slot and skips its allocation).
 *
 * <p>The environment is opened with {@code MDB_NOTLS}: a transaction then belongs to whoever
 * borrows it rather than to an OS thread, which is what lets the pool hand it to any thread,
 * virtual threads included. A transaction is used by one borrower at a time, and at most
 * {@code maxReaders} are ever opened; a borrower beyond that waits for one to come back.
 */
final class LmdbReaders {

    /** A read transaction and a direct buffer to build keys in, used by one borrower at a time. */
    record Reader(Txn<ByteBuffer> txn, ByteBuffer scratch) {
    }

    private final Env<ByteBuffer> env;
    private final Semaphore permits;
    private final Deque<Reader> idle = new ConcurrentLinkedDeque<>();

    LmdbReaders(Env<ByteBuffer> env, int maxReaders) {
        this.env = env;
        this.permits = new Semaphore(maxReaders);
    }

    /** Runs {@code work} on a fresh snapshot; nothing it is given outlives the call. */
    <T> T read(Function<Reader, T> work) {
        permits.acquireUninterruptibly();
        try {
            Reader reader = idle.pollFirst();
            boolean renew = reader != null;
            if (reader == null) {
                reader = new Reader(env.txnRead(), ByteBuffer.allocateDirect(LmdbTable.LMDB_MAX_KEY));
            }
            try {
                if (renew) {
                    reader.txn().renew();
                }
                return work.apply(reader);
            } finally {
                reader.txn().reset();
                idle.addFirst(reader);
            }
        } finally {
            permits.release();
        }
    }

    /** Frees every transaction; call when no read is running. */
    void close() {
        for (Reader reader : idle) {
            reader.txn().renew(); // lmdbjava only aborts, and so frees, a transaction that is ready
            reader.txn().close();
        }
        idle.clear();
    }
}

package dev.dynamo.node.membership;

import dev.dynamo.core.membership.MembershipView;
import dev.dynamo.core.membership.MembershipViewCodec;
import dev.dynamo.node.storage.StorageEngine;
import dev.dynamo.node.storage.StorageEngine.Namespace;
import java.nio.charset.StandardCharsets;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Keeps this node's membership view (heartbeats left out: they belong to incarnations) in its
 * metadata, so a restarted node knows its cluster, the members and the ring without asking anyone.
 */
public final class MembershipStore {

    private static final Logger log = LoggerFactory.getLogger(MembershipStore.class);
    private static final byte[] KEY = "membership".getBytes(StandardCharsets.UTF_8);

    private final StorageEngine engine;
    private MembershipView saved;

    public MembershipStore(StorageEngine engine) {
        this.engine = engine;
    }

    /** The view kept at the last save, if any. */
    public synchronized Optional<MembershipView> load() {
        byte[] bytes = engine.get(Namespace.META, KEY);
        saved = bytes == null ? null : MembershipViewCodec.decode(bytes);
        return Optional.ofNullable(saved);
    }

    /**
     * Keeps the view {@code cluster} holds now, unless it equals what was kept last. The view is read
     * under this store's lock and the engine applies writes of one key in call order, so the latest
     * view is the one kept, whichever threads save. The write completes in the background.
     */
    public synchronized void save(ClusterView cluster) {
        MembershipView durable = cluster.view().withoutHeartbeats();
        if (durable.equals(saved)) {
            return;
        }
        saved = durable;
        engine.put(Namespace.META, KEY, MembershipViewCodec.encode(durable)).whenComplete((ok, error) -> {
            if (error != null) {
                log.warn("could not keep the membership view in this node's metadata; it will try again at the next change",
                        error);
                forget(durable);
            }
        });
    }

    private synchronized void forget(MembershipView failed) {
        if (failed.equals(saved)) {
            saved = null;
        }
    }
}

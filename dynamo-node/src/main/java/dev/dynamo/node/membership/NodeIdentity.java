package dev.dynamo.node.membership;

import dev.dynamo.node.storage.StorageEngine;
import dev.dynamo.node.storage.StorageEngine.Namespace;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.util.HexFormat;

/**
 * The node's id and its version actor, both kept in the node's own storage.
 *
 * <p>The actor is the id plus an epoch drawn when the store was first created. A node whose disk
 * was wiped comes back with a new epoch, so it can never issue a version dot it already issued
 * before the wipe (such a dot would look already-seen to other replicas, and the write would be
 * silently dropped).
 */
public record NodeIdentity(String id, String zone, String actor) {

    private static final byte[] ID_KEY = "node.id".getBytes(StandardCharsets.UTF_8);
    private static final byte[] EPOCH_KEY = "node.epoch".getBytes(StandardCharsets.UTF_8);
    private static final SecureRandom RANDOM = new SecureRandom();

    /** Reads the identity from storage, creating it at first start. */
    public static NodeIdentity load(StorageEngine engine, NodeProperties properties) {
        String stored = text(engine.get(Namespace.META, ID_KEY));
        String configured = properties.id() == null || properties.id().isBlank() ? null : properties.id().strip();
        if (stored != null && configured != null && !stored.equals(configured)) {
            throw new IllegalStateException("the data directory belongs to node '" + stored
                    + "' but dynamo.node.id is '" + configured + "': point dynamo.storage.path at this node's data");
        }
        String id = stored != null ? stored : configured != null ? configured : "node-" + randomHex(4);
        String epoch = text(engine.get(Namespace.META, EPOCH_KEY));
        if (epoch == null) {
            epoch = randomHex(4);
            engine.put(Namespace.META, EPOCH_KEY, epoch.getBytes(StandardCharsets.UTF_8)).join();
        }
        if (stored == null) {
            engine.put(Namespace.META, ID_KEY, id.getBytes(StandardCharsets.UTF_8)).join();
        }
        return new NodeIdentity(id, properties.zone(), id + "@" + epoch);
    }

    private static String text(byte[] bytes) {
        return bytes == null ? null : new String(bytes, StandardCharsets.UTF_8);
    }

    private static String randomHex(int bytes) {
        byte[] random = new byte[bytes];
        RANDOM.nextBytes(random);
        return HexFormat.of().formatHex(random);
    }
}

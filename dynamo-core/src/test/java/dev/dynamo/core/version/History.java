package dev.dynamo.core.version;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;

/**
 * A seeded random history of puts and merges on three replicas, recording every write and state
 * for the oracles. Replica i writes only as actor i, as dotted version vectors require (Almeida et
 * al. 2014): an actor's dots are minted in one place, so no dot is ever reused. Public for the
 * codec tests of other packages, which need realistic versioned values.
 */
public final class History {

    static final String[] ACTORS = {"a", "b", "c"};

    /** A write as the client made it: the dot it got and the context it was made with. */
    record Write(Dot dot, Content content, VersionVector context) {
    }

    /** One put as applied at its coordinator. */
    record Put(VersionedValue before, VersionVector context, String actor, Content content, VersionedValue after) {
    }

    final long seed;
    final ConflictPolicy policy;
    final VersionedValue[] replicas = {VersionedValue.empty(), VersionedValue.empty(), VersionedValue.empty()};
    final List<Write> writes = new ArrayList<>();
    final List<Put> puts = new ArrayList<>();
    /** Every state any replica has had, in order per replica: each one descends the ones before it. */
    final List<List<VersionedValue>> statesByReplica = List.of(new ArrayList<>(), new ArrayList<>(), new ArrayList<>());
    final List<VersionedValue> allStates = new ArrayList<>();
    private final Random random;

    private History(long seed, ConflictPolicy policy) {
        this.seed = seed;
        this.policy = policy;
        this.random = new Random(seed);
        allStates.add(VersionedValue.empty());
    }

    /** A history of 1 to 40 steps, about half puts and half one-way merges. */
    public static History generate(long seed, ConflictPolicy policy) {
        History h = new History(seed, policy);
        int steps = 1 + h.random.nextInt(40);
        for (int step = 0; step < steps; step++) {
            int replica = h.random.nextInt(3);
            if (h.random.nextBoolean()) {
                h.put(replica, h.randomContext(), h.randomContent());
            } else {
                VersionedValue mine = h.replicas[replica];
                VersionedValue theirs = h.replicas[h.random.nextInt(3)];
                // Either argument order: merge must not care.
                h.record(replica, h.random.nextBoolean() ? mine.merge(theirs, policy) : theirs.merge(mine, policy));
            }
        }
        return h;
    }

    VersionedValue put(int replica, VersionVector context, Content content) {
        VersionedValue before = replicas[replica];
        String actor = ACTORS[replica];
        VersionedValue after = before.put(context, actor, content, policy);
        writes.add(new Write(new Dot(actor, after.clock().get(actor)), content, context));
        puts.add(new Put(before, context, actor, content, after));
        record(replica, after);
        return after;
    }

    /** A context a real client could hold: none, a fresh or quorum read, or any stale read. */
    public VersionVector randomContext() {
        return switch (random.nextInt(4)) {
            case 0 -> VersionVector.empty();
            case 1 -> replicas[random.nextInt(3)].clock();
            case 2 -> replicas[0].merge(replicas[1 + random.nextInt(2)], policy).clock();
            default -> allStates.get(random.nextInt(allStates.size())).clock();
        };
    }

    /** Small values and a narrow timestamp range, so equal timestamps and tombstones are common. */
    public Content randomContent() {
        if (random.nextInt(5) == 0) {
            return Content.tombstone(random.nextInt(20));
        }
        byte[] value = new byte[random.nextInt(4)];
        random.nextBytes(value);
        long expiresAt = random.nextInt(4) == 0 ? 1 + random.nextInt(40) : Content.NEVER; // some expiring values
        return new Content(value, random.nextBoolean() ? "text/plain" : null, random.nextInt(20), false, expiresAt);
    }

    VersionedValue fullyMerged() {
        return replicas[0].merge(replicas[1], policy).merge(replicas[2], policy);
    }

    public VersionedValue randomState() {
        return allStates.get(random.nextInt(allStates.size()));
    }

    public Random random() {
        return random;
    }

    private void record(int replica, VersionedValue state) {
        replicas[replica] = state;
        statesByReplica.get(replica).add(state);
        allStates.add(state);
    }
}

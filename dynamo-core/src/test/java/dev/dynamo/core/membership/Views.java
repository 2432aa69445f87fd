package dev.dynamo.core.membership;

import dev.dynamo.core.ring.Member;
import dev.dynamo.core.ring.Ring;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.stream.IntStream;

/**
 * Random views over a small pool of members, addresses, versions and rings, so that random views
 * often hold entries, heartbeats and rings that tie or compete. The rings include pairs of one
 * version with different content, as two claimants could make.
 */
final class Views {

    static final String CLUSTER = "c0ffee";
    private static final int POOL = 6;

    private final Random random;
    private final List<Ring> rings = new ArrayList<>();

    Views(long seed) {
        this.random = new Random(seed);
        for (int version = 1; version <= 3; version++) {
            for (int size = 1; size <= 3; size++) {
                Ring ring = Ring.create(8, members(size));
                for (int v = 1; v < version; v++) {
                    ring = ring.withMember(member(POOL + 10 * version + v)).withoutMember(member(POOL + 10 * version + v).id());
                }
                rings.add(ring);
            }
        }
    }

    static Member member(int i) {
        return new Member("node-" + i, "10.0.0." + i + ":7070", "zone-" + i % 2);
    }

    static List<Member> members(int count) {
        return IntStream.range(0, count).mapToObj(Views::member).toList();
    }

    Random random() {
        return random;
    }

    /** A random view of the test cluster (now and then of no cluster yet). */
    MembershipView next() {
        List<MemberEntry> entries = new ArrayList<>();
        Map<String, Heartbeat> heartbeats = new HashMap<>();
        for (int i = 0; i < POOL; i++) {
            if (random.nextInt(3) > 0) {
                Member m = member(i);
                Member moved = random.nextInt(4) == 0 ? new Member(m.id(), "10.0.1." + i + ":7070", m.zone()) : m;
                entries.add(new MemberEntry(moved, MemberStatus.values()[random.nextInt(MemberStatus.values().length)],
                        1 + random.nextInt(3), "node-" + random.nextInt(POOL)));
            }
            if (random.nextInt(3) > 0) {
                heartbeats.put("node-" + i, new Heartbeat(1 + random.nextInt(2), random.nextInt(4)));
            }
        }
        Ring ring = random.nextInt(4) == 0 ? null : rings.get(random.nextInt(rings.size()));
        Ring next = random.nextInt(3) == 0 ? rings.get(random.nextInt(rings.size())) : null;
        if (next != null && ring != null && next.version() <= ring.version()) {
            next = null;
        }
        Map<String, Long> progress = new HashMap<>();
        for (int i = 0; i < POOL; i++) {
            if (random.nextInt(4) == 0) {
                progress.put("node-" + i, 1L + random.nextInt(7));
            }
        }
        return MembershipView.of(random.nextInt(8) == 0 ? "" : CLUSTER, entries, heartbeats, ring, next, progress);
    }
}

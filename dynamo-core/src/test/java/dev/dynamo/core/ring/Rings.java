package dev.dynamo.core.ring;

import java.util.List;
import java.util.stream.IntStream;

/** Test helpers: members with predictable ids, addresses and zones. */
final class Rings {

    private Rings() {
    }

    static Member member(int i) {
        return member(i, 1);
    }

    static Member member(int i, int zones) {
        return new Member(String.format("node-%03d", i), "10.0.0." + i + ":7000", "zone-" + (i % zones));
    }

    static List<Member> members(int count, int zones) {
        return IntStream.range(0, count).mapToObj(i -> member(i, zones)).toList();
    }

    static int moved(Ring before, Ring after) {
        int moved = 0;
        for (int p = 0; p < before.partitions(); p++) {
            moved += before.owner(p).equals(after.owner(p)) ? 0 : 1;
        }
        return moved;
    }

    static int spread(Ring ring) {
        var counts = ring.ownedCounts().values();
        return counts.stream().mapToInt(Integer::intValue).max().orElseThrow()
                - counts.stream().mapToInt(Integer::intValue).min().orElseThrow();
    }

    static int ceilDiv(int a, int b) {
        return (a + b - 1) / b;
    }
}

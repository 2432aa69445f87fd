package dev.dynamo.core.ring;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Preference order for a partition: Dynamo's walk clockwise from the key's partition, skipping
 * members already listed (DeCandia et al. 2007, section 4.3), made zone-aware.
 *
 * <p>While some zone is not yet represented, the next member is the first in walk order from an
 * unused zone; once every zone is used, the rest follow in walk order. So the first N members span
 * min(N, zones) zones, and the order is prefix-stable: the first N for any N agree.
 */
final class PreferenceWalk {

    private PreferenceWalk() {
    }

    /** Every member, preference order first for the given partition. */
    static List<Member> order(Ring ring, int partition) {
        Map<String, Member> byId = new LinkedHashMap<>();
        ring.members().forEach(m -> byId.put(m.id(), m));
        List<Member> walk = new ArrayList<>(byId.size());
        Set<String> seen = new HashSet<>();
        int q = ring.partitions();
        for (int i = 0; i < q && walk.size() < byId.size(); i++) {
            String owner = ring.owners().get((partition + i) % q);
            if (seen.add(owner)) {
                walk.add(byId.get(owner));
            }
        }
        // Members owning nothing (more members than partitions) can still stand in, after the owners.
        byId.values().stream().filter(m -> !seen.contains(m.id())).forEach(walk::add);
        return zoneSpread(walk);
    }

    private static List<Member> zoneSpread(List<Member> walk) {
        Set<String> zones = new HashSet<>();
        walk.forEach(m -> zones.add(m.zone()));
        if (zones.size() < 2) {
            return List.copyOf(walk);
        }
        List<Member> result = new ArrayList<>(walk.size());
        List<Member> rest = new ArrayList<>(walk);
        Set<String> used = new HashSet<>();
        while (used.size() < zones.size()) {
            Member next = rest.stream().filter(m -> !used.contains(m.zone())).findFirst().orElseThrow();
            rest.remove(next);
            result.add(next);
            used.add(next.zone());
        }
        result.addAll(rest);
        return List.copyOf(result);
    }
}

package dev.dynamo.node.membership;

import java.util.List;

/** The seeds of {@code dynamo.cluster.seeds}; with none configured, this node alone: a cluster of one. */
public final class ConfiguredSeeds implements SeedProvider {

    private final List<String> seeds;

    public ConfiguredSeeds(List<String> configured, String selfAddress) {
        List<String> listed = configured.stream().map(String::strip).filter(s -> !s.isEmpty()).distinct().sorted().toList();
        this.seeds = listed.isEmpty() ? List.of(selfAddress) : listed;
    }

    @Override
    public List<String> seeds() {
        return seeds;
    }

    @Override
    public String toString() {
        return "configured seeds " + seeds;
    }
}

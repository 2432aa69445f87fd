package dev.dynamo.node.simulation;

/**
 * One life of a node, from start to crash. Timers and replies belong to an incarnation, not to the
 * node's name, so that nothing a crashed process had in memory reaches the process that restarts.
 */
final class Incarnation {

    private final String name;
    private boolean alive = true;

    Incarnation(String nodeId, int number) {
        this.name = nodeId + "#" + number;
    }

    boolean alive() {
        return alive;
    }

    /** The process is gone: its pending tasks and the replies addressed to it are dropped. */
    void end() {
        alive = false;
    }

    @Override
    public String toString() {
        return name;
    }
}

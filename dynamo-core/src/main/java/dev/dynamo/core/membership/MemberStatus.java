package dev.dynamo.core.membership;

/**
 * Where a member is in its life in the cluster, as operators decide it. Declared in lifecycle
 * order: when two changes of one member carry the same version, the later status wins (a removal
 * beats a concurrent join).
 */
public enum MemberStatus {
    /** added by an operator; receives partitions as they are handed to it */
    JOINING,
    /** a full member */
    UP,
    /** asked to leave; hands its partitions off */
    LEAVING,
    /** gone; the entry stays so that older news of the member cannot bring it back */
    REMOVED
}

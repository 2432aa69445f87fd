package dev.dynamo.core.quorum;

/** Where a quorum request stands. */
public enum Outcome {
    /** not enough answers yet, and enough may still come */
    PENDING,
    /** the quorum was reached */
    SUCCEEDED,
    /** too few replicas are left to reach the quorum */
    FAILED
}

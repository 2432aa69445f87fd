package dev.dynamo.node.coordination;

/** Fewer replicas than the quorum answered within the request's time. */
public class QuorumNotReachedException extends RuntimeException {

    private final int answered;
    private final int required;

    public QuorumNotReachedException(String operation, int answered, int required) {
        super(operation + " quorum not reached: " + answered + " of the " + required
                + " required replicas answered in time");
        this.answered = answered;
        this.required = required;
    }

    /** How many replicas answered. */
    public int answered() {
        return answered;
    }

    /** How many were needed. */
    public int required() {
        return required;
    }
}

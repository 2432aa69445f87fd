package dev.dynamo.node.membership;

/** A membership request that contradicts the view: an address taken by another member, or the last member leaving. */
public class MembershipConflictException extends RuntimeException {

    public MembershipConflictException(String message) {
        super(message);
    }
}

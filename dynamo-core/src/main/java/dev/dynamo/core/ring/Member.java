package dev.dynamo.core.ring;

import java.util.Objects;

/**
 * A physical node as the ring knows it: a stable id, its internode address ({@code host:port}) and
 * the zone it runs in, which preference lists spread replicas over.
 */
public record Member(String id, String address, String zone) {

    /** Validates that every field is present and the address looks like {@code host:port}. */
    public Member {
        requireText(id, "id");
        requireText(address, "address");
        requireText(zone, "zone");
        int colon = address.lastIndexOf(':');
        if (colon <= 0 || colon == address.length() - 1) {
            throw new IllegalArgumentException("member address must be host:port, got '" + address + "'");
        }
    }

    private static void requireText(String value, String field) {
        Objects.requireNonNull(value, () -> "member " + field + " is required");
        if (value.isBlank()) {
            throw new IllegalArgumentException("member " + field + " must not be blank");
        }
    }
}

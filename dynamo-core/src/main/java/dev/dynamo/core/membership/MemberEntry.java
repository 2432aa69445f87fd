package dev.dynamo.core.membership;

import dev.dynamo.core.ring.Member;
import java.util.Objects;

/**
 * What the cluster knows of one member: who and where it is, its status, and which change said so.
 *
 * <p>Every change of a member is made by one node, the issuer, which raises the version by one;
 * so the higher version is the later change. Two nodes that change one member at once (an operator
 * at each) issue the same version: the later status wins, then the greater issuer id, then the
 * greater address and zone, so every node picks the same entry whatever order the news arrives in.
 */
public record MemberEntry(Member member, MemberStatus status, long version, String issuer)
        implements Comparable<MemberEntry> {

    public MemberEntry {
        Objects.requireNonNull(member, "member");
        Objects.requireNonNull(status, "status");
        Objects.requireNonNull(issuer, "issuer");
        if (version < 1) {
            throw new IllegalArgumentException("member entry version must be at least 1, got " + version);
        }
        if (issuer.isBlank()) {
            throw new IllegalArgumentException("member entry issuer must not be blank");
        }
    }

    /** The first entry of a member, issued by {@code issuer}. */
    public static MemberEntry first(Member member, MemberStatus status, String issuer) {
        return new MemberEntry(member, status, 1, issuer);
    }

    /** This member changed by {@code issuer}: the next version, with {@code member} and {@code status}. */
    public MemberEntry changed(Member member, MemberStatus status, String issuer) {
        if (!member.id().equals(this.member.id())) {
            throw new IllegalArgumentException("an entry of '" + this.member.id() + "' cannot become one of '"
                    + member.id() + "'");
        }
        return new MemberEntry(member, status, version + 1, issuer);
    }

    /** The member's id, the entry's key in a view. */
    public String id() {
        return member.id();
    }

    /** Later change first; see the class comment for ties. */
    @Override
    public int compareTo(MemberEntry other) {
        if (this == other) {
            return 0;
        }
        int c = Long.compare(version, other.version);
        c = c != 0 ? c : status.compareTo(other.status);
        c = c != 0 ? c : issuer.compareTo(other.issuer);
        c = c != 0 ? c : member.id().compareTo(other.member.id());
        c = c != 0 ? c : member.address().compareTo(other.member.address());
        return c != 0 ? c : member.zone().compareTo(other.member.zone());
    }
}

package dev.dynamo.node.membership;

import dev.dynamo.core.concurrent.Futures;
import dev.dynamo.core.membership.MemberEntry;
import dev.dynamo.core.membership.MemberStatus;
import dev.dynamo.core.membership.MembershipView;
import dev.dynamo.core.ring.Member;
import dev.dynamo.core.wire.Message;
import dev.dynamo.node.peer.PeerCalls;
import dev.dynamo.node.peer.UnexpectedReplyException;
import java.util.concurrent.CompletableFuture;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Operators' membership requests, as made on any node: they only mark a member JOINING or LEAVING
 * in the view, which gossip spreads and the claimant turns into a ring change. Both are idempotent:
 * asking again for what is already asked, or done, changes nothing.
 */
public final class MembershipChanges {

    private static final Logger log = LoggerFactory.getLogger(MembershipChanges.class);

    private final ClusterView cluster;
    private final Gossiper gossiper;
    private final PeerCalls peers;

    public MembershipChanges(ClusterView cluster, Gossiper gossiper, PeerCalls peers) {
        this.cluster = cluster;
        this.gossiper = gossiper;
        this.peers = peers;
    }

    /**
     * Adds the node listening at {@code address} (internode {@code host:port}): asks it who it is
     * over the authenticated transport, so only a node holding the cluster secret can be added.
     * Completes with its entry; fails with {@link ClusterUnavailableException} when it cannot be
     * reached or authenticated, and {@link MembershipConflictException} when its address belongs
     * to another member.
     *
     * @throws IllegalArgumentException when {@code address} is not {@code host:port}
     */
    public CompletableFuture<MemberEntry> join(String address) {
        checkAddress(address);
        return peers.callAddress(address, new Message.Describe(), Message.Described.class).handle((described, error) -> {
            Throwable cause = error == null ? null : Futures.cause(error);
            if (cause instanceof UnexpectedReplyException unexpected) {
                throw new ClusterUnavailableException("cannot add " + address + ": it answered " + unexpected.reply());
            }
            if (cause != null) {
                throw new ClusterUnavailableException("cannot add " + address + ": it did not answer ("
                        + (cause.getCause() != null ? cause.getCause().getMessage() : cause.getMessage())
                        + "); is it running, with this cluster's secret?");
            }
            return add(described.member());
        });
    }

    private synchronized MemberEntry add(Member member) {
        MembershipView view = cluster.view();
        view.members().values().stream()
                .filter(e -> view.isActive(e.id()) && !e.id().equals(member.id())
                        && e.member().address().equals(member.address()))
                .findFirst().ifPresent(other -> {
                    throw new MembershipConflictException("address " + member.address() + " belongs to member "
                            + other.id() + "; remove it first");
                });
        MemberEntry held = view.member(member.id()).orElse(null);
        if (held != null && (held.status() == MemberStatus.JOINING || held.status() == MemberStatus.UP)) {
            return held;
        }
        String self = cluster.self().id();
        MemberEntry joining = held == null ? MemberEntry.first(member, MemberStatus.JOINING, self)
                : held.changed(member, MemberStatus.JOINING, self);
        gossiper.merge(MembershipView.EMPTY.with(joining));
        log.info("membership: an operator added {} at {}", member.id(), member.address());
        return joining;
    }

    /**
     * Asks member {@code id} to leave: the others copy its partitions, then it is removed.
     *
     * @throws UnknownMemberException when the view has no such member
     * @throws MembershipConflictException when it is the last member
     */
    public synchronized MemberEntry leave(String id) {
        MembershipView view = cluster.view();
        MemberEntry held = view.member(id).orElseThrow(() -> new UnknownMemberException("no member has id '" + id + "'"));
        if (held.status() == MemberStatus.LEAVING || held.status() == MemberStatus.REMOVED) {
            return held;
        }
        boolean othersStay = view.members().values().stream()
                .anyMatch(e -> !e.id().equals(id) && e.status() == MemberStatus.UP);
        if (!othersStay) {
            throw new MembershipConflictException("'" + id + "' is the last member: a cluster cannot lose all its members");
        }
        MemberEntry leaving = held.changed(held.member(), MemberStatus.LEAVING, cluster.self().id());
        gossiper.merge(MembershipView.EMPTY.with(leaving));
        log.info("membership: an operator asked {} to leave", id);
        return leaving;
    }

    private static void checkAddress(String address) {
        int colon = address == null ? -1 : address.lastIndexOf(':');
        if (colon <= 0) {
            throw new IllegalArgumentException("address must be host:port, got '" + address + "'");
        }
        try {
            int port = Integer.parseInt(address.substring(colon + 1));
            if (port < 1 || port > 65_535) {
                throw new IllegalArgumentException("the port of '" + address + "' must be 1 to 65535");
            }
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("the port of '" + address + "' is not a number");
        }
    }
}

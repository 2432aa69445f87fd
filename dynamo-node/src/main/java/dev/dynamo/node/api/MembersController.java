package dev.dynamo.node.api;

import dev.dynamo.core.membership.Claimant;
import dev.dynamo.core.membership.MemberEntry;
import dev.dynamo.core.membership.MembershipView;
import dev.dynamo.core.ring.Ring;
import dev.dynamo.node.membership.ClusterView;
import dev.dynamo.node.membership.MembershipChanges;
import dev.dynamo.node.peer.FailureDetector;
import dev.dynamo.node.transfer.TransferProgress;
import dev.dynamo.node.transfer.Transfers;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.CompletionException;
import java.util.stream.Collectors;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;

/**
 * The operators' membership API, on every node (behind the operator's credentials, see the
 * security package): list the members, add one by its internode address, ask one to leave. Adding
 * and removing only mark the member; {@code GET} shows the ring change that follows and this node's
 * transfers. Bodies are JSON only.
 */
@RestController
@RequestMapping("/admin/api/members")
class MembersController {

    private final ClusterView cluster;
    private final MembershipChanges changes;
    private final FailureDetector detector;
    private final Transfers transfers;

    MembersController(ClusterView cluster, MembershipChanges changes, FailureDetector detector, Transfers transfers) {
        this.cluster = cluster;
        this.changes = changes;
        this.detector = detector;
        this.transfers = transfers;
    }

    /** One member as the view knows it, with the partitions it owns now and after the change under way. */
    record MemberView(String id, String address, String zone, String status, long version, String reachability,
            int partitions, Integer partitionsAfterChange) {
    }

    /** A ring change under way: the ring it moves to and each node's progress (seen, ready). */
    record ChangeView(long nextRingVersion, Map<String, String> progress) {
    }

    record MembersView(String self, String cluster, Long ringVersion, String claimant, List<MemberView> members,
            ChangeView change, List<TransferProgress> transfers) {
    }

    /** What the operator sends to add a node: its internode {@code host:port}. */
    record JoinRequest(String address) {
    }

    @GetMapping(produces = MediaType.APPLICATION_JSON_VALUE)
    MembersView members() {
        MembershipView view = cluster.view();
        Map<String, Integer> owned = view.ring().map(Ring::ownedCounts).orElse(Map.of());
        Map<String, Integer> ownedAfter = view.next().map(Ring::ownedCounts).orElse(null);
        List<MemberView> members = view.members().values().stream().map(e -> new MemberView(e.id(),
                e.member().address(), e.member().zone(), e.status().name(), e.version(), reachability(e),
                owned.getOrDefault(e.id(), 0), ownedAfter == null ? null : ownedAfter.getOrDefault(e.id(), 0))).toList();
        ChangeView change = view.next().map(next -> new ChangeView(next.version(), progress(view, next.version())))
                .orElse(null);
        return new MembersView(cluster.self().id(), view.cluster(), view.ring().map(Ring::version).orElse(null),
                Claimant.of(view).orElse(null), members, change, transfers.progress());
    }

    @PostMapping(consumes = MediaType.APPLICATION_JSON_VALUE, produces = MediaType.APPLICATION_JSON_VALUE)
    ResponseEntity<MemberView> join(@RequestBody JoinRequest request) {
        if (request == null || request.address() == null || request.address().isBlank()) {
            throw new BadRequestException("the body must be {\"address\": \"host:port\"}, the node's internode address");
        }
        MemberEntry entry;
        try {
            entry = changes.join(request.address().strip()).join();
        } catch (IllegalArgumentException e) {
            throw new BadRequestException(e.getMessage());
        } catch (CompletionException e) {
            throw e.getCause() instanceof RuntimeException cause ? cause : e;
        }
        return ResponseEntity.status(HttpStatus.ACCEPTED).body(view(entry));
    }

    @DeleteMapping(path = "/{nodeId}", produces = MediaType.APPLICATION_JSON_VALUE)
    ResponseEntity<MemberView> leave(@PathVariable String nodeId) {
        return ResponseEntity.status(HttpStatus.ACCEPTED).body(view(changes.leave(nodeId)));
    }

    private MemberView view(MemberEntry e) {
        MembershipView view = cluster.view();
        return new MemberView(e.id(), e.member().address(), e.member().zone(), e.status().name(), e.version(),
                reachability(e), view.ring().map(r -> r.ownedCounts().getOrDefault(e.id(), 0)).orElse(0),
                view.next().map(r -> r.ownedCounts().getOrDefault(e.id(), 0)).orElse(null));
    }

    private String reachability(MemberEntry entry) {
        return entry.id().equals(cluster.self().id()) ? "self"
                : detector.isAvailable(entry.id()) ? "reachable" : "unreachable";
    }

    private static Map<String, String> progress(MembershipView view, long version) {
        return view.members().keySet().stream().filter(view::isActive).collect(Collectors.toMap(
                id -> id, id -> view.isReady(id, version) ? "ready" : view.hasSeen(id, version) ? "seen" : "not yet",
                (a, b) -> a, TreeMap::new));
    }
}

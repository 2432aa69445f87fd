package dev.dynamo.node.api;

import dev.dynamo.core.ring.Ring;
import dev.dynamo.node.bucket.ReplicationProperties;
import dev.dynamo.node.console.NodeStatus;
import dev.dynamo.node.console.RemovalPreview;
import dev.dynamo.node.membership.ClusterView;
import dev.dynamo.node.membership.MembershipConflictException;
import dev.dynamo.node.membership.UnknownMemberException;
import dev.dynamo.node.storage.StorageEngine;
import org.springframework.http.MediaType;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RestController;

/**
 * What the admin console reads beyond the members and the ring (operator-only, like all of
 * {@code /admin/api}): this node's live status, and what removing a member would move.
 */
@RestController
class ConsoleController {

    private final NodeStatus status;
    private final ClusterView cluster;
    private final StorageEngine engine;
    private final int defaultN;

    ConsoleController(NodeStatus status, ClusterView cluster, StorageEngine engine, ReplicationProperties replication) {
        this.status = status;
        this.cluster = cluster;
        this.engine = engine;
        this.defaultN = replication.defaults().n();
    }

    @GetMapping(path = "/admin/api/status", produces = MediaType.APPLICATION_JSON_VALUE)
    NodeStatus.Status status() {
        return status.status();
    }

    @GetMapping(path = "/admin/api/members/{nodeId}/removal", produces = MediaType.APPLICATION_JSON_VALUE)
    RemovalPreview removal(@PathVariable String nodeId) {
        if (cluster.view().member(nodeId).isEmpty()) {
            throw new UnknownMemberException("no member has id '" + nodeId + "'");
        }
        Ring ring = cluster.requireRing();
        try {
            return RemovalPreview.of(ring, nodeId, defaultN, cluster.self().id(), engine.sizeInBytes());
        } catch (IllegalArgumentException lastMember) {
            throw new MembershipConflictException(lastMember.getMessage());
        }
    }
}

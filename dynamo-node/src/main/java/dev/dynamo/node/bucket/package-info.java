/** Per-bucket settings: replication factor, quorums, timeouts and conflict policy, read by every concern. */
package dev.dynamo.node.bucket;

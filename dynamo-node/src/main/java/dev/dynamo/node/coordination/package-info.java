/** Client requests against the replicas of a key: quorums and per-bucket settings. */
package dev.dynamo.node.coordination;

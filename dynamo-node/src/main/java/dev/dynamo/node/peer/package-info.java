/** Calls to other nodes: one seam for timeouts, reply checks, failure detection and byte counts. */
package dev.dynamo.node.peer;

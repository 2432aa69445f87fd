/** How nodes talk to each other: the {@link dev.dynamo.node.transport.Transport} seam and its Netty implementation. */
package dev.dynamo.node.transport;

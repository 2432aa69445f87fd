/** The binary client API on the transport port: what {@code DynamoClient}s ask, validated at the edge like HTTP. */
package dev.dynamo.node.clientapi;

/** The binary client API on the transport port: translates what {@code DynamoClient}s ask to the KvService and back. */
package dev.dynamo.node.clientapi;

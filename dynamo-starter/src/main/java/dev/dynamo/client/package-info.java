/** The partition-aware client of a Dynamo cluster: {@link dev.dynamo.client.DynamoClient} and its failures. */
package dev.dynamo.client;

/** Spring Boot auto-configuration of a {@link dev.dynamo.client.DynamoClient} from {@code dynamo.client.*}. */
package dev.dynamo.client.autoconfigure;

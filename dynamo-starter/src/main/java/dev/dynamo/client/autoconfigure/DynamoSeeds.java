package dev.dynamo.client.autoconfigure;

import java.util.List;

/** Where the client finds nodes before it knows the ring; asked again whenever no known node answers. */
@FunctionalInterface
public interface DynamoSeeds {

    /** Transport addresses, {@code host:port}. */
    List<String> addresses();
}

package dev.dynamo.node.transport;

import dev.dynamo.core.wire.ClientProtocol;
import java.util.Optional;

/** Decides whether a client's hello opens a client session: checked once per connection. */
@FunctionalInterface
public interface ClientGate {

    /** Admits every hello, with or without credentials (the data API is open). */
    ClientGate OPEN = hello -> Optional.empty();

    /** Why {@code hello} is refused, or empty when the connection may be served. */
    Optional<String> refusal(ClientProtocol.Hello hello);
}

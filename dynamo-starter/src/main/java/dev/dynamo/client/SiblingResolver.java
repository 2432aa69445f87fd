package dev.dynamo.client;

import dev.dynamo.core.client.Value;
import java.util.List;

/**
 * Merges concurrent values of a key into one (DeCandia et al. 2007, section 4.4: the shopping cart
 * merges its versions' items). The merge is written back with the context that covers all the
 * siblings, so they are superseded; it should be commutative and idempotent, since two clients may
 * resolve the same siblings at once.
 */
@FunctionalInterface
public interface SiblingResolver {

    /** One value standing for {@code siblings} (two or more). */
    Value resolve(List<Value> siblings);
}

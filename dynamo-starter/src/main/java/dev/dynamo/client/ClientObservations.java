package dev.dynamo.client;

import dev.dynamo.core.client.WriteCondition;
import dev.dynamo.core.wire.ClientMessage.ClientConditionalPut;
import dev.dynamo.core.wire.ClientMessage.ClientDelete;
import dev.dynamo.core.wire.ClientMessage.ClientGet;
import dev.dynamo.core.wire.ClientMessage.ClientListKeys;
import dev.dynamo.core.wire.ClientMessage.ClientPut;
import dev.dynamo.core.wire.ClientMessage.Request;
import dev.dynamo.core.wire.ClientMessage.RingFetch;
import io.micrometer.observation.Observation;
import io.micrometer.observation.ObservationRegistry;

/**
 * Each call of the client as a Micrometer {@link Observation} named after OpenTelemetry's database client
 * conventions: {@value #NAME} (a timer where a meter registry observes, a span where a tracer does, named
 * "{@code <operation> <bucket>}"), with low-cardinality {@code db.system.name=dynamo}, {@code db.operation.name},
 * {@code db.collection.name} (the bucket), {@code outcome} ({@code success} or {@code error}) and
 * {@code error.type} (the exception's simple name, or {@code none}). Keys and values never become tags. A call
 * is observed once, from its start to its answer, retries included.
 */
public final class ClientObservations {

    /** The observation's name, and so the timer's. */
    public static final String NAME = "db.client.operation.duration";

    private ClientObservations() {
    }

    static Observation start(ObservationRegistry registry, Request request, String bucket) {
        String operation = operation(request);
        return Observation.createNotStarted(NAME, registry).contextualName(operation + " " + bucket)
                .lowCardinalityKeyValue("db.system.name", "dynamo")
                .lowCardinalityKeyValue("db.operation.name", operation)
                .lowCardinalityKeyValue("db.collection.name", bucket)
                .start();
    }

    static void stop(Observation observation, Throwable error) {
        observation.lowCardinalityKeyValue("outcome", error == null ? "success" : "error")
                .lowCardinalityKeyValue("error.type", error == null ? "none" : error.getClass().getSimpleName());
        if (error != null) {
            observation.error(error);
        }
        observation.stop();
    }

    private static String operation(Request request) {
        return switch (request) {
            case ClientGet get -> "get";
            case ClientPut put -> "put";
            case ClientDelete delete -> "delete";
            case ClientConditionalPut conditional -> conditional.condition() == WriteCondition.ABSENT ? "put_if_absent"
                    : "replace";
            case ClientListKeys list -> "list_keys";
            case RingFetch fetch -> "fetch_ring";
        };
    }
}

package dev.dynamo.test;

import dev.dynamo.test.DynamoTest.Storage;
import java.util.Arrays;
import java.util.Optional;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.platform.commons.support.AnnotationSupport;

/**
 * What cluster a test class asks for: from {@link DynamoTest} on it or on a class enclosing it, or the default
 * one for {@code @ExtendWith(DynamoExtension.class)} alone.
 */
record ClusterSpec(int nodes, Storage storage) {

    static final int MAX_NODES = 7;
    static final ClusterSpec DEFAULT = new ClusterSpec(1, Storage.MEMORY);

    ClusterSpec {
        if (nodes < 1 || nodes > MAX_NODES) {
            throw new IllegalArgumentException("a test cluster has 1 to " + MAX_NODES + " nodes, not " + nodes);
        }
    }

    /** The cluster {@code testClass} asks for, if it asks for one. */
    static Optional<ClusterSpec> of(Class<?> testClass) {
        for (Class<?> c = testClass; c != null; c = c.getEnclosingClass()) {
            Optional<DynamoTest> test = AnnotationSupport.findAnnotation(c, DynamoTest.class);
            if (test.isPresent()) {
                return Optional.of(new ClusterSpec(test.get().nodes(), test.get().storage()));
            }
            boolean extended = AnnotationSupport.findRepeatableAnnotations(c, ExtendWith.class).stream()
                    .anyMatch(with -> Arrays.asList(with.value()).contains(DynamoExtension.class));
            if (extended) {
                return Optional.of(DEFAULT);
            }
        }
        return Optional.empty();
    }
}

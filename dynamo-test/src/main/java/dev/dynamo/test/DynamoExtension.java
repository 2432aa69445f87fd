package dev.dynamo.test;

import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.ParameterContext;
import org.junit.jupiter.api.extension.ParameterResolver;

/**
 * Starts (or reuses) the cluster a test class asks for before its first test, and passes it to any test
 * method or constructor with a {@link DynamoCluster} parameter. Used through {@link DynamoTest}, or as
 * {@code @ExtendWith(DynamoExtension.class)} for the default cluster (one node, in memory).
 */
public final class DynamoExtension implements BeforeAllCallback, ParameterResolver {

    @Override
    public void beforeAll(ExtensionContext context) {
        cluster(context);
    }

    @Override
    public boolean supportsParameter(ParameterContext parameter, ExtensionContext context) {
        return parameter.getParameter().getType() == DynamoCluster.class;
    }

    @Override
    public Object resolveParameter(ParameterContext parameter, ExtensionContext context) {
        return cluster(context);
    }

    private static DynamoCluster cluster(ExtensionContext context) {
        return DynamoCluster.shared(ClusterSpec.of(context.getRequiredTestClass()).orElse(ClusterSpec.DEFAULT));
    }
}

package dev.dynamo.test;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Inherited;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Runs the annotated test class against a real Dynamo cluster: {@link #nodes()} node JVMs on loopback, started
 * once per JVM for each configuration and shared by every class that asks for the same one (as Spring shares
 * test contexts), stopped when the test JVM exits. A Spring test context of the class gets
 * {@code dynamo.client.seeds} pointed at the cluster; any test can take a {@link DynamoCluster} parameter.
 */
@Target(ElementType.TYPE)
@Retention(RetentionPolicy.RUNTIME)
@Documented
@Inherited
@ExtendWith(DynamoExtension.class)
public @interface DynamoTest {

    /** How many nodes: 1, or 3 for N=3 replication with real replicas; at most {@value ClusterSpec#MAX_NODES}. */
    int nodes() default 1;

    /** Where the nodes keep their data. */
    Storage storage() default Storage.MEMORY;

    /** A node's storage engine. */
    enum Storage {
        /** In the node's heap: the fastest start; gone with the node. */
        MEMORY,
        /** LMDB files in a temporary directory, as production nodes keep them; deleted with the cluster. */
        LMDB
    }
}

package dev.dynamo.test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.dynamo.test.DynamoTest.Storage;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Which cluster a class asks for, and what Spring makes of it: no cluster is started here (the classes below
 * are only read, never run).
 */
class ClusterSpecTest {

    @DynamoTest(nodes = 3, storage = Storage.LMDB)
    static class ThreeLmdbNodes {
        class Inner {
        }
    }

    @ExtendWith(DynamoExtension.class)
    static class ExtendedOnly {
    }

    static class Plain {
    }

    static class InheritsThree extends ThreeLmdbNodes {
    }

    @Test
    void theAnnotationOnTheClassItsSuperclassOrAnEnclosingClassSaysWhichCluster() {
        ClusterSpec three = new ClusterSpec(3, Storage.LMDB);
        assertThat(ClusterSpec.of(ThreeLmdbNodes.class)).contains(three);
        assertThat(ClusterSpec.of(ThreeLmdbNodes.Inner.class)).contains(three);
        assertThat(ClusterSpec.of(InheritsThree.class)).contains(three);
        assertThat(ClusterSpec.of(ExtendedOnly.class)).contains(ClusterSpec.DEFAULT);
        assertThat(ClusterSpec.of(Plain.class)).isEmpty();
    }

    @Test
    void aClusterHasOneToSevenNodes() {
        assertThatThrownBy(() -> new ClusterSpec(0, Storage.MEMORY)).hasMessageContaining("1 to 7 nodes");
        assertThatThrownBy(() -> new ClusterSpec(8, Storage.MEMORY)).hasMessageContaining("1 to 7 nodes");
    }

    @Test
    void springGetsEqualCustomizersForEqualClustersAndNoneForAPlainClass() {
        DynamoContextCustomizerFactory factory = new DynamoContextCustomizerFactory();
        assertThat(factory.createContextCustomizer(ThreeLmdbNodes.class, List.of()))
                .isEqualTo(factory.createContextCustomizer(InheritsThree.class, List.of()))
                .isNotEqualTo(factory.createContextCustomizer(ExtendedOnly.class, List.of()));
        assertThat(factory.createContextCustomizer(Plain.class, List.of())).isNull();
    }
}

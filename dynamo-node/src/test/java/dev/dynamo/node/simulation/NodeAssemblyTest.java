package dev.dynamo.node.simulation;

import static org.assertj.core.api.Assertions.assertThat;

import dev.dynamo.node.LocalNode;
import dev.dynamo.node.assembly.Node;
import dev.dynamo.node.membership.NodeIdentity;
import dev.dynamo.node.membership.SeedProvider;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.context.annotation.Configuration;

/**
 * The simulated node is the production node: the Spring node's parts are exactly those of its
 * {@link Node}, and the simulation builds the same {@link Node}, every part present.
 */
class NodeAssemblyTest {

    /** The packages of the node's own parts; the rest (HTTP, actuator, console, storage engines, transport, settings) are its edges and inputs. */
    private static final Set<String> PARTS = Set.of("antientropy", "bucket", "coordination", "handoff", "membership",
            "peer", "transfer").stream().map(name -> "dev.dynamo.node." + name).collect(Collectors.toSet());
    /** What the Spring node hands the assembly rather than the assembly building it. */
    private static final List<Class<?>> INPUTS = List.of(NodeIdentity.class, SeedProvider.class);

    @RegisterExtension
    static LocalNode spring = LocalNode.withOperator();

    @Test
    void everyPartOfTheSpringNodeIsAPartOfItsAssembly() {
        Collection<Object> assembled = parts(spring.bean(Node.class)).values();
        List<Object> wiredElsewhere = spring.beans().values().stream()
                .filter(bean -> PARTS.contains(bean.getClass().getPackageName()))
                .filter(bean -> !isSettingOrWiring(bean.getClass()) && INPUTS.stream().noneMatch(in -> in.isInstance(bean)))
                .filter(bean -> assembled.stream().noneMatch(part -> part == bean))
                .toList();
        assertThat(wiredElsewhere).as("node parts the Spring configuration builds outside the assembly").isEmpty();
    }

    @Test
    void theSimulatedNodeHasEveryPartTheSpringNodeHas() {
        SimulatedCluster cluster = new SimulatedCluster(1, 3, 0, 64, true);
        Map<String, Object> simulated = parts(cluster.node(1).node());
        Map<String, Object> real = parts(spring.bean(Node.class));

        assertThat(real).isNotEmpty().doesNotContainValue(null);
        assertThat(simulated).doesNotContainValue(null);
        assertThat(classes(simulated)).isEqualTo(classes(real));
    }

    private static boolean isSettingOrWiring(Class<?> type) {
        return type.isAnnotationPresent(ConfigurationProperties.class) || type.isAnnotationPresent(Configuration.class)
                || type.getName().contains("$$"); // a configuration class's CGLIB subclass
    }

    /** Every part a node offers, by accessor name. */
    private static Map<String, Object> parts(Node node) {
        return Stream.of(Node.class.getDeclaredMethods())
                .filter(m -> Modifier.isPublic(m.getModifiers()) && m.getParameterCount() == 0
                        && m.getReturnType() != void.class)
                .collect(Collectors.toMap(Method::getName, m -> invoke(m, node)));
    }

    private static Map<String, Class<?>> classes(Map<String, Object> parts) {
        return parts.entrySet().stream().collect(Collectors.toMap(Map.Entry::getKey, e -> e.getValue().getClass()));
    }

    private static Object invoke(Method accessor, Node node) {
        try {
            return accessor.invoke(node);
        } catch (ReflectiveOperationException e) {
            throw new AssertionError(e);
        }
    }
}

package dev.dynamo.node;

import com.sun.management.HotSpotDiagnosticMXBean;
import java.lang.management.ManagementFactory;
import java.util.Optional;

/**
 * A fault of JDK 25's C2 compiler that takes a node down: compiling the storage write path under load, it can
 * die with SIGSEGV in {@code PhiNode::Ideal} (JDK-8376104; seen on Temurin 25.0.3 in a YCSB load, and
 * reproduced from the crash's replay file). The constructor barriers JDK 25 introduced
 * ({@code UseStoreStoreForCtor}) lead C2 there: with {@code -XX:+UnlockDiagnosticVMOptions
 * -XX:-UseStoreStoreForCtor} (JDK 24's barriers; on x86 neither emits an instruction) the replayed compile
 * succeeds. {@code ./dynamo} starts nodes so; a node started otherwise says so once, at start.
 */
final class JdkCompilerFault {

    static final String FLAG = "UseStoreStoreForCtor";
    static final String WORKAROUND = "-XX:+UnlockDiagnosticVMOptions -XX:-" + FLAG;

    private JdkCompilerFault() {
    }

    /**
     * The warning for a JVM of {@code version} whose {@link #FLAG} is {@code flag} (empty: unreadable, as a
     * diagnostic flag is until unlocked, so at its default, true, on JDK 25).
     */
    static Optional<String> warning(Runtime.Version version, Optional<Boolean> flag) {
        if (version.feature() != 25 || !flag.orElse(true)) {
            return Optional.empty();
        }
        return Optional.of("This JVM (" + version + ") can crash compiling the node's write path (C2 fault "
                + "JDK-8376104, a SIGSEGV in PhiNode::Ideal, seen on 25.0.3): start the node with " + WORKAROUND
                + " as ./dynamo does, or on a JDK 21");
    }

    /** The warning for this JVM, if it needs one. */
    static Optional<String> warning() {
        return warning(Runtime.version(), flagOfThisJvm());
    }

    /** This JVM's {@link #FLAG}, if it can be read. */
    static Optional<Boolean> flagOfThisJvm() {
        try {
            return Optional.of(Boolean.parseBoolean(ManagementFactory.getPlatformMXBean(HotSpotDiagnosticMXBean.class)
                    .getVMOption(FLAG).getValue()));
        } catch (IllegalArgumentException e) {
            return Optional.empty(); // locked (not unlocked, so not changed), or a JVM without it
        }
    }
}

package dev.dynamo.node;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Optional;
import org.junit.jupiter.api.Test;

/** Only a JDK 25 with the new constructor barriers is warned about; the workaround and other JDKs are not. */
class JdkCompilerFaultTest {

    @Test
    void aJdk25WithTheNewBarriersIsWarnedAboutWithTheWorkaround() {
        assertThat(JdkCompilerFault.warning(Runtime.Version.parse("25.0.3+9"), Optional.of(true)))
                .hasValueSatisfying(warning -> assertThat(warning)
                        .contains("JDK-8376104", "-XX:+UnlockDiagnosticVMOptions -XX:-UseStoreStoreForCtor"));
        assertThat(JdkCompilerFault.warning(Runtime.Version.parse("25.0.3+9"), Optional.empty()))
                .as("the flag locked, so at its default").isPresent();
    }

    @Test
    void theWorkaroundAndOtherJdksAreNot() {
        assertThat(JdkCompilerFault.warning(Runtime.Version.parse("25.0.3+9"), Optional.of(false))).isEmpty();
        assertThat(JdkCompilerFault.warning(Runtime.Version.parse("21.0.9+10"), Optional.empty())).isEmpty();
        assertThat(JdkCompilerFault.warning(Runtime.version(), JdkCompilerFault.flagOfThisJvm()))
                .as("this test JVM, started as ./dynamo starts nodes on a JDK 25").isEmpty();
        assertThat(JdkCompilerFault.warning(Runtime.Version.parse("26+35"), Optional.of(true))).isEmpty();
    }
}

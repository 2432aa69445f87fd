package dev.dynamo.node.security;

import static org.assertj.core.api.Assertions.assertThat;

import dev.dynamo.node.LocalNode;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;

/** A node without an operator password warns at start-up, refuses every protected call and keeps health open. */
@ExtendWith(OutputCaptureExtension.class)
class NoOperatorPasswordTest {

    @Test
    void protectedEndpointsRefuseEveryoneAndSayWhy(CapturedOutput output) throws Exception {
        try (LocalNode node = LocalNode.start()) {
            assertThat(output.getOut()).containsOnlyOnce("No operator password is configured")
                    .doesNotContain("generated security password");

            OperatorAuthenticationTest.assertUnauthenticated(node.get("/actuator/ring"),
                    "refuse every request until spring.security.user.password is set");
            // Boot's default user name with a guess: no password works when none is configured
            OperatorAuthenticationTest.assertUnauthenticated(node.get("/actuator/ring", "user", "password"),
                    "refuse every request until spring.security.user.password is set");
            assertThat(node.get("/actuator/health").statusCode()).isEqualTo(200);
        }
    }
}

package dev.dynamo.node.security;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.springframework.security.crypto.bcrypt.BCryptPasswordEncoder;

class DataApiAccountsTest {

    private final String bcrypt = "{bcrypt}" + new BCryptPasswordEncoder(4).encode("op-secret");
    private final DataApiAccounts accounts = new DataApiAccounts(List.of(new DataApiAccounts.Account("operator", bcrypt),
            new DataApiAccounts.Account("app", "app-secret"), new DataApiAccounts.Account("noop", "{noop}n-secret")));

    @Test
    void eachAccountMatchesOnlyItsOwnPassword() {
        assertThat(accounts.verify("app", "app-secret")).isTrue();
        assertThat(accounts.verify("noop", "n-secret")).isTrue();
        assertThat(accounts.verify("noop", "{noop}n-secret")).isFalse();
        assertThat(accounts.verify("app", "n-secret")).isFalse();
        assertThat(accounts.verify("app", "app-secret ")).isFalse();
        assertThat(accounts.verify("nobody", "app-secret")).isFalse();
        assertThat(new DataApiAccounts(List.of()).verify("app", "app-secret")).isFalse();
    }

    @Test
    void anEncodedPasswordMatchesBeforeAndAfterItIsRemembered() {
        assertThat(accounts.verify("operator", "wrong")).isFalse();
        assertThat(accounts.verify("operator", "op-secret")).isTrue();
        assertThat(accounts.verify("operator", "op-secret")).isTrue();
        assertThat(accounts.verify("operator", "wrong")).isFalse();
        assertThat(accounts.verify("app", "op-secret")).as("remembered for its own account only").isFalse();
    }
}

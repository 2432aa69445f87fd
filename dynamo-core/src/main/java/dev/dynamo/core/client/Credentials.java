package dev.dynamo.core.client;

import java.util.Objects;

/**
 * The account a client presents to a node in its hello: the node's data-only account
 * ({@code dynamo.security.client.*}) or its operator account. The password crosses the wire in clear,
 * as HTTP Basic does without TLS.
 *
 * @param username the account's name, not empty
 * @param password its password; never shown by {@link #toString()}
 */
public record Credentials(String username, String password) {

    public Credentials {
        Objects.requireNonNull(username, "username");
        Objects.requireNonNull(password, "password");
        if (username.isEmpty()) {
            throw new IllegalArgumentException("the username must not be empty");
        }
    }

    @Override
    public String toString() {
        return "Credentials[username=" + username + ", password=(hidden)]";
    }
}

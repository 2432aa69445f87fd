package dev.dynamo.client;

import dev.dynamo.core.client.FailureKind;

/**
 * A node refused the client's connection: it needs credentials ({@code dynamo.client.username} and
 * {@code .password}) and got none or wrong ones. The message gives the node's reason; retrying cannot help.
 */
public class AuthenticationFailedException extends DynamoException {

    public AuthenticationFailedException(String message) {
        super(FailureKind.UNAUTHENTICATED, message, null);
    }
}

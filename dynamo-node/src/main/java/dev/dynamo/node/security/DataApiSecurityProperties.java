package dev.dynamo.node.security;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * Who may use the data API: HTTP {@code /kv/**} and the binary client protocol on the transport port.
 *
 * @param dataApi open (anyone may use the data API, the default) or authenticated (HTTP /kv/** and the binary
 *                client protocol need the operator's or the data-only client account's credentials)
 * @param client  the data-only account, which may use the data API but not /admin/api or /actuator
 */
@ConfigurationProperties("dynamo.security")
public record DataApiSecurityProperties(@DefaultValue("open") Access dataApi, @DefaultValue Client client) {

    /** Whether the data API needs credentials. */
    public enum Access {
        /** anyone may read and write */
        OPEN,
        /** the operator or the data-only client account */
        AUTHENTICATED
    }

    /**
     * The data-only account; none when the name is empty.
     *
     * @param name     user name of the data-only account (data API only, not /admin/api or /actuator); empty: none
     * @param password password of the data-only account, plain or naming its encoding such as {bcrypt}; a secret
     */
    public record Client(String name, String password) {

        public Client {
            boolean named = name != null && !name.isEmpty();
            if (named && (password == null || password.isEmpty())) {
                throw new IllegalArgumentException("dynamo.security.client.name is set but .password is not");
            }
            if (!named && password != null && !password.isEmpty()) {
                throw new IllegalArgumentException("dynamo.security.client.password is set but .name is not");
            }
        }

        boolean isSet() {
            return name != null && !name.isEmpty();
        }

        @Override
        public String toString() {
            return "Client[name=" + name + ", password=" + (password == null ? "null" : "(hidden)") + "]";
        }
    }
}

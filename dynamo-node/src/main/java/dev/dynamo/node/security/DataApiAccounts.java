package dev.dynamo.node.security;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.List;
import java.util.concurrent.atomic.AtomicReference;
import java.util.regex.Pattern;
import org.springframework.security.crypto.bcrypt.BCryptPasswordEncoder;
import org.springframework.security.crypto.factory.PasswordEncoderFactories;
import org.springframework.security.crypto.password.PasswordEncoder;

/**
 * The accounts that may use the data API when it is authenticated: the operator's and the data-only
 * client account. Checked on every HTTP data request, so cheap: a plain or {@code {noop}} password is
 * compared as a SHA-256 digest in constant time; an encoded one ({@code {bcrypt}...}) is checked by its
 * encoder once, and then the digest of the password that matched is remembered and compared instead.
 * A password that matches no remembered digest costs the same whether or not its name exists: one
 * encoder check when any account's password is encoded (against a stand-in hash for an unknown name),
 * none otherwise, so the time of a refusal tells nothing of which names exist.
 */
final class DataApiAccounts {

    /** A password already naming its encoding, such as {@code {bcrypt}$2a$...}, is taken as it is. */
    static final Pattern ENCODED = Pattern.compile("^\\{.+}.*$");
    private static final String NOOP = "{noop}";

    private final List<Account> accounts;
    /**
     * A bcrypt hash of no one's password, checked for names that have no account; only when some
     * account's password is encoded (else no refusal runs an encoder), so a plain setup pays no bcrypt.
     */
    private final String standIn;

    DataApiAccounts(List<Account> accounts) {
        this.accounts = List.copyOf(accounts);
        this.standIn = accounts.stream().anyMatch(account -> account.encoded != null)
                ? "{bcrypt}" + new BCryptPasswordEncoder().encode("no account has this name") : null;
    }

    boolean isEmpty() {
        return accounts.isEmpty();
    }

    /** Whether {@code name} is one of the accounts and {@code password} is its password. */
    boolean verify(String name, String password) {
        byte[] digest = sha256(password);
        boolean remembered = false;
        Account named = null;
        for (Account account : accounts) { // every account, so the time says nothing of which name exists
            remembered |= account.remembers(name, digest);
            if (account.name.equals(name)) {
                named = account;
            }
        }
        if (remembered) {
            return true;
        }
        if (named != null && named.encoded != null) {
            return named.checkEncoded(password, digest);
        }
        if (standIn != null) {
            Account.ENCODERS.matches(password, standIn); // as long as a real check, and always false
        }
        return false;
    }

    /** One account; {@code password} as configured, plain or naming its encoding. */
    static final class Account {

        private static final PasswordEncoder ENCODERS = PasswordEncoderFactories.createDelegatingPasswordEncoder();

        private final String name;
        private final String encoded;
        /** The digest of the password known to match: the plain one at once, an encoded one's after its first match. */
        private final AtomicReference<byte[]> verified = new AtomicReference<>();

        Account(String name, String password) {
            this.name = name;
            boolean plain = password.startsWith(NOOP) || !ENCODED.matcher(password).matches();
            this.encoded = plain ? null : password;
            if (plain) {
                verified.set(sha256(password.startsWith(NOOP) ? password.substring(NOOP.length()) : password));
            }
        }

        /** Whether this is {@code candidateName}'s account and {@code digest} its password's known digest. */
        private boolean remembers(String candidateName, byte[] digest) {
            byte[] known = verified.get();
            boolean same = known != null && MessageDigest.isEqual(known, digest);
            return same & name.equals(candidateName);
        }

        /** Checks {@code password} by its encoder, remembering its digest when it matches. */
        private boolean checkEncoded(String password, byte[] digest) {
            if (ENCODERS.matches(password, encoded)) {
                verified.set(digest);
                return true;
            }
            return false;
        }
    }

    private static byte[] sha256(String password) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(password.getBytes(StandardCharsets.UTF_8));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every JVM has SHA-256", e);
        }
    }
}

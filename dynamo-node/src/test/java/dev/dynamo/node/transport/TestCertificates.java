package dev.dynamo.node.transport;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.springframework.boot.ssl.SslBundle;
import org.springframework.boot.ssl.jks.JksSslStoreBundle;
import org.springframework.boot.ssl.jks.JksSslStoreDetails;
import org.springframework.boot.ssl.pem.PemSslStoreBundle;
import org.springframework.boot.ssl.pem.PemSslStoreDetails;

/**
 * Certificates made when a test runs, valid for two days, so nothing committed ever expires. Made with
 * {@code openssl} (one command per certificate, milliseconds each; {@code keytool} needs four JVM starts
 * for a certificate signed by a CA): EC P-256 keys, PEM files.
 */
public final class TestCertificates {

    private TestCertificates() {
    }

    /** A self-signed certificate authority. */
    public record Authority(Path certificate, Path key) {

        /** A certificate this authority signs for {@code name}, valid for 127.0.0.1 and localhost. */
        public Issued issue(String name) {
            return issue(name, "127.0.0.1");
        }

        /** A certificate this authority signs for {@code name}, valid for {@code addresses} and localhost. */
        public Issued issue(String name, String... addresses) {
            Path dir = certificate.getParent();
            Issued issued = new Issued(dir.resolve(name + ".crt"), dir.resolve(name + ".key"), this);
            openssl("req", "-x509", "-CA", certificate.toString(), "-CAkey", key.toString(),
                    "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:P-256", "-nodes", "-days", "2",
                    "-keyout", issued.key().toString(), "-out", issued.certificate().toString(), "-subj", "/CN=" + name,
                    "-addext", "basicConstraints=critical,CA:FALSE",
                    "-addext", "subjectAltName=" + String.join(",", Arrays.stream(addresses)
                            .map(address -> "IP:" + address).toList()) + ",DNS:localhost");
            return issued;
        }

        /** A bundle holding no key, trusting this authority: what a client that presents no certificate holds. */
        public SslBundle trustBundle() {
            return SslBundle.of(new PemSslStoreBundle(null, PemSslStoreDetails.forCertificate(location(certificate))));
        }
    }

    /** A certificate, its key and the authority that signed it. */
    public record Issued(Path certificate, Path key, Authority authority) {

        /** A PEM bundle presenting this certificate and trusting its authority. */
        public SslBundle pemBundle() {
            return SslBundle.of(new PemSslStoreBundle(
                    PemSslStoreDetails.forCertificate(location(certificate)).withPrivateKey(location(key)),
                    PemSslStoreDetails.forCertificate(location(authority.certificate()))));
        }

        /** The same as a PKCS12 key store and trust store, as {@code spring.ssl.bundle.jks.*} would load them. */
        public SslBundle jksBundle() {
            Path keyStore = certificate.resolveSibling(certificate.getFileName() + ".p12");
            Path trustStore = certificate.resolveSibling(certificate.getFileName() + "-trust.p12");
            openssl("pkcs12", "-export", "-inkey", key.toString(), "-in", certificate.toString(),
                    "-name", "node", "-out", keyStore.toString(), "-passout", "pass:secret");
            // a trust store holds bare certificates, which OpenSSL 3.0 cannot mark as Java expects
            try (OutputStream out = Files.newOutputStream(trustStore)) {
                KeyStore store = KeyStore.getInstance("PKCS12");
                store.load(null, null);
                store.setCertificateEntry("ca", TestCertificates.read(authority.certificate()));
                store.store(out, "secret".toCharArray());
            } catch (IOException | GeneralSecurityException e) {
                throw new IllegalStateException(e);
            }
            return SslBundle.of(new JksSslStoreBundle(
                    new JksSslStoreDetails("PKCS12", null, location(keyStore), "secret"),
                    new JksSslStoreDetails("PKCS12", null, location(trustStore), "secret")));
        }

        /** The certificate as Java reads it. */
        public X509Certificate read() {
            return TestCertificates.read(certificate);
        }
    }

    /** A new certificate authority named {@code name}, its files in {@code dir}. */
    public static Authority authority(Path dir, String name) {
        Authority authority = new Authority(dir.resolve(name + ".crt"), dir.resolve(name + ".key"));
        openssl("req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:P-256", "-nodes", "-days", "2",
                "-keyout", authority.key().toString(), "-out", authority.certificate().toString(), "-subj", "/CN=" + name);
        return authority;
    }

    private static String location(Path file) {
        return file.toUri().toString();
    }

    private static X509Certificate read(Path file) {
        try (var in = Files.newInputStream(file)) {
            return (X509Certificate) CertificateFactory.getInstance("X.509").generateCertificate(in);
        } catch (IOException | GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    private static void openssl(String... arguments) {
        List<String> command = new ArrayList<>(List.of("openssl"));
        command.addAll(List.of(arguments));
        try {
            Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
            String output = new String(process.getInputStream().readAllBytes());
            if (process.waitFor() != 0) {
                throw new IllegalStateException(String.join(" ", command) + " failed: " + output);
            }
        } catch (IOException e) {
            throw new IllegalStateException("openssl is needed to make test certificates", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}

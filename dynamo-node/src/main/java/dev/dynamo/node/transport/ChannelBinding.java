package dev.dynamo.node.transport;

import io.netty.channel.ChannelPipeline;
import io.netty.handler.ssl.SslHandler;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.cert.Certificate;
import java.util.Optional;
import javax.net.ssl.SSLPeerUnverifiedException;
import javax.net.ssl.SSLSession;

/**
 * What ties the handshake's proofs ({@link ClusterKey}) to the TLS channel they cross: the SHA-256 of the
 * accepting side's certificate, then of the dialling side's. A proof relayed from another channel was
 * made for other certificates, so it does not verify on this one. (A TLS exporter would bind to the
 * session itself, but the JDK offers one from Java 25 only.)
 */
final class ChannelBinding {

    /** A clear channel binds to nothing: the proofs cover the nonces only, as before TLS. */
    static final byte[] CLEAR = new byte[0];

    private ChannelBinding() {
    }

    /**
     * The binding of the channel {@code pipeline} belongs to, {@code accepted} by us or dialled; empty when
     * it is TLS but a side presented no certificate: the other side none, or we none because it did not ask
     * for ours. Nodes always present theirs and always ask, so either means the other side is no node.
     */
    static Optional<byte[]> of(ChannelPipeline pipeline, boolean accepted) {
        SslHandler tls = pipeline.get(SslHandler.class);
        if (tls == null) {
            return Optional.of(CLEAR);
        }
        SSLSession session = tls.engine().getSession();
        Certificate[] theirs;
        try {
            theirs = session.getPeerCertificates();
        } catch (SSLPeerUnverifiedException none) {
            return Optional.empty();
        }
        Certificate[] mine = session.getLocalCertificates();
        if (mine == null || mine.length == 0) {
            return Optional.empty();
        }
        byte[] ours = fingerprint(mine[0]);
        byte[] other = fingerprint(theirs[0]);
        return Optional.of(accepted ? concat(ours, other) : concat(other, ours));
    }

    private static byte[] fingerprint(Certificate certificate) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(certificate.getEncoded());
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("cannot read our own or a verified certificate", e);
        }
    }

    private static byte[] concat(byte[] first, byte[] second) {
        byte[] both = new byte[first.length + second.length];
        System.arraycopy(first, 0, both, 0, first.length);
        System.arraycopy(second, 0, both, first.length, second.length);
        return both;
    }
}

package dev.dynamo.node.transport;

import dev.dynamo.core.client.FailureKind;
import dev.dynamo.core.wire.ClientMessage;
import dev.dynamo.core.wire.ClientMessageCodec;
import dev.dynamo.core.wire.Message;
import dev.dynamo.core.wire.MessageCodec;
import java.util.function.Function;

/**
 * What a connection needs to know of the messages it carries: how they are read and written, and the
 * reply to a request that got none from its handler. A connection speaks one protocol from its
 * handshake on, so a client connection cannot even decode a peer's message.
 *
 * @param decode  reads a message; throws IllegalArgumentException for bytes that are none
 * @param encode  writes a message
 * @param failure   the reply saying a request failed inside this node, for the reason given
 * @param notServed the reply saying this node did nothing with a request, for the reason given
 * @param reasonFor what the other side is told of an unexpected failure: peers, which hold the cluster
 *                  secret, the exception's message; clients never anything of the node's internals
 */
record Protocol<M>(Function<byte[], M> decode, Function<M, byte[]> encode, Function<String, M> failure,
        Function<String, M> notServed, Function<Throwable, String> reasonFor) {

    /** The internode protocol, between nodes sharing the cluster secret. */
    static final Protocol<Message> PEERS = new Protocol<>(MessageCodec::decode, MessageCodec::encode,
            detail -> new Message.Failure(Message.Failure.Kind.INTERNAL, detail),
            detail -> new Message.Failure(Message.Failure.Kind.UNAVAILABLE, detail),
            error -> error.getMessage() != null ? error.getMessage() : error.toString());

    /** The client protocol ({@link dev.dynamo.core.wire.ClientProtocol}). */
    static final Protocol<ClientMessage> CLIENTS = new Protocol<>(ClientMessageCodec::decodeRequest,
            ClientMessageCodec::encode, detail -> new ClientMessage.ClientFailure(0, FailureKind.INTERNAL, detail, 0, 0),
            ClientMessage.NotServed::new,
            error -> "the node failed to serve this request; its log has the details");
}

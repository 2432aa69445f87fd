package dev.dynamo.core.wire;

import static dev.dynamo.core.wire.WireFields.checked;
import static dev.dynamo.core.wire.WireFields.readInt;
import static dev.dynamo.core.wire.WireFields.readList;
import static dev.dynamo.core.wire.WireFields.readOptional;
import static dev.dynamo.core.wire.WireFields.readOrdinal;
import static dev.dynamo.core.wire.WireFields.writeOptional;

import dev.dynamo.core.bytes.ByteReader;
import dev.dynamo.core.bytes.ByteWriter;
import dev.dynamo.core.client.CausalContext;
import dev.dynamo.core.client.ClientKey;
import dev.dynamo.core.client.FailureKind;
import dev.dynamo.core.client.ReadResult;
import dev.dynamo.core.client.Value;
import dev.dynamo.core.client.WriteCondition;
import dev.dynamo.core.key.KeyNames;
import dev.dynamo.core.ring.Ring;
import dev.dynamo.core.ring.RingCodec;
import dev.dynamo.core.wire.ClientMessage.ClientConditionFailed;
import dev.dynamo.core.wire.ClientMessage.ClientConditionalPut;
import dev.dynamo.core.wire.ClientMessage.ClientDelete;
import dev.dynamo.core.wire.ClientMessage.ClientFailure;
import dev.dynamo.core.wire.ClientMessage.ClientGet;
import dev.dynamo.core.wire.ClientMessage.ClientKeyPage;
import dev.dynamo.core.wire.ClientMessage.ClientListKeys;
import dev.dynamo.core.wire.ClientMessage.ClientPut;
import dev.dynamo.core.wire.ClientMessage.ClientRead;
import dev.dynamo.core.wire.ClientMessage.ClientWritten;
import dev.dynamo.core.wire.ClientMessage.NotServed;
import dev.dynamo.core.wire.ClientMessage.Reply;
import dev.dynamo.core.wire.ClientMessage.Request;
import dev.dynamo.core.wire.ClientMessage.RingFetch;
import dev.dynamo.core.wire.ClientMessage.RingState;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The binary form of a {@link ClientMessage}, laid out as {@link MessageCodec} lays out the peers'
 * messages: a type tag byte, then the record's fields in order. Its tags (60 to 79) are none of the
 * peers', so a peer message sent on a client connection is refused as an unknown type, never read as
 * what it is. {@link FailureKind} is written as its ordinal: new kinds go last.
 *
 * <p>{@link #decode} takes bytes from the network: whatever they are, it returns a valid message or
 * throws an IllegalArgumentException saying what is wrong, and no length they claim makes it allocate
 * more than they hold.
 */
public final class ClientMessageCodec {

    private static final int CLIENT_GET = 60;
    private static final int CLIENT_PUT = 61;
    private static final int CLIENT_DELETE = 62;
    private static final int RING_FETCH = 63;
    private static final int CLIENT_READ = 64;
    private static final int CLIENT_WRITTEN = 65;
    private static final int RING_STATE = 66;
    private static final int CLIENT_FAILURE = 67;
    private static final int NOT_SERVED = 68;
    private static final int CLIENT_CONDITIONAL_PUT = 69;
    private static final int CLIENT_CONDITION_FAILED = 70;
    private static final int CLIENT_PUT_EXPIRING = 71;
    private static final int CLIENT_LIST_KEYS = 72;
    private static final int CLIENT_KEY_PAGE = 73;

    private static final FailureKind[] KINDS = FailureKind.values();
    private static final WriteCondition[] CONDITIONS = WriteCondition.values();

    private ClientMessageCodec() {
    }

    /** The binary form of {@code message}. */
    public static byte[] encode(ClientMessage message) {
        ByteWriter out = new ByteWriter(64);
        switch (message) {
            case ClientGet(ClientKey key, int r) -> {
                out.writeByte(CLIENT_GET);
                writeKey(out, key);
                out.writeSignedVarLong(r);
            }
            case ClientPut(ClientKey key, CausalContext context, Value value, int w, long ttlMillis) -> {
                // without a TTL, the form every node reads; with one, a tag of its own that only nodes knowing TTLs read
                out.writeByte(ttlMillis == 0 ? CLIENT_PUT : CLIENT_PUT_EXPIRING);
                writeKey(out, key);
                out.writeString(context.token());
                writeValue(out, value);
                out.writeSignedVarLong(w);
                if (ttlMillis != 0) {
                    out.writeSignedVarLong(ttlMillis);
                }
            }
            case ClientDelete(ClientKey key, CausalContext context, int w) -> {
                out.writeByte(CLIENT_DELETE);
                writeKey(out, key);
                out.writeString(context.token());
                out.writeSignedVarLong(w);
            }
            case ClientConditionalPut(ClientKey key, WriteCondition condition, CausalContext context, Value value,
                                      int r, int w, long ttlMillis) -> {
                out.writeByte(CLIENT_CONDITIONAL_PUT);
                writeKey(out, key);
                out.writeByte(condition.ordinal());
                out.writeString(context.token());
                writeValue(out, value);
                out.writeSignedVarLong(r);
                out.writeSignedVarLong(w);
                out.writeSignedVarLong(ttlMillis);
            }
            case ClientListKeys(String bucket, byte[] after, int limit) -> {
                out.writeByte(CLIENT_LIST_KEYS);
                out.writeString(bucket);
                writeOptional(out, after, ByteWriter::writeBytes);
                out.writeSignedVarLong(limit);
            }
            case RingFetch() -> out.writeByte(RING_FETCH);
            case ClientRead(long ringVersion, ReadResult result) -> {
                out.writeByte(CLIENT_READ);
                out.writeSignedVarLong(ringVersion);
                out.writeVarLong(result.siblings().size());
                result.siblings().forEach(value -> writeValue(out, value));
                out.writeString(result.context().token());
            }
            case ClientWritten(long ringVersion, CausalContext context, int siblings) -> {
                out.writeByte(CLIENT_WRITTEN);
                out.writeSignedVarLong(ringVersion);
                out.writeString(context.token());
                out.writeSignedVarLong(siblings);
            }
            case RingState(Ring ring, int defaultN, Map<String, Integer> bucketN, long maxValueSize) -> {
                out.writeByte(RING_STATE);
                out.writeBytes(RingCodec.encode(ring));
                out.writeSignedVarLong(defaultN);
                out.writeVarLong(bucketN.size());
                bucketN.forEach((bucket, n) -> {
                    out.writeString(bucket);
                    out.writeSignedVarLong(n);
                });
                out.writeSignedVarLong(maxValueSize);
            }
            case ClientFailure(long ringVersion, FailureKind kind, String reason, int answered, int required) -> {
                out.writeByte(CLIENT_FAILURE);
                out.writeSignedVarLong(ringVersion);
                out.writeByte(kind.ordinal());
                out.writeString(reason);
                out.writeSignedVarLong(answered);
                out.writeSignedVarLong(required);
            }
            case NotServed(String reason) -> {
                out.writeByte(NOT_SERVED);
                out.writeString(reason);
            }
            case ClientConditionFailed(long ringVersion, String reason, CausalContext current) -> {
                out.writeByte(CLIENT_CONDITION_FAILED);
                out.writeSignedVarLong(ringVersion);
                out.writeString(reason);
                out.writeString(current.token());
            }
            case ClientKeyPage(long ringVersion, List<byte[]> keys, byte[] next) -> {
                out.writeByte(CLIENT_KEY_PAGE);
                out.writeSignedVarLong(ringVersion);
                out.writeVarLong(keys.size());
                keys.forEach(out::writeBytes);
                writeOptional(out, next, ByteWriter::writeBytes);
            }
        }
        return out.toByteArray();
    }

    /**
     * A client's request, as a node reads it: a reply's type is refused before anything of it is read.
     *
     * @throws IllegalArgumentException saying what is wrong, when {@code bytes} is not an encoded request
     */
    public static Request decodeRequest(byte[] bytes) {
        return (Request) decode(bytes, true);
    }

    /**
     * A node's reply, as a client reads it: a request's type is refused before anything of it is read.
     *
     * @throws IllegalArgumentException saying what is wrong, when {@code bytes} is not an encoded reply
     */
    public static Reply decodeReply(byte[] bytes) {
        return (Reply) decode(bytes, false);
    }

    /** @throws IllegalArgumentException saying what is wrong, when {@code bytes} is not an encoded client message */
    public static ClientMessage decode(byte[] bytes) {
        ByteReader in = WireFields.reader(bytes);
        return decode(in, in.readByte());
    }

    private static ClientMessage decode(byte[] bytes, boolean request) {
        ByteReader in = WireFields.reader(bytes);
        int type = in.readByte();
        if (isRequest(type) != request) {
            throw new IllegalArgumentException("client message type " + type + " is not a "
                    + (request ? "request" : "reply"));
        }
        return decode(in, type);
    }

    private static boolean isRequest(int type) {
        return type >= CLIENT_GET && type <= RING_FETCH || type == CLIENT_CONDITIONAL_PUT || type == CLIENT_PUT_EXPIRING
                || type == CLIENT_LIST_KEYS;
    }

    private static ClientMessage decode(ByteReader in, int type) {
        // Java evaluates arguments left to right, so each constructor reads its fields in order.
        ClientMessage message = switch (type) {
            case CLIENT_GET -> new ClientGet(readKey(in), readInt(in));
            case CLIENT_PUT -> new ClientPut(readKey(in), new CausalContext(in.readString()), readValue(in),
                    readInt(in));
            case CLIENT_PUT_EXPIRING -> new ClientPut(readKey(in), new CausalContext(in.readString()), readValue(in),
                    readInt(in), readTtl(in));
            case CLIENT_DELETE -> new ClientDelete(readKey(in), new CausalContext(in.readString()), readInt(in));
            case CLIENT_CONDITIONAL_PUT -> new ClientConditionalPut(readKey(in),
                    readOrdinal(in, CONDITIONS, "write condition"), new CausalContext(in.readString()), readValue(in),
                    readInt(in), readInt(in), in.readSignedVarLong());
            // the bound is checked by the node, as a request's keys are, which answers a bad one with BAD_REQUEST
            case CLIENT_LIST_KEYS -> new ClientListKeys(in.readString(), readOptional(in, ByteReader::readBytes),
                    readInt(in));
            case RING_FETCH -> new RingFetch();
            case CLIENT_READ -> new ClientRead(in.readSignedVarLong(),
                    new ReadResult(readList(in, ClientMessageCodec::readValue), new CausalContext(in.readString())));
            case CLIENT_WRITTEN -> new ClientWritten(in.readSignedVarLong(), new CausalContext(in.readString()),
                    readInt(in));
            case RING_STATE -> readRingState(in);
            case CLIENT_FAILURE -> new ClientFailure(in.readSignedVarLong(), readOrdinal(in, KINDS,
                    "client failure kind"), in.readString(), readInt(in), readInt(in));
            case NOT_SERVED -> new NotServed(in.readString());
            case CLIENT_CONDITION_FAILED -> new ClientConditionFailed(in.readSignedVarLong(), in.readString(),
                    new CausalContext(in.readString()));
            case CLIENT_KEY_PAGE -> new ClientKeyPage(in.readSignedVarLong(), readList(in,
                    ClientMessageCodec::readListedKey), readOptional(in, ClientMessageCodec::readListedKey));
            default -> throw new IllegalArgumentException("unknown client message type " + type);
        };
        WireFields.requireEnd(in);
        return message;
    }

    /** An expiring put's TTL, which its tag says is there: never 0, the form without one. */
    private static long readTtl(ByteReader in) {
        long ttl = in.readSignedVarLong();
        if (ttl == 0) {
            throw in.error("has an expiring put with a TTL of 0");
        }
        return ttl;
    }

    private static void writeKey(ByteWriter out, ClientKey key) {
        out.writeString(key.bucket());
        out.writeBytes(key.key());
    }

    private static ClientKey readKey(ByteReader in) {
        return new ClientKey(in.readString(), in.readBytes());
    }

    /** A key of a listing's page, or its next bound: 1 to {@link KeyNames#MAX_KEY_BYTES} bytes, as every key is. */
    private static byte[] readListedKey(ByteReader in) {
        byte[] key = in.readBytes();
        return checked("key", () -> KeyNames.requireValidKey(key));
    }

    private static void writeValue(ByteWriter out, Value value) {
        out.writeBytes(value.bytes());
        out.writeString(value.contentType());
        out.writeSignedVarLong(value.lastModified());
    }

    private static Value readValue(ByteReader in) {
        return new Value(in.readBytes(), in.readString(), in.readSignedVarLong());
    }

    private static RingState readRingState(ByteReader in) {
        byte[] ring = in.readBytes();
        Ring decoded = checked("ring", () -> RingCodec.decode(ring));
        int defaultN = readInt(in);
        int count = in.readLength();
        Map<String, Integer> bucketN = new LinkedHashMap<>();
        for (int i = 0; i < count; i++) {
            bucketN.put(in.readString(), readInt(in));
        }
        return new RingState(decoded, defaultN, bucketN, in.readSignedVarLong());
    }
}

package dev.dynamo.node.bench;

import dev.dynamo.client.ClientSettings;
import dev.dynamo.client.DynamoClient;
import dev.dynamo.client.DynamoException;
import dev.dynamo.client.NettyDynamoClient;
import dev.dynamo.core.bytes.ByteReader;
import dev.dynamo.core.bytes.ByteWriter;
import dev.dynamo.core.client.CausalContext;
import dev.dynamo.core.client.Credentials;
import dev.dynamo.core.client.ReadResult;
import dev.dynamo.core.client.Value;
import io.netty.handler.ssl.SslContextBuilder;
import java.io.File;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.Vector;
import javax.net.ssl.SSLException;
import site.ycsb.ByteArrayByteIterator;
import site.ycsb.ByteIterator;
import site.ycsb.DB;
import site.ycsb.DBException;
import site.ycsb.Status;

/**
 * The YCSB binding: each YCSB record is one value, its fields as {@code [name][bytes]} pairs. Updates are
 * blind writes of the fields given (YCSB's update replaces them; run with {@code writeallfields=true} so a
 * record stays whole), made without a causal context: run them on a bucket with {@code conflict=lww}, as
 * Cassandra's binding does. Scans are not supported (keys are hashed, not ordered).
 *
 * <p>Properties: {@code dynamo.seeds} (transport addresses, comma-separated), {@code dynamo.routing}
 * ({@code true}: client-driven coordination; {@code false}: any node coordinates), {@code dynamo.username} and
 * {@code dynamo.password} (an account, for nodes whose data API is authenticated). All YCSB threads of a JVM
 * share one client.
 */
public final class DynamoYcsbClient extends DB {

    private static final String TYPE = "application/x-ycsb-record";
    private static NettyDynamoClient shared; // guarded by DynamoYcsbClient.class
    private static int users; // guarded by DynamoYcsbClient.class

    private DynamoClient client;

    @Override
    public void init() throws DBException {
        synchronized (DynamoYcsbClient.class) {
            if (shared == null) {
                String seeds = getProperties().getProperty("dynamo.seeds");
                if (seeds == null || seeds.isBlank()) {
                    throw new DBException("set dynamo.seeds to the nodes' transport addresses");
                }
                ClientSettings settings = ClientSettings.of(List.of(seeds.split(",")))
                        .withRouting(Boolean.parseBoolean(getProperties().getProperty("dynamo.routing", "true")));
                String username = getProperties().getProperty("dynamo.username");
                if (username != null) {
                    settings = settings.withCredentials(
                            new Credentials(username, getProperties().getProperty("dynamo.password", "")));
                }
                String trusted = getProperties().getProperty("dynamo.tls.ca");
                if (trusted != null) { // the nodes' CA: TLS to every node, its certificate checked against it
                    try {
                        settings = settings.withTls(SslContextBuilder.forClient().trustManager(new File(trusted)).build());
                    } catch (SSLException e) {
                        throw new DBException("cannot read the CA in dynamo.tls.ca: " + e.getMessage(), e);
                    }
                }
                shared = new NettyDynamoClient(settings);
            }
            users++;
            client = shared;
        }
    }

    @Override
    public void cleanup() {
        synchronized (DynamoYcsbClient.class) {
            if (--users == 0) {
                shared.close();
                shared = null;
            }
        }
    }

    @Override
    public Status read(String table, String key, Set<String> fields, Map<String, ByteIterator> result) {
        try {
            ReadResult read = client.get(table, key);
            if (!read.isFound()) {
                return Status.NOT_FOUND;
            }
            decode(read.siblings().getFirst().bytes(), fields, result);
            return Status.OK;
        } catch (DynamoException e) {
            return Status.ERROR;
        }
    }

    @Override
    public Status scan(String table, String startKey, int count, Set<String> fields,
            Vector<HashMap<String, ByteIterator>> result) {
        return Status.NOT_IMPLEMENTED;
    }

    @Override
    public Status update(String table, String key, Map<String, ByteIterator> values) {
        return insert(table, key, values);
    }

    @Override
    public Status insert(String table, String key, Map<String, ByteIterator> values) {
        try {
            client.put(table, key, Value.of(encode(values), TYPE), CausalContext.NONE);
            return Status.OK;
        } catch (DynamoException e) {
            return Status.ERROR;
        }
    }

    @Override
    public Status delete(String table, String key) {
        try {
            client.delete(table, key, CausalContext.NONE);
            return Status.OK;
        } catch (DynamoException e) {
            return Status.ERROR;
        }
    }

    private static byte[] encode(Map<String, ByteIterator> values) {
        ByteWriter out = new ByteWriter(values.size() * 110);
        values.forEach((field, bytes) -> {
            out.writeString(field);
            out.writeBytes(bytes.toArray());
        });
        return out.toByteArray();
    }

    private static void decode(byte[] record, Set<String> fields, Map<String, ByteIterator> result) {
        ByteReader in = ByteReader.of(record, IllegalArgumentException::new);
        while (in.remaining() > 0) {
            String field = in.readString();
            byte[] bytes = in.readBytes();
            if (fields == null || fields.contains(field)) {
                result.put(field, new ByteArrayByteIterator(bytes));
            }
        }
    }
}

package dev.dynamo.node.clientapi;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import dev.dynamo.client.ClientObservations;
import dev.dynamo.client.ClientSettings;
import dev.dynamo.client.ConditionFailedException;
import dev.dynamo.client.InvalidRequestException;
import dev.dynamo.client.NettyDynamoClient;
import dev.dynamo.client.SiblingResolver;
import dev.dynamo.client.autoconfigure.DynamoClientMeters;
import dev.dynamo.client.ValueTooLargeException;
import dev.dynamo.core.client.CausalContext;
import dev.dynamo.core.client.ClientKey;
import dev.dynamo.core.client.Credentials;
import dev.dynamo.core.client.FailureKind;
import dev.dynamo.core.client.ReadResult;
import dev.dynamo.core.client.Value;
import dev.dynamo.core.client.WriteResult;
import dev.dynamo.core.ring.Ring;
import dev.dynamo.core.wire.ClientMessage;
import dev.dynamo.node.LocalNode;
import dev.dynamo.node.transport.NettyTransport;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.micrometer.observation.Observation;
import io.micrometer.observation.ObservationHandler;
import io.micrometer.observation.ObservationRegistry;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.TreeSet;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The binary client API of a real node, through the starter's client; contexts interoperate with HTTP. */
class ClientApiTest {

    private static final SiblingResolver CART_UNION = siblings -> {
        TreeSet<String> items = new TreeSet<>();
        siblings.forEach(v -> items.addAll(Arrays.asList(v.asText().split(","))));
        return Value.text(String.join(",", items));
    };

    private static LocalNode node;
    private static NettyDynamoClient client;

    @BeforeAll
    static void start() {
        node = LocalNode.start("--dynamo.limits.max-value-size=1KB", "--dynamo.buckets.sessions.ttl=1s");
        client = new NettyDynamoClient(ClientSettings.of(List.of(node.bean(NettyTransport.class).localAddress())));
    }

    @AfterAll
    static void stop() {
        client.close();
        node.close();
    }

    private static byte[] key(String name) {
        return name.getBytes(StandardCharsets.UTF_8);
    }

    @Test
    void everyCallIsAnObservationNamedAfterTheDatabaseConventionsWithoutKeysOrValues() {
        List<Observation.Context> observed = new CopyOnWriteArrayList<>();
        ObservationRegistry registry = ObservationRegistry.create();
        registry.observationConfig().observationHandler(new ObservationHandler<>() {
            @Override
            public void onStop(Observation.Context context) {
                observed.add(context);
            }

            @Override
            public boolean supportsContext(Observation.Context context) {
                return true;
            }
        });
        try (NettyDynamoClient observedClient = new NettyDynamoClient(
                ClientSettings.of(List.of(node.bean(NettyTransport.class).localAddress())), registry)) {
            observedClient.put("observed", "secret-key", Value.text("secret-value"), CausalContext.NONE);
            observedClient.get("observed", "secret-key");
            assertThatThrownBy(() -> observedClient.putIfAbsent("observed", "secret-key", Value.text("x")))
                    .isInstanceOf(ConditionFailedException.class);
            observedClient.listKeys("observed", null, 10);

            SimpleMeterRegistry meters = new SimpleMeterRegistry();
            new DynamoClientMeters(observedClient).bindTo(meters);
            assertThat(meters.get("dynamo.client.connections").gauge().value()).as("the one node").isEqualTo(1);
            assertThat(meters.get("dynamo.client.requests.in.flight").gauge().value()).isZero();
            assertThat(meters.get("dynamo.client.ring.refreshes").functionCounter().count()).isPositive();
            assertThat(meters.get("dynamo.client.retries").functionCounter().count()).isZero();
        }

        assertThat(observed).extracting(Observation.Context::getName).containsOnly(ClientObservations.NAME);
        assertThat(observed).extracting(Observation.Context::getContextualName)
                .containsExactly("put observed", "get observed", "put_if_absent observed", "list_keys observed");
        Observation.Context refused = observed.get(2);
        assertThat(refused.getLowCardinalityKeyValue("outcome").getValue()).isEqualTo("error");
        assertThat(refused.getLowCardinalityKeyValue("error.type").getValue()).isEqualTo("ConditionFailedException");
        assertThat(observed.getFirst().getLowCardinalityKeyValue("db.system.name").getValue()).isEqualTo("dynamo");
        assertThat(observed.getFirst().getLowCardinalityKeyValue("db.collection.name").getValue()).isEqualTo("observed");
        assertThat(observed.getFirst().getLowCardinalityKeyValue("outcome").getValue()).isEqualTo("success");
        assertThat(observed).allSatisfy(context -> assertThat(context.getAllKeyValues().toString())
                .doesNotContain("secret"));
    }

    @Test
    void keysStreamsEveryLiveKeyOfTheBucketAcrossPagesInByteOrder() {
        List<String> names = new ArrayList<>();
        for (int i = 0; i < 2500; i++) {
            names.add("item-%04d".formatted(i));
        }
        names.parallelStream().forEach(name -> client.put("listed", name, Value.text("v"), CausalContext.NONE));
        client.delete("listed", "item-0001", CausalContext.NONE);
        client.put("listed", "expired", Value.text("v"), CausalContext.NONE, Duration.ofMillis(1));

        List<String> live = names.stream().filter(n -> !n.equals("item-0001")).toList();
        assertThat(client.keysAsText("listed").toList()).as("three pages of 1,000").isEqualTo(live);
        var page = client.listKeys("listed", key("item-2497"), 10);
        assertThat(page.keys()).extracting(k -> new String(k, StandardCharsets.UTF_8)).containsExactly("item-2498", "item-2499");
        assertThatThrownBy(() -> client.listKeys("listed", null, 1001)).isInstanceOf(InvalidRequestException.class);
    }

    @Test
    void aWriteWithTheReadsContextSupersedesWhatWasRead() {
        client.put("carts", "alice", Value.text("milk"), CausalContext.NONE);
        ReadResult read = client.get("carts", "alice");
        assertThat(read.value().asText()).isEqualTo("milk");
        assertThat(read.value().contentType()).isEqualTo("text/plain;charset=UTF-8");
        assertThat(read.value().lastModified()).isPositive();

        client.put("carts", key("alice"), Value.text("milk,eggs"), read.context(), 3);

        assertThat(client.get("carts", key("alice"), 1).siblings()).extracting(Value::asText).containsExactly("milk,eggs");
    }

    @Test
    void concurrentWritesBecomeSiblingsThatTheResolverMergesForHttpReadersToo() throws Exception {
        client.put("carts", "bob", Value.text("milk"), CausalContext.NONE);
        CausalContext seen = client.get("carts", "bob").context();
        client.put("carts", "bob", Value.text("milk,eggs"), seen);
        client.put("carts", "bob", Value.text("milk,bread"), seen);
        assertThat(client.get("carts", "bob").siblings()).hasSize(2);

        ReadResult resolved = client.getResolved("carts", key("bob"), CART_UNION);

        assertThat(resolved.value().asText()).isEqualTo("bread,eggs,milk");
        HttpResponse<String> http = node.get("/kv/carts/bob");
        assertThat(http.statusCode()).isEqualTo(200);
        assertThat(http.body()).isEqualTo("bread,eggs,milk");
    }

    @Test
    void contextsMoveBetweenTheClientAndHttp() throws Exception {
        client.put("carts", "carol", Value.text("milk"), CausalContext.NONE);
        CausalContext context = client.get("carts", "carol").context();
        HttpResponse<String> written = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
                        URI.create(node.get("/kv/carts/carol").uri().toString()))
                .header("X-Dynamo-Context", context.token())
                .PUT(HttpRequest.BodyPublishers.ofString("milk,tea")).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(written.statusCode()).isEqualTo(204);

        ReadResult read = client.get("carts", "carol");
        assertThat(read.siblings()).extracting(Value::asText).containsExactly("milk,tea");
        assertThat(read.context().token()).isEqualTo(written.headers().firstValue("X-Dynamo-Context").orElseThrow());
    }

    @Test
    void aDeletedKeyIsNotFoundAndItsContextSupersedesTheDelete() {
        var written = client.put("carts", "dave", Value.text("milk"), CausalContext.NONE);
        client.delete("carts", "dave", written.context());

        ReadResult read = client.get("carts", "dave");
        assertThat(read.isFound()).isFalse();
        assertThat(read.context().isNone()).isFalse();
        assertThat(client.get("carts", "nobody").context().isNone()).isTrue();

        client.put("carts", "dave", Value.text("tea"), read.context());
        assertThat(client.get("carts", "dave").siblings()).extracting(Value::asText).containsExactly("tea");
    }

    @Test
    void putIfAbsentCreatesOnceAndReplaceNeedsTheCurrentContextOverTheClientAndHttp() throws Exception {
        WriteResult created = client.putIfAbsent("carts", "ivan", Value.text("milk"));
        ConditionFailedException exists = catchThrowableOfType(ConditionFailedException.class,
                () -> client.putIfAbsent("carts", "ivan", Value.text("tea")));
        assertThat(exists.kind()).isEqualTo(FailureKind.CONDITION_FAILED);
        assertThat(exists.current()).isEqualTo(created.context());

        WriteResult replaced = client.replace("carts", "ivan", created.context(), Value.text("milk,eggs"));
        ConditionFailedException stale = catchThrowableOfType(ConditionFailedException.class,
                () -> client.replace("carts", "ivan", created.context(), Value.text("tea")));
        assertThat(stale.current()).isEqualTo(replaced.context());
        assertThat(client.get("carts", "ivan").siblings()).extracting(Value::asText).containsExactly("milk,eggs");

        // HTTP: the same conditions, 412 with the current context, and the context works across the two doors
        assertThat(httpPut("/kv/carts/ivan", "If-None-Match", "*", "tea").statusCode()).isEqualTo(412);
        HttpResponse<String> staleHttp = httpPut("/kv/carts/ivan", "If-Match", created.context().token(), "tea");
        assertThat(staleHttp.statusCode()).isEqualTo(412);
        assertThat(staleHttp.body()).contains("urn:dynamo:problem:condition-failed");
        assertThat(staleHttp.headers().firstValue("X-Dynamo-Context")).contains(replaced.context().token());
        HttpResponse<String> matched = httpPut("/kv/carts/ivan", "If-Match", "\"" + replaced.context().token() + "\"",
                "milk,eggs,tea");
        assertThat(matched.statusCode()).isEqualTo(204);
        assertThat(client.get("carts", "ivan").siblings()).extracting(Value::asText).containsExactly("milk,eggs,tea");
        assertThat(httpPut("/kv/carts/judy", "If-None-Match", "*", "tea").statusCode()).isEqualTo(204);
        assertThat(client.get("carts", "judy").value().asText()).isEqualTo("tea");
    }

    @Test
    void conditionsThatCannotBeMetAreRefusedAsBadRequestsAndChangeNothing() throws Exception {
        assertThatThrownBy(() -> client.replace("carts", "kim", CausalContext.NONE, Value.text("x")))
                .isInstanceOf(InvalidRequestException.class).hasMessageContaining("putIfAbsent");
        assertThat(httpPut("/kv/carts/kim", "If-None-Match", "\"abc\"", "x").statusCode()).isEqualTo(400);
        assertThat(httpPut("/kv/carts/kim", "If-Match", "*", "x").statusCode()).isEqualTo(400);
        assertThat(httpPut("/kv/carts/kim", "If-Match", "forged", "x").statusCode()).isEqualTo(400);
        HttpResponse<String> both = HttpClient.newHttpClient().send(HttpRequest.newBuilder(node.uri("/kv/carts/kim"))
                .header("If-None-Match", "*").header("If-Match", "x")
                .PUT(HttpRequest.BodyPublishers.ofString("x")).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(both.statusCode()).isEqualTo(400);
        assertThat(both.body()).contains("not both");
        assertThat(client.get("carts", "kim").isFound()).isFalse();
    }

    @Test
    void valuesWithATtlOrInABucketWithOneDisappearForReadersOfEitherApiOnceTheyExpire() throws Exception {
        client.put("sessions", "s1", Value.text("from the bucket's ttl"), CausalContext.NONE);
        client.put("carts", "lena", Value.text("from the call's ttl"), CausalContext.NONE, Duration.ofMillis(700));
        assertThat(httpPut("/kv/carts/mia", "X-Dynamo-TTL", "1", "from the header's ttl").statusCode()).isEqualTo(204);
        assertThat(httpPut("/kv/carts/noah", "X-Dynamo-TTL", "PT0.8S", "iso-8601").statusCode()).isEqualTo(204);
        client.put("carts", "olga", Value.text("no ttl"), CausalContext.NONE);
        assertThat(client.get("carts", "mia").value().asText()).isEqualTo("from the header's ttl");
        assertThat(node.get("/kv/sessions/s1").statusCode()).isEqualTo(200);

        for (String key : List.of("sessions/s1", "carts/lena", "carts/mia", "carts/noah")) {
            awaitGone(key);
        }
        assertThat(client.get("sessions", "s1").isFound()).isFalse();
        assertThat(client.get("sessions", "s1").context().isNone()).as("the context covers the expired value").isFalse();
        assertThat(client.get("carts", "olga").value().asText()).isEqualTo("no ttl");
    }

    @Test
    void aTtlThatIsNotPositiveOrNotADurationIsRefused() throws Exception {
        for (String ttl : List.of("0", "-1", "PT-1S", "soon", "P99999999D", "9".repeat(20))) {
            HttpResponse<String> refused = httpPut("/kv/carts/pete", "X-Dynamo-TTL", ttl, "x");
            assertThat(refused.statusCode()).as(ttl).isEqualTo(400);
            assertThat(refused.body()).as(ttl).containsAnyOf("X-Dynamo-TTL", "TTL must be positive");
        }
        assertThatThrownBy(() -> client.put("carts", "pete", Value.text("x"), CausalContext.NONE, Duration.ZERO))
                .isInstanceOf(InvalidRequestException.class).hasMessageContaining("TTL must be positive");
        assertThat(client.get("carts", "pete").isFound()).isFalse();
    }

    /** Polls, for at most 10 s, until HTTP and the client both find no value under {@code bucketAndKey}. */
    private static void awaitGone(String bucketAndKey) throws Exception {
        String[] parts = bucketAndKey.split("/");
        long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
        while (node.get("/kv/" + bucketAndKey).statusCode() != 404 || client.get(parts[0], parts[1]).isFound()) {
            assertThat(System.nanoTime()).as("%s expired within 10 s", bucketAndKey).isLessThan(deadline);
            Thread.sleep(50);
        }
    }

    private static HttpResponse<String> httpPut(String path, String header, String value, String body) throws Exception {
        return HttpClient.newHttpClient().send(HttpRequest.newBuilder(node.uri(path)).header(header, value)
                .PUT(HttpRequest.BodyPublishers.ofString(body)).build(), HttpResponse.BodyHandlers.ofString());
    }

    @Test
    void badRequestsFailWithTheReasonAndChangeNothing() {
        assertThatThrownBy(() -> client.get("no spaces", "k")).isInstanceOf(InvalidRequestException.class)
                .hasMessageContaining("bucket name");
        assertThatThrownBy(() -> client.get("carts", new byte[1025])).isInstanceOf(InvalidRequestException.class)
                .hasMessageContaining("1 to 1024 bytes");
        assertThatThrownBy(() -> client.getAsync("carts", key("k"), 9).join()).hasCauseInstanceOf(
                InvalidRequestException.class).hasMessageContaining("r must be an integer from 1 to 3");
        assertThatThrownBy(() -> client.put("carts", "erin", Value.text("x"), new CausalContext("forged")))
                .isInstanceOf(InvalidRequestException.class).hasMessageContaining("context");
        assertThat(client.get("carts", "erin").isFound()).isFalse();
    }

    @Test
    void valuesOverTheLimitAreRefusedByTheClientOnceItKnowsTheRingAndByTheNode() {
        client.fetchRing().join();
        assertThatThrownBy(() -> client.put("carts", "frank", Value.of(new byte[1025], "x/y"), CausalContext.NONE))
                .isInstanceOf(ValueTooLargeException.class).hasMessageContaining("1024 bytes");

        ClientMessage reply = node.bean(ClientService.class).handle(new ClientMessage.ClientPut(new ClientKey("carts",
                key("frank")), CausalContext.NONE, Value.of(new byte[1025], "x/y"), 0)).join();
        assertThat(reply).isInstanceOfSatisfying(ClientMessage.ClientFailure.class,
                failure -> assertThat(failure.kind()).isEqualTo(FailureKind.VALUE_TOO_LARGE));
        assertThat(client.get("carts", "frank").isFound()).isFalse();
    }

    /** Peer messages cannot even be decoded on a client session (ClientSessionTest); replies are refused. */
    @Test
    void aClientSessionServesNothingButClientRequests() {
        ClientMessage reply = node.bean(ClientService.class).handle(
                new ClientMessage.ClientWritten(1, CausalContext.NONE, 1)).join();
        assertThat(reply).isInstanceOfSatisfying(ClientMessage.ClientFailure.class, failure -> {
            assertThat(failure.kind()).isEqualTo(FailureKind.BAD_REQUEST);
            assertThat(failure.reason()).contains("not a client request");
        });
    }

    @Test
    void theConfiguredQuorumsApplyToEveryCallThatNamesNone() {
        try (NettyDynamoClient strict = new NettyDynamoClient(ClientSettings.of(List.of(
                node.bean(NettyTransport.class).localAddress())).withQuorums(4, 5))) {
            assertThatThrownBy(() -> strict.get("carts", "grace")).isInstanceOf(InvalidRequestException.class)
                    .hasMessageContaining("r must be an integer from 1 to 3");
            assertThatThrownBy(() -> strict.put("carts", "grace", Value.text("x"), CausalContext.NONE))
                    .isInstanceOf(InvalidRequestException.class)
                    .hasMessageContaining("w must be an integer from 1 to 3");
            assertThatThrownBy(() -> strict.delete("carts", "grace", CausalContext.NONE))
                    .isInstanceOf(InvalidRequestException.class).hasMessageContaining("w must be");
            assertThat(client.get("carts", "grace").isFound()).isFalse();

            strict.put("carts", key("grace"), Value.text("x"), CausalContext.NONE, 1);
            assertThat(strict.get("carts", key("grace"), 1).value().asText()).isEqualTo("x");
        }
    }

    @Test
    void anOpenNodeServesAClientPresentingCredentials() {
        try (NettyDynamoClient withCredentials = new NettyDynamoClient(ClientSettings.of(List.of(
                node.bean(NettyTransport.class).localAddress())).withCredentials(new Credentials("any", "thing")))) {
            withCredentials.put("carts", "heidi", Value.text("tea"), CausalContext.NONE);
            assertThat(client.get("carts", "heidi").value().asText()).isEqualTo("tea");
        }
    }

    @Test
    void theClientLearnsTheNodesRing() {
        Ring ring = client.fetchRing().join();
        assertThat(ring.members()).hasSize(1);
        assertThat(client.ringVersion()).isEqualTo(ring.version()).isPositive();
    }
}

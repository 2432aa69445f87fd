package dev.dynamo.node.cli;

import java.io.IOException;
import java.net.ConnectException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpConnectTimeoutException;
import java.net.http.HttpRequest;
import java.net.http.HttpRequest.BodyPublishers;
import java.net.http.HttpResponse;
import java.net.http.HttpResponse.BodyHandlers;
import java.net.http.HttpTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Base64;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * One node's admin and actuator API, called as the operator (HTTP Basic on every request, as the node
 * keeps no session). Answers are JSON trees; a refusal becomes a {@link CliFailure} carrying the
 * problem document's detail (RFC 9457), and a node that cannot be reached one that names its URL.
 */
final class NodeApi implements AutoCloseable {

    /** The members, the ring change under way and this node's transfers; POST adds one, DELETE /{id} removes one. */
    static final String MEMBERS = "/admin/api/members";
    /** This node's hint queues, request statistics, anti-entropy totals and storage size. */
    static final String STATUS = "/admin/api/status";
    /** The ring: members, owners, preference lists; {@code /{bucket}/{key}} for one key's replicas. */
    static final String RING = "/actuator/ring";
    /** This node's bucket truncations. */
    static final String TRUNCATIONS = "/admin/api/truncations";

    private static final Duration CONNECT_TIMEOUT = Duration.ofSeconds(5);
    /** Long enough for a key lookup, which asks every replica over the network, on a slow node. */
    private static final Duration REQUEST_TIMEOUT = Duration.ofSeconds(30);
    /** How much of a body that is not a problem document a refusal quotes. */
    private static final int QUOTED_BODY_CHARS = 200;

    private final URI base;
    private final String authorization;
    private final JsonMapper json;
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(CONNECT_TIMEOUT).build();

    NodeApi(URI base, String user, char[] password, JsonMapper json) {
        this.base = base;
        this.authorization = "Basic " + Base64.getEncoder().encodeToString(
                (user + ":" + new String(password)).getBytes(StandardCharsets.UTF_8));
        this.json = json;
    }

    JsonNode get(String path) {
        return answer(send(request(path).GET()), false);
    }

    JsonNode post(String path, JsonNode body) {
        return answer(send(request(path).header("Content-Type", "application/json")
                .POST(BodyPublishers.ofString(json.writeValueAsString(body)))), false);
    }

    JsonNode delete(String path) {
        return answer(send(request(path).DELETE()), false);
    }

    /** {@code /actuator/health}, whose 503 (the node is down) still carries the document worth showing. */
    JsonNode health() {
        return answer(send(request("/actuator/health").GET()), true);
    }

    URI base() {
        return base;
    }

    @Override
    public void close() {
        http.close();
    }

    private HttpRequest.Builder request(String path) {
        return HttpRequest.newBuilder(base.resolve(path)).timeout(REQUEST_TIMEOUT)
                .header("Authorization", authorization).header("Accept", "application/json");
    }

    private HttpResponse<String> send(HttpRequest.Builder request) {
        HttpRequest built = request.build();
        try {
            return http.send(built, BodyHandlers.ofString());
        } catch (HttpConnectTimeoutException e) {
            throw unreachable("no connection within " + CONNECT_TIMEOUT.toSeconds() + " s");
        } catch (HttpTimeoutException e) {
            throw unreachable("no answer to " + built.method() + " " + built.uri().getRawPath() + " within "
                    + REQUEST_TIMEOUT.toSeconds() + " s");
        } catch (ConnectException e) {
            throw unreachable(e.getMessage() == null ? "connection refused" : e.getMessage());
        } catch (IOException e) {
            throw unreachable(e.toString());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw unreachable("interrupted");
        }
    }

    private CliFailure unreachable(String why) {
        return new CliFailure(ExitStatus.UNREACHABLE, "could not reach the node at " + base + ": " + why);
    }

    private JsonNode answer(HttpResponse<String> response, boolean unavailableIsAnswer) {
        int status = response.statusCode();
        boolean ok = status / 100 == 2 || unavailableIsAnswer && status == 503;
        if (!ok) {
            throw new CliFailure(ExitStatus.REFUSED, reason(status, response.body()) + " (HTTP " + status + ")");
        }
        try {
            return json.readTree(response.body());
        } catch (JacksonException e) {
            throw new CliFailure(ExitStatus.REFUSED, "the node's answer to " + response.request().uri().getRawPath()
                    + " is not JSON: " + quote(response.body()));
        }
    }

    /** What a refusal says: the problem document's detail, else its title (or Spring's error), else the body. */
    String reason(int status, String body) {
        JsonNode problem;
        try {
            problem = json.readTree(body);
        } catch (JacksonException notJson) {
            return body.isBlank() ? "the node answered HTTP " + status : quote(body);
        }
        for (String field : new String[] {"detail", "title", "error"}) {
            String text = problem.path(field).asString("");
            if (!text.isBlank()) {
                return text;
            }
        }
        return body.isBlank() ? "the node answered HTTP " + status : quote(body);
    }

    private static String quote(String body) {
        String line = body.strip().replaceAll("\\s+", " ");
        return line.length() <= QUOTED_BODY_CHARS ? line : line.substring(0, QUOTED_BODY_CHARS) + "…";
    }
}

package io.harperdb.replication.client;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.harperdb.replication.model.ClusterStatus;
import io.harperdb.replication.model.NodeRecord;
import java.io.IOException;
import java.io.InterruptedIOException;
import java.net.ConnectException;
import java.net.NoRouteToHostException;
import java.net.SocketTimeoutException;
import java.net.UnknownHostException;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.regex.Pattern;
import java.util.concurrent.TimeUnit;
import javax.security.auth.x500.X500Principal;
import okhttp3.Call;
import okhttp3.ConnectionPool;
import okhttp3.Credentials;
import okhttp3.Handshake;
import okhttp3.HttpUrl;
import okhttp3.MediaType;
import okhttp3.OkHttpClient;
import okhttp3.Protocol;
import okhttp3.Request;
import okhttp3.RequestBody;
import okhttp3.Response;
import okhttp3.ResponseBody;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Typed client for the clustering operations of one HarperDB member's Operations API.
 * Requests are validated before they are sent; every answer is classified ({@link Outcome}) and
 * anything but success is thrown as {@link HarperOperationException}. It never retries on its own (the caller
 * decides: the operator backs off and reconciles again), but for the one case HarperDB itself drops:
 * {@link #CLUSTER_STATUS_FIRST_TRY}.
 */
public class HarperClient {
    private static final Logger LOG = LoggerFactory.getLogger(HarperClient.class);
    private static final MediaType JSON = MediaType.get("application/json");
    /** A 200 whose message says the work failed on the target (seen: "... but there was an error updating target node"). */
    private static final Pattern FAILURE_IN_MESSAGE = Pattern.compile("error|fail|partially", Pattern.CASE_INSENSITIVE);
    /** What a message quotes (a node's URL, e.g. 'wss://failover-0:9933') is a name, not a report of failure. */
    private static final Pattern QUOTED = Pattern.compile("'[^']*'");
    /**
     * How long a cluster_status waits (the whole call, connecting included) before it is sent once more with the
     * client's own timeouts, when its read timeout is longer. HarperDB 4.7.29 answers only the latest of overlapping
     * cluster_status calls on one worker thread: the worker keeps one pending answer, which each new call replaces, so
     * an earlier call is never answered (compatibility row 30). Two callers of one member (the operator and the
     * member's sidecar) overlap now and then, and one of them would wait out its whole read timeout (30 s by default);
     * alone, a call is answered in milliseconds. Sending it again is safe: it only reads.
     */
    public static final Duration CLUSTER_STATUS_FIRST_TRY = Duration.ofSeconds(3);
    static final ObjectMapper MAPPER = new ObjectMapper()
            .configure(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES, false);

    private final HttpUrl operationsUrl;
    private final String member;
    private final String authorizationHeader;
    private final OkHttpClient http;
    private final Timeouts timeouts;

    /**
     * @param operationsUrl where the member's Operations API answers, e.g. {@code http://demo-0.demo-hdb:9925}
     * @param member        the member's name, for messages and logs
     * @param username      a super_user
     * @param base          a shared OkHttpClient (its connection pool and dispatcher are reused)
     */
    public HarperClient(String operationsUrl, String member, String username, String password,
                        OkHttpClient base, Timeouts timeouts) {
        HttpUrl parsed = HttpUrl.parse(operationsUrl);
        if (parsed == null) {
            throw new InvalidRequestException("operations url of " + member + " is not an http(s) URL: " + operationsUrl);
        }
        this.operationsUrl = parsed;
        this.member = member;
        this.authorizationHeader = Credentials.basic(username, password);
        this.timeouts = timeouts;
        this.http = base.newBuilder()
                .connectTimeout(timeouts.connect())
                .readTimeout(timeouts.read())
                .writeTimeout(timeouts.read())
                .callTimeout(timeouts.connect().plus(timeouts.read()))
                .retryOnConnectionFailure(false)
                // A fresh connection per operation: a pooled one goes stale when HarperDB restarts, and
                // with retries off its next call would fail as unreachable. One connect per poll is cheap.
                .connectionPool(new ConnectionPool(0, 1, TimeUnit.SECONDS))
                // HTTP/1.1 only: HarperDB speaks it. Against an https server that offers h2 (MockWebServer; a proxy in
                // front of a member could), 3 of 40 calls failed with "Socket closed" over HTTP/2, 0 of 40 over HTTP/1.1.
                .protocols(List.of(Protocol.HTTP_1_1))
                .build();
    }

    /** Connection and read timeouts; the defaults suit a member in the same cluster network. */
    public record Timeouts(Duration connect, Duration read) {
        public static final Timeouts DEFAULT = new Timeouts(Duration.ofSeconds(5), Duration.ofSeconds(30));
        /** For one call to a member that did not answer lately: whether it answers again. */
        public static final Timeouts PROBE = new Timeouts(Duration.ofSeconds(2), Duration.ofSeconds(3));
    }

    public String member() {
        return member;
    }

    public OperationReply addNode(AddNodeRequest request) {
        ObjectNode body = operation("add_node");
        body.setAll((ObjectNode) MAPPER.valueToTree(request.validated()));
        return send("add_node", body);
    }

    public OperationReply updateNode(UpdateNodeRequest request) {
        ObjectNode body = operation("update_node");
        body.setAll((ObjectNode) MAPPER.valueToTree(request.validated()));
        return send("update_node", body);
    }

    /**
     * Removes the named node from the cluster. The 4.7 server reads {@code hostname} (the seed
     * documentation's {@code name} is ignored, and then the receiving node removes itself), so the
     * node is named by {@code hostname}.
     */
    public OperationReply removeNode(String hostname) {
        if (hostname == null || hostname.isBlank()) {
            throw new InvalidRequestException("remove_node needs the hostname of the node to remove");
        }
        ObjectNode body = operation("remove_node");
        body.put("hostname", hostname);
        return send("remove_node", body);
    }

    /** The records of {@code system.hdb_nodes} on this member: the persisted membership, itself included. */
    public List<NodeRecord> nodeRecords() {
        ObjectNode body = operation("search_by_value").put("database", "system").put("table", "hdb_nodes")
                .put("search_attribute", "name").put("search_value", "*");
        // Named attributes only: a record also holds the peer's CA certificate, which is of no use here.
        body.set("get_attributes", MAPPER.valueToTree(List.of("name", "url", "replicates", "subscriptions")));
        OperationReply reply = send("search hdb_nodes", body);
        if (!reply.body().isArray()) {
            throw new HarperOperationException("search hdb_nodes", member, Outcome.MALFORMED_REPLY, 200,
                    "expected an array of records", null);
        }
        return List.of(convert("search hdb_nodes", reply.body(), NodeRecord[].class));
    }

    /**
     * Deletes records of {@code system.hdb_nodes} on this member only. Needed when a member changes
     * between full and partial replication: remove_node leaves the member's own records of its peers,
     * and a re-add would merge into them (see docs/harperdb-compatibility.md).
     */
    public OperationReply deleteNodeRecords(List<String> ids) {
        if (ids == null || ids.isEmpty() || ids.stream().anyMatch(id -> id == null || id.isBlank())) {
            throw new InvalidRequestException("deleting hdb_nodes records needs non-empty ids");
        }
        ObjectNode body = operation("delete").put("database", "system").put("table", "hdb_nodes");
        body.set("ids", MAPPER.valueToTree(ids));
        return send("delete hdb_nodes", body);
    }

    /**
     * Restarts this member's HTTP worker threads (restart_service http_workers): they hold its replication
     * connections, and new ones connect again. Its Operations API is away for a few seconds (3 s measured, two
     * threads); data is kept.
     */
    public OperationReply restartHttpWorkers() {
        return send("restart_service", operation("restart_service").put("service", "http_workers"));
    }

    public ClusterStatus clusterStatus() {
        return clusterStatusReply().status();
    }

    /**
     * {@code cluster_status}, with the issuer of the certificate the member served for it. Sent once more when the
     * first is unanswered after {@link #CLUSTER_STATUS_FIRST_TRY} and the read timeout is longer than that.
     */
    public ClusterStatusReply clusterStatusReply() {
        OperationReply reply;
        if (timeouts.read().compareTo(CLUSTER_STATUS_FIRST_TRY) <= 0) {
            reply = send("cluster_status", operation("cluster_status"));
        } else {
            try {
                reply = send("cluster_status", operation("cluster_status"), CLUSTER_STATUS_FIRST_TRY);
            } catch (HarperOperationException e) {
                if (e.outcome() != Outcome.TIMED_OUT) {
                    throw e;
                }
                LOG.debug("cluster_status on {} unanswered after {}; sent once more", member, CLUSTER_STATUS_FIRST_TRY);
                reply = send("cluster_status", operation("cluster_status"));
            }
        }
        return new ClusterStatusReply(convert("cluster_status", reply.body(), ClusterStatus.class), reply.certificateIssuer());
    }

    /** Bootstraps in one call: a batch of add_node; nodes not listed are not removed (native mode). */
    public OperationReply configureCluster(List<AddNodeRequest> connections) {
        if (connections == null || connections.isEmpty()) {
            throw new InvalidRequestException("configure_cluster needs at least one connection");
        }
        ObjectNode body = operation("configure_cluster");
        List<AddNodeRequest> validated = new ArrayList<>();
        for (AddNodeRequest connection : connections) {
            if (connection == null) {
                throw new InvalidRequestException("configure_cluster: a connection entry is empty");
            }
            validated.add(connection.validated());
        }
        body.set("connections", MAPPER.valueToTree(validated));
        return send("configure_cluster", body);
    }

    /** Adds routes to harperdb-config.yaml; they take effect when the instance restarts. */
    public RouteChange setRoutes(List<Route> routes) {
        OperationReply reply = send("cluster_set_routes", routesOperation("cluster_set_routes", routes));
        return new RouteChange(reply.message(), routes("cluster_set_routes", reply.body().get("set")),
                routes("cluster_set_routes", reply.body().get("skipped")));
    }

    /** Removes routes from harperdb-config.yaml; they take effect when the instance restarts. */
    public RouteChange deleteRoutes(List<Route> routes) {
        OperationReply reply = send("cluster_delete_routes", routesOperation("cluster_delete_routes", routes));
        return new RouteChange(reply.message(), routes("cluster_delete_routes", reply.body().get("deleted")),
                routes("cluster_delete_routes", reply.body().get("skipped")));
    }

    /** The routes the instance loaded when it started (not those set since). */
    public List<Route> getRoutes() {
        OperationReply reply = send("cluster_get_routes", operation("cluster_get_routes"));
        if (!reply.body().isArray()) {
            throw new HarperOperationException("cluster_get_routes", member, Outcome.MALFORMED_REPLY, 200,
                    "expected an array of routes", null);
        }
        return routes("cluster_get_routes", reply.body());
    }

    /**
     * The HarperDB version the instance runs (its package version), from {@code registration_info}: on 4.7.29 it
     * answers {@code {"version":"4.7.29","deprecated":true}} (the operation is deprecated, yet it is the one that
     * names the version; {@code /health} and {@code system_information} do not). Null when the answer has no version.
     */
    public String version() {
        OperationReply reply = send("registration_info", operation("registration_info"));
        JsonNode version = reply.body().get("version");
        return version != null && version.isTextual() && !version.asText().isBlank() ? version.asText() : null;
    }

    /** Whether {@code GET /health} answers 2xx; needs no credentials and never throws. */
    public boolean isHealthy() {
        Request request = new Request.Builder().url(operationsUrl.resolve("/health")).get().build();
        try (Response response = http.newCall(request).execute()) {
            return response.isSuccessful();
        } catch (IOException e) {
            return false;
        }
    }

    private ObjectNode routesOperation(String operation, List<Route> routes) {
        if (routes == null || routes.isEmpty()) {
            throw new InvalidRequestException(operation + " needs at least one route");
        }
        if (routes.stream().anyMatch(Objects::isNull)) {
            throw new InvalidRequestException(operation + ": a route entry is empty");
        }
        ObjectNode body = operation(operation);
        body.set("routes", MAPPER.valueToTree(routes));
        return body;
    }

    private static ObjectNode operation(String name) {
        return MAPPER.createObjectNode().put("operation", name);
    }

    private List<Route> routes(String operation, JsonNode array) {
        List<Route> routes = new ArrayList<>();
        if (array != null && array.isArray()) {
            for (JsonNode node : array) {
                try {
                    routes.add(Route.fromJson(node));
                } catch (InvalidRequestException e) {
                    throw new HarperOperationException(operation, member, Outcome.MALFORMED_REPLY, 200, e.getMessage(), null);
                }
            }
        }
        return routes;
    }

    private <T> T convert(String operation, JsonNode body, Class<T> type) {
        try {
            return MAPPER.treeToValue(body, type);
        } catch (JsonProcessingException e) {
            throw new HarperOperationException(operation, member, Outcome.MALFORMED_REPLY, 200,
                    "unexpected " + operation + " shape: " + e.getOriginalMessage(), null);
        }
    }

    /** Sends one operation and classifies the answer; the body is never logged (it may hold credentials). */
    OperationReply send(String operation, ObjectNode body) {
        return send(operation, body, null);
    }

    /** @param callTimeout the whole call's bound, when shorter than the client's; null: the client's */
    private OperationReply send(String operation, ObjectNode body, Duration callTimeout) {
        Request request = new Request.Builder()
                .url(operationsUrl)
                .header("Authorization", authorizationHeader)
                .post(RequestBody.create(body.toString(), JSON))
                .build();
        Call call = http.newCall(request);
        if (callTimeout != null) {
            call.timeout().timeout(callTimeout.toMillis(), TimeUnit.MILLISECONDS);
        }
        try (Response response = call.execute()) {
            OperationReply reply = classify(operation, response);
            LOG.debug("{} on {}: {}", operation, member, reply.message());
            return reply;
        } catch (SocketTimeoutException e) {
            // OkHttp reports a connect timeout with "connect timed out"; that member is unreachable.
            boolean connecting = e.getMessage() != null && e.getMessage().toLowerCase(Locale.ROOT).contains("connect");
            throw failure(operation, connecting ? Outcome.UNREACHABLE : Outcome.TIMED_OUT, 0, e.getMessage(), e);
        } catch (InterruptedIOException e) {
            throw failure(operation, Outcome.TIMED_OUT, 0, e.getMessage(), e);
        } catch (ConnectException | UnknownHostException | NoRouteToHostException e) {
            throw failure(operation, Outcome.UNREACHABLE, 0, e.getMessage(), e);
        } catch (IOException e) {
            throw failure(operation, Outcome.UNREACHABLE, 0, e.getMessage(), e);
        }
    }

    private OperationReply classify(String operation, Response response) throws IOException {
        int status = response.code();
        ResponseBody responseBody = response.body();
        String text = responseBody == null ? "" : responseBody.string();
        JsonNode json = parse(text);
        String serverMessage = json == null ? abbreviate(text) : messageOf(json);
        if (status >= 200 && status < 300) {
            if (json == null) {
                throw failure(operation, Outcome.MALFORMED_REPLY, status, "not JSON: " + abbreviate(text), null);
            }
            if (json.hasNonNull("error") || (serverMessage != null
                    && FAILURE_IN_MESSAGE.matcher(QUOTED.matcher(serverMessage).replaceAll("''")).find())) {
                throw failure(operation, Outcome.TARGET_FAILURE, status, serverMessage, null);
            }
            return new OperationReply(serverMessage, json, certificateIssuer(response));
        }
        Outcome outcome = switch (status) {
            case 400, 404, 409, 422 -> Outcome.REFUSED;
            case 401 -> Outcome.UNAUTHORIZED;
            case 403 -> Outcome.FORBIDDEN;
            default -> Outcome.SERVER_ERROR;
        };
        throw failure(operation, outcome, status, serverMessage, null);
    }

    /** The issuer of the certificate the member served (a fresh connection per call: the one it serves now). */
    private static X500Principal certificateIssuer(Response response) {
        Handshake handshake = response.handshake();
        if (handshake == null || handshake.peerCertificates().isEmpty()) return null;
        return handshake.peerCertificates().get(0) instanceof X509Certificate served ? served.getIssuerX500Principal() : null;
    }

    private HarperOperationException failure(String operation, Outcome outcome, int status, String message, Throwable cause) {
        return new HarperOperationException(operation, member, outcome, status, message, cause);
    }

    private static JsonNode parse(String text) {
        if (text == null || text.isBlank()) {
            return null;
        }
        try {
            return MAPPER.readTree(text);
        } catch (JsonProcessingException e) {
            return null;
        }
    }

    private static String messageOf(JsonNode json) {
        if (json.hasNonNull("error")) {
            return json.get("error").isTextual() ? json.get("error").asText() : json.get("error").toString();
        }
        if (json.hasNonNull("message")) {
            return json.get("message").asText();
        }
        return null;
    }

    private static String abbreviate(String text) {
        if (text == null) return null;
        return text.length() <= 200 ? text : text.substring(0, 200) + "...";
    }
}

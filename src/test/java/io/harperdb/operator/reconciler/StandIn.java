package io.harperdb.operator.reconciler;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import okhttp3.mockwebserver.Dispatcher;
import okhttp3.mockwebserver.MockResponse;
import okhttp3.mockwebserver.MockWebServer;
import okhttp3.mockwebserver.RecordedRequest;

/**
 * A HarperDB Operations API stood in by MockWebServer: hdb_nodes holds a full record of each given peer, and
 * cluster_status shows every link connected or every link down; any other operation succeeds. Records the operations it was sent.
 * What it answers can be changed while it runs: the peers cluster_status lists, those hdb_nodes holds, the routes
 * cluster_get_routes answers, and whether it answers 500 to everything.
 */
final class StandIn implements AutoCloseable {
    private static final ObjectMapper JSON = new ObjectMapper();

    private final MockWebServer server = new MockWebServer();
    private final List<String> operations = new CopyOnWriteArrayList<>();
    private final List<JsonNode> bodies = new CopyOnWriteArrayList<>();
    /** The HarperDB version registration_info answers; null: none. */
    private volatile String version;
    private volatile List<String> statusPeers;
    private volatile List<String> recordPeers;
    private volatile List<String> routes = List.of();
    private volatile boolean failing;

    StandIn(String nodeName, List<String> peers, boolean connected) {
        this(nodeName, peers, connected, null);
    }

    /** @param https the server's TLS (a certificate from a test CA), or null for plain http */
    StandIn(String nodeName, List<String> peers, boolean connected, javax.net.ssl.SSLSocketFactory https) {
        if (https != null) {
            server.useHttps(https, false);
        }
        statusPeers = List.copyOf(peers);
        recordPeers = List.copyOf(peers);
        server.setDispatcher(new Dispatcher() {
            @Override
            public MockResponse dispatch(RecordedRequest request) {
                String operation;
                JsonNode sent;
                try {
                    sent = JSON.readTree(request.getBody().readUtf8());
                    operation = sent.path("operation").asText();
                    bodies.add(sent);
                } catch (IOException e) {
                    return new MockResponse().setResponseCode(400).setBody("{\"error\":\"not JSON\"}");
                }
                operations.add(operation);
                if (failing) {
                    return new MockResponse().setResponseCode(500).setBody("{\"error\":\"internal error\"}");
                }
                if (operation.equals("cluster_delete_routes")) {
                    // as HarperDB does: the routes named go from its config (string routes here)
                    List<String> named = new java.util.ArrayList<>();
                    sent.path("routes").forEach(r -> named.add(r.isTextual() ? r.asText() : r.toString()));
                    routes = routes.stream().filter(r -> !named.contains(r)).toList();
                }
                Object body = switch (operation) {
                    case "cluster_status" -> Map.of("node_name", nodeName, "is_enabled", true, "connections", statusPeers.stream()
                            .map(p -> Map.of("name", p, "url", "wss://" + p + ":9933", "replicates", true,
                                    "database_sockets", List.of(Map.of("database", "system", "connected", connected))))
                            .toList());
                    // system.hdb_nodes: its own record and one full record per peer
                    case "search_by_value" -> java.util.stream.Stream.concat(java.util.stream.Stream.of(nodeName), recordPeers.stream())
                            .map(p -> Map.of("name", p, "url", "wss://" + p + ":9933", "replicates", true)).toList();
                    case "cluster_get_routes" -> routes;
                    // as 4.7.29 answers; without a version set, like any other operation
                    case "registration_info" -> version == null ? Map.of("message", "Successfully completed " + operation)
                            : Map.of("version", version, "deprecated", true);
                    default -> Map.of("message", "Successfully completed " + operation);
                };
                try {
                    return new MockResponse().setResponseCode(200).setHeader("Content-Type", "application/json")
                            .setBody(JSON.writeValueAsString(body));
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            }
        });
        try {
            server.start();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    StandIn withVersion(String version) {
        this.version = version;
        return this;
    }

    String url() {
        return server.url("/").toString();
    }

    /** Its url with the host named {@code localhost}, as a certificate for localhost names it. */
    String localhostUrl() {
        return server.url("/").newBuilder().host("localhost").build().toString();
    }

    /** From now on cluster_status lists these peers. */
    void statusPeers(List<String> peers) {
        statusPeers = List.copyOf(peers);
    }

    /** From now on hdb_nodes holds a full record of these peers (and its own). */
    void recordPeers(List<String> peers) {
        recordPeers = List.copyOf(peers);
    }

    /** From now on cluster_get_routes answers these (string routes). */
    void routes(List<String> routes) {
        this.routes = List.copyOf(routes);
    }

    /** From now on every operation is answered 500 (or again as before). */
    void failing(boolean failing) {
        this.failing = failing;
    }

    /** How many times it was sent this operation. */
    long count(String operation) {
        return operations.stream().filter(operation::equals).count();
    }

    /** The operations sent so far, reads included. */
    List<String> operations() {
        return List.copyOf(operations);
    }

    /** The hostnames it was sent remove_node for. */
    List<String> removed() {
        return bodies.stream().filter(b -> "remove_node".equals(b.path("operation").asText()))
                .map(b -> b.path("hostname").asText()).toList();
    }

    @Override
    public void close() throws IOException {
        server.shutdown();
    }
}

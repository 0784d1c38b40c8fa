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
 */
final class StandIn implements AutoCloseable {
    private static final ObjectMapper JSON = new ObjectMapper();

    private final MockWebServer server = new MockWebServer();
    private final List<String> operations = new CopyOnWriteArrayList<>();
    private final List<JsonNode> bodies = new CopyOnWriteArrayList<>();
    /** The HarperDB version registration_info answers; null: none. */
    private volatile String version;

    StandIn(String nodeName, List<String> peers, boolean connected) {
        this(nodeName, peers, connected, null);
    }

    /** @param https the server's TLS (a certificate from a test CA), or null for plain http */
    StandIn(String nodeName, List<String> peers, boolean connected, javax.net.ssl.SSLSocketFactory https) {
        if (https != null) {
            server.useHttps(https, false);
        }
        server.setDispatcher(new Dispatcher() {
            @Override
            public MockResponse dispatch(RecordedRequest request) {
                String operation;
                try {
                    JsonNode body = JSON.readTree(request.getBody().readUtf8());
                    operation = body.path("operation").asText();
                    bodies.add(body);
                } catch (IOException e) {
                    return new MockResponse().setResponseCode(400).setBody("{\"error\":\"not JSON\"}");
                }
                operations.add(operation);
                Object body = switch (operation) {
                    case "cluster_status" -> Map.of("node_name", nodeName, "is_enabled", true, "connections", peers.stream()
                            .map(p -> Map.of("name", p, "url", "wss://" + p + ":9933", "replicates", true,
                                    "database_sockets", List.of(Map.of("database", "system", "connected", connected))))
                            .toList());
                    // system.hdb_nodes: its own record and one full record per peer
                    case "search_by_value" -> java.util.stream.Stream.concat(java.util.stream.Stream.of(nodeName), peers.stream())
                            .map(p -> Map.of("name", p, "url", "wss://" + p + ":9933", "replicates", true)).toList();
                    case "cluster_get_routes" -> List.of();
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

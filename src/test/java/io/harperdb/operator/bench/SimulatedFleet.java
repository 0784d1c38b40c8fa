package io.harperdb.operator.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Many simulated HarperDB members in one process, each on a loopback address of its own (port 9925), answering the
 * Operations API calls the operator sends: cluster_status (every member of its mesh connected, with volatile figures
 * that change on every read), search_by_value on hdb_nodes, cluster_get_routes, and add_node, configure_cluster,
 * update_node, remove_node and the route edits. Membership gossips as on 4.7.29: add_node joins the two members'
 * meshes into one, so every member records every other. Counts the reads and writes each member was sent.
 */
final class SimulatedFleet implements AutoCloseable {
    static final Set<String> READS = Set.of("cluster_status", "search_by_value", "cluster_get_routes");
    private static final ObjectMapper JSON = new ObjectMapper();

    /** One simulated member. */
    final class Member {
        final String name;
        final String operationsUrl;
        final AtomicLong statusReads = new AtomicLong();
        final AtomicLong reads = new AtomicLong();
        final AtomicLong writes = new AtomicLong();
        /** The members it records, itself included; shared by the whole mesh (guarded by the fleet). */
        Set<Member> mesh = new LinkedHashSet<>();

        Member(String name, String operationsUrl) {
            this.name = name;
            this.operationsUrl = operationsUrl;
            mesh.add(this);
        }
    }

    private final Map<String, Member> byName = new HashMap<>();
    private final List<Member> members = new ArrayList<>();
    private final List<HttpServer> servers = new ArrayList<>();
    /** Named, so that the benchmark tells the fleet's CPU time from the operator's (ThreadCpu). */
    private final ExecutorService handlers = Executors.newFixedThreadPool(8, new ThreadFactory() {
        private final AtomicLong count = new AtomicLong();

        @Override
        public Thread newThread(Runnable r) {
            Thread t = new Thread(r, "fleet-handler-" + count.incrementAndGet());
            t.setDaemon(true);
            return t;
        }
    });

    /**
     * @param names        the members' node names
     * @param firstAddress the first loopback address; each further member takes the next one
     */
    SimulatedFleet(List<String> names, String firstAddress) {
        long address = toLong(firstAddress);
        for (String name : names) {
            while ((address & 255) == 0 || (address & 255) == 255) {
                address++;     // no member on a .0 or .255 address
            }
            String ip = toAddress(address++);
            Member member = new Member(name, "http://" + ip + ":9925/");
            try {
                HttpServer server = HttpServer.create(new InetSocketAddress(InetAddress.getByName(ip), 9925), 64);
                server.setExecutor(handlers);
                server.createContext("/", exchange -> answer(member, exchange));
                server.start();
                servers.add(server);
            } catch (IOException e) {
                close();
                throw new UncheckedIOException("cannot listen on " + ip + ":9925", e);
            }
            byName.put(name, member);
            members.add(member);
        }
    }

    List<Member> members() {
        return members;
    }

    Member member(String name) {
        return byName.get(name);
    }

    private void answer(Member member, HttpExchange exchange) throws IOException {
        byte[] reply;
        int code = 200;
        try (InputStream in = exchange.getRequestBody()) {
            JsonNode body = JSON.readTree(in);
            String operation = body.path("operation").asText();
            if (READS.contains(operation)) {
                member.reads.incrementAndGet();
                if (operation.equals("cluster_status")) {
                    member.statusReads.incrementAndGet();
                }
            } else {
                member.writes.incrementAndGet();
            }
            Object answer = switch (operation) {
                case "cluster_status" -> clusterStatus(member);
                case "search_by_value" -> records(member);
                case "cluster_get_routes" -> List.of();
                case "add_node" -> {
                    join(member, body.path("hostname").asText());
                    yield Map.of("message", "Successfully added 'wss://" + body.path("hostname").asText() + ":9933' to cluster");
                }
                case "configure_cluster" -> {
                    for (JsonNode c : body.path("connections")) {
                        join(member, c.path("hostname").asText());
                    }
                    yield Map.of("message", "Configure cluster complete.", "connections", List.of());
                }
                case "remove_node" -> {
                    leave(body.path("hostname").asText());
                    yield Map.of("message", "Successfully removed '" + body.path("hostname").asText() + "' from cluster");
                }
                case "cluster_set_routes" -> Map.of("message", "cluster routes successfully set", "set", body.path("routes"), "skipped", List.of());
                case "cluster_delete_routes" -> Map.of("message", "cluster routes successfully deleted", "deleted", body.path("routes"), "skipped", List.of());
                default -> Map.of("message", "Successfully completed " + operation);
            };
            reply = JSON.writeValueAsBytes(answer);
        } catch (RuntimeException e) {
            code = 500;
            reply = ("{\"error\":\"" + e.getClass().getSimpleName() + "\"}").getBytes(StandardCharsets.UTF_8);
        }
        exchange.getResponseHeaders().set("Content-Type", "application/json");
        exchange.sendResponseHeaders(code, reply.length);
        try (OutputStream out = exchange.getResponseBody()) {
            out.write(reply);
        }
    }

    private synchronized List<Member> meshOf(Member member) {
        return List.copyOf(member.mesh);
    }

    /** add_node: the two meshes become one (membership gossips). */
    private synchronized void join(Member target, String hostname) {
        Member named = byName.get(hostname);
        if (named == null || named.mesh == target.mesh) {
            return;
        }
        Set<Member> merged = new LinkedHashSet<>(target.mesh);
        merged.addAll(named.mesh);
        for (Member m : merged) {
            m.mesh = merged;
        }
    }

    /** remove_node: the member leaves its mesh, and keeps only itself. */
    private synchronized void leave(String hostname) {
        Member leaving = byName.get(hostname);
        if (leaving == null) {
            return;
        }
        Set<Member> rest = new LinkedHashSet<>(leaving.mesh);
        rest.remove(leaving);
        for (Member m : rest) {
            m.mesh = rest;
        }
        leaving.mesh = new LinkedHashSet<>(Set.of(leaving));
    }

    private Map<String, Object> clusterStatus(Member member) {
        List<Object> connections = new ArrayList<>();
        long now = System.currentTimeMillis();
        for (Member peer : meshOf(member)) {
            if (peer == member) {
                continue;
            }
            Map<String, Object> socket = new LinkedHashMap<>();
            socket.put("database", "data");
            socket.put("connected", true);
            socket.put("latency", ThreadLocalRandom.current().nextDouble(0.2, 2.0));
            socket.put("threadId", 1);
            socket.put("nodes", List.of(peer.name));
            socket.put("lastReceivedVersion", now);
            socket.put("backPressurePercent", 0);
            socket.put("lastReceivedStatus", "Waiting");
            connections.add(Map.of("name", peer.name, "url", "wss://" + peer.name + ":9933", "replicates", true,
                    "database_sockets", List.of(socket)));
        }
        return Map.of("type", "cluster-status", "node_name", member.name, "url", "wss://" + member.name + ":9933",
                "is_enabled", true, "connections", connections);
    }

    private List<Object> records(Member member) {
        List<Object> records = new ArrayList<>();
        for (Member m : meshOf(member)) {
            records.add(Map.of("name", m.name, "url", "wss://" + m.name + ":9933", "replicates", true));
        }
        return records;
    }

    private static long toLong(String ip) {
        long value = 0;
        for (String part : ip.split("\\.")) {
            value = value * 256 + Integer.parseInt(part);
        }
        return value;
    }

    private static String toAddress(long value) {
        return (value >> 24 & 255) + "." + (value >> 16 & 255) + "." + (value >> 8 & 255) + "." + (value & 255);
    }

    @Override
    public void close() {
        for (HttpServer server : servers) {
            server.stop(0);
        }
        handlers.shutdownNow();
    }
}

package io.harperdb.replication.sidecar;

import io.harperdb.replication.model.ClusterStatus;
import io.harperdb.replication.model.DatabaseSocket;
import io.harperdb.replication.model.PeerConnection;
import java.time.Duration;
import java.time.Instant;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.Optional;

/**
 * Renders a {@link Snapshot} in the Prometheus text exposition format (0.0.4).
 *
 * <p>Written by hand rather than through Micrometer's Prometheus registry: the series are a pure
 * function of the last cluster_status, so a peer that leaves cluster_status simply leaves /metrics,
 * with no meter to register or remove; and the sidecar loads no registry, exposition library or
 * their classes (Micrometer's Prometheus registry brings prometheus-metrics-* with a shaded protobuf),
 * which matters in a pod it shares with the database.
 *
 * <p>A peer whose process stopped stays in cluster_status with {@code connected: false}, so it shows
 * as {@code harperdb_replication_connected 0}; a peer removed from the cluster leaves cluster_status,
 * and its series go stale in Prometheus instead of alerting forever about a member that is gone.
 */
public final class PrometheusText {
    public static final String CONTENT_TYPE = "text/plain; version=0.0.4; charset=utf-8";

    private PrometheusText() {
    }

    public static String render(Snapshot snapshot, Instant now) {
        StringBuilder out = new StringBuilder(1024);
        family(out, "harperdb_up", "Whether the local HarperDB answered GET /health at the last poll (1) or not (0).");
        sample(out, "harperdb_up", null, null, snapshot.healthy() ? 1 : 0);
        family(out, "harperdb_sidecar_ready", "Whether the sidecar reports this member ready (/readyz answers 200).");
        sample(out, "harperdb_sidecar_ready", null, null, snapshot.readiness().ready() ? 1 : 0);

        ClusterStatus status = snapshot.clusterStatus();
        family(out, "harperdb_replication_members",
                "Members of the cluster as this node's cluster_status sees them: this node plus every peer it lists, connected or not.");
        if (status != null) {
            sample(out, "harperdb_replication_members", null, null, status.peers().size() + 1);
        }
        family(out, "harperdb_replication_connected",
                "Whether the replication socket to the peer for the database is connected (1) or not (0).");
        forEachSocket(status, (peer, socket) -> sample(out, "harperdb_replication_connected", peer, socket,
                socket.isConnected() ? 1 : 0));
        family(out, "harperdb_replication_backpressure_percent",
                "Back pressure on the replication socket to the peer for the database, in percent (HarperDB 4.7+).");
        forEachSocket(status, (peer, socket) -> {
            if (socket.backPressurePercent() != null) {
                sample(out, "harperdb_replication_backpressure_percent", peer, socket, socket.backPressurePercent());
            }
        });
        family(out, "harperdb_replication_seconds_since_last_received",
                "Seconds since this node last received a replication message from the peer for the database "
                        + "(from lastReceivedLocalTime, which has a resolution of one second).");
        forEachSocket(status, (peer, socket) -> receivedAt(socket.lastReceivedLocalTime()).ifPresent(at ->
                sample(out, "harperdb_replication_seconds_since_last_received", peer, socket,
                        Math.max(0, Duration.between(at, now).toMillis() / 1000.0))));
        family(out, "harperdb_replication_latency_seconds",
                "Round trip of the last websocket ping to the peer on the database's socket, in seconds.");
        forEachSocket(status, (peer, socket) -> {
            if (socket.latency() != null) {
                // cluster_status gives the ping round trip in milliseconds (performance.now() differences).
                sample(out, "harperdb_replication_latency_seconds", peer, socket, socket.latency() / 1000.0);
            }
        });
        return out.toString();
    }

    /**
     * When a message was last received. HarperDB 4.7 formats these times with JavaScript's
     * {@code toUTCString()} ("Wed, 25 Nov 2026 18:41:48 GMT"), writes "Copying" instead of a time
     * while a full copy is being sent, and leaves the field out when nothing was received; a number
     * is taken as epoch milliseconds.
     */
    static Optional<Instant> receivedAt(Object value) {
        if (value instanceof Number number) {
            return number.longValue() > 1 ? Optional.of(Instant.ofEpochMilli(number.longValue())) : Optional.empty();
        }
        if (value instanceof String text) {
            try {
                return Optional.of(ZonedDateTime.parse(text, DateTimeFormatter.RFC_1123_DATE_TIME).toInstant());
            } catch (DateTimeParseException e) {
                return Optional.empty();
            }
        }
        return Optional.empty();
    }

    private interface SocketVisitor {
        void visit(String peer, DatabaseSocket socket);
    }

    private static void forEachSocket(ClusterStatus status, SocketVisitor visitor) {
        if (status == null) {
            return;
        }
        for (PeerConnection peer : status.peers()) {
            String name = peer.name() != null ? peer.name() : peer.url();
            for (DatabaseSocket socket : peer.sockets()) {
                if (name != null && socket.database() != null) {
                    visitor.visit(name, socket);
                }
            }
        }
    }

    private static void family(StringBuilder out, String name, String help) {
        out.append("# HELP ").append(name).append(' ').append(help).append('\n');
        out.append("# TYPE ").append(name).append(" gauge\n");
    }

    private static void sample(StringBuilder out, String name, String peer, DatabaseSocket socket, double value) {
        out.append(name);
        if (peer != null) {
            out.append("{peer=\"");
            escape(out, peer);
            out.append("\",database=\"");
            escape(out, socket.database());
            out.append("\"}");
        }
        out.append(' ').append(number(value)).append('\n');
    }

    private static void escape(StringBuilder out, String labelValue) {
        for (int i = 0; i < labelValue.length(); i++) {
            char c = labelValue.charAt(i);
            switch (c) {
                case '\\' -> out.append("\\\\");
                case '"' -> out.append("\\\"");
                case '\n' -> out.append("\\n");
                default -> out.append(c);
            }
        }
    }

    static String number(double value) {
        if (Double.isNaN(value)) {
            return "NaN";
        }
        if (Double.isInfinite(value)) {
            return value > 0 ? "+Inf" : "-Inf";
        }
        if (value == Math.rint(value) && Math.abs(value) < 1e15) {
            return Long.toString((long) value);
        }
        return Double.toString(value);
    }
}

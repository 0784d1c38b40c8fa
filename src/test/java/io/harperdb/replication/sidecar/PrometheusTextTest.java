package io.harperdb.replication.sidecar;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.harperdb.replication.model.ClusterStatus;
import io.harperdb.replication.model.DatabaseSocket;
import io.harperdb.replication.model.PeerConnection;
import java.io.IOException;
import java.io.InputStream;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** /metrics rendered from real cluster_status answers of HarperDB 4.7.29 (captured on instances 127.0.0.21-23). */
class PrometheusTextTest {
    static final ObjectMapper MAPPER = new ObjectMapper();
    /** 127.0.0.23 after joining; 127.0.0.21 stopped since, 127.0.0.22 running. */
    static final String PEER_STOPPED = "cluster-status-4.7.29-peer-stopped.json";
    /** 127.0.0.23 while it received its initial copy of database data from 127.0.0.21. */
    static final String COPYING = "cluster-status-4.7.29-copying.json";
    static final Instant NOW = Instant.parse("2026-11-25T19:35:00Z");

    @Test
    void everySeriesOfARealAnswer() throws IOException {
        PrometheusTextParser.Exposition metrics = PrometheusTextParser.parse(
                PrometheusText.render(snapshot(load(PEER_STOPPED), Readiness.ready("caught up")), NOW));

        assertThat(metrics.families.keySet()).containsExactly("harperdb_up", "harperdb_sidecar_ready",
                "harperdb_replication_members", "harperdb_replication_connected",
                "harperdb_replication_backpressure_percent", "harperdb_replication_seconds_since_last_received",
                "harperdb_replication_latency_seconds");
        assertThat(metrics.families.values()).allSatisfy(family -> {
            assertThat(family.type()).isEqualTo("gauge");
            assertThat(family.help()).isNotBlank();
        });
        assertThat(metrics.value("harperdb_up", Map.of())).contains(1.0);
        assertThat(metrics.value("harperdb_sidecar_ready", Map.of())).contains(1.0);
        assertThat(metrics.value("harperdb_replication_members", Map.of())).as("itself and two peers").contains(3.0);

        assertThat(metrics.value("harperdb_replication_connected", link("127.0.0.21", "data"))).as("stopped").contains(0.0);
        assertThat(metrics.value("harperdb_replication_connected", link("127.0.0.21", "system"))).contains(0.0);
        assertThat(metrics.value("harperdb_replication_connected", link("127.0.0.22", "data"))).contains(1.0);
        assertThat(metrics.value("harperdb_replication_connected", link("127.0.0.22", "system"))).contains(1.0);
        assertThat(metrics.samples("harperdb_replication_backpressure_percent")).hasSize(4)
                .allSatisfy(s -> assertThat(s.value()).isZero());
        // latency is the websocket ping round trip in milliseconds
        assertThat(metrics.value("harperdb_replication_latency_seconds", link("127.0.0.21", "system"))).contains(0.0012916209999821149);
        assertThat(metrics.value("harperdb_replication_latency_seconds", link("127.0.0.22", "data"))).contains(6.644810000434518E-4);
        // lastReceivedLocalTime "Wed, 25 Nov 2026 19:34:22 GMT" and so on; 127.0.0.22/data never received anything
        assertThat(metrics.value("harperdb_replication_seconds_since_last_received", link("127.0.0.21", "system"))).contains(38.0);
        assertThat(metrics.value("harperdb_replication_seconds_since_last_received", link("127.0.0.21", "data"))).contains(35.0);
        assertThat(metrics.value("harperdb_replication_seconds_since_last_received", link("127.0.0.22", "system"))).contains(32.0);
        assertThat(metrics.value("harperdb_replication_seconds_since_last_received", link("127.0.0.22", "data"))).isEmpty();
    }

    @Test
    void aSocketStillBeingSetUpHasNoLatencyAndCountsAsDisconnected() throws IOException {
        PrometheusTextParser.Exposition metrics = PrometheusTextParser.parse(
                PrometheusText.render(snapshot(load(COPYING), Readiness.notReady("copying")), NOW));

        assertThat(metrics.value("harperdb_sidecar_ready", Map.of())).contains(0.0);
        assertThat(metrics.value("harperdb_replication_connected", link("127.0.0.21", "data"))).contains(1.0);
        assertThat(metrics.value("harperdb_replication_connected", link("127.0.0.22", "data"))).contains(0.0);
        assertThat(metrics.value("harperdb_replication_latency_seconds", link("127.0.0.22", "data"))).isEmpty();
    }

    @Test
    void aPeerThatLeavesClusterStatusLeavesTheMetrics() throws IOException {
        ClusterStatus status = load(PEER_STOPPED);
        ClusterStatus withoutStopped = new ClusterStatus(status.nodeName(), status.url(), status.isEnabled(),
                status.peers().stream().filter(p -> !p.name().equals("127.0.0.21")).toList());

        String text = PrometheusText.render(snapshot(withoutStopped, Readiness.ready("caught up")), NOW);

        assertThat(text).doesNotContain("127.0.0.21");
        assertThat(PrometheusTextParser.parse(text).value("harperdb_replication_members", Map.of())).contains(2.0);
    }

    @Test
    void withoutClusterStatusOnlyTheLocalStateIsReported() {
        Snapshot down = new Snapshot(NOW, false, null, "HarperDB does not answer", Readiness.notReady("down"));

        PrometheusTextParser.Exposition metrics = PrometheusTextParser.parse(PrometheusText.render(down, NOW));

        assertThat(metrics.value("harperdb_up", Map.of())).contains(0.0);
        assertThat(metrics.value("harperdb_sidecar_ready", Map.of())).contains(0.0);
        assertThat(metrics.samples("harperdb_replication_members")).isEmpty();
        assertThat(metrics.samples("harperdb_replication_connected")).isEmpty();
    }

    @Test
    void theExactTextOfOneLink() {
        DatabaseSocket socket = new DatabaseSocket("data", true, 2.5, 1, List.of("b"), null, null,
                "Wed, 25 Nov 2026 19:34:50 GMT", 0, null, 12.5, "Waiting");
        ClusterStatus status = new ClusterStatus("a", null, true,
                List.of(new PeerConnection("b \"1\"\\", null, true, null, List.of(socket))));

        assertThat(PrometheusText.render(snapshot(status, Readiness.ready("ok")), NOW)).isEqualTo("""
                # HELP harperdb_up Whether the local HarperDB answered GET /health at the last poll (1) or not (0).
                # TYPE harperdb_up gauge
                harperdb_up 1
                # HELP harperdb_sidecar_ready Whether the sidecar reports this member ready (/readyz answers 200).
                # TYPE harperdb_sidecar_ready gauge
                harperdb_sidecar_ready 1
                # HELP harperdb_replication_members Members of the cluster as this node's cluster_status sees them: this node plus every peer it lists, connected or not.
                # TYPE harperdb_replication_members gauge
                harperdb_replication_members 2
                # HELP harperdb_replication_connected Whether the replication socket to the peer for the database is connected (1) or not (0).
                # TYPE harperdb_replication_connected gauge
                harperdb_replication_connected{peer="b \\"1\\"\\\\",database="data"} 1
                # HELP harperdb_replication_backpressure_percent Back pressure on the replication socket to the peer for the database, in percent (HarperDB 4.7+).
                # TYPE harperdb_replication_backpressure_percent gauge
                harperdb_replication_backpressure_percent{peer="b \\"1\\"\\\\",database="data"} 12.5
                # HELP harperdb_replication_seconds_since_last_received Seconds since this node last received a replication message from the peer for the database (from lastReceivedLocalTime, which has a resolution of one second).
                # TYPE harperdb_replication_seconds_since_last_received gauge
                harperdb_replication_seconds_since_last_received{peer="b \\"1\\"\\\\",database="data"} 10
                # HELP harperdb_replication_latency_seconds Round trip of the last websocket ping to the peer on the database's socket, in seconds.
                # TYPE harperdb_replication_latency_seconds gauge
                harperdb_replication_latency_seconds{peer="b \\"1\\"\\\\",database="data"} 0.0025
                """);
    }

    @Test
    void receivedTimesInEveryFormHarperDbUses() {
        assertThat(PrometheusText.receivedAt("Wed, 25 Nov 2026 18:41:48 GMT")).contains(Instant.parse("2026-11-25T18:41:48Z"));
        assertThat(PrometheusText.receivedAt("Copying")).as("sent instead of a time during a copy").isEmpty();
        assertThat(PrometheusText.receivedAt(1795634814130.97)).contains(Instant.ofEpochMilli(1795634814130L));
        assertThat(PrometheusText.receivedAt(0)).isEmpty();
        assertThat(PrometheusText.receivedAt(null)).isEmpty();
    }

    static Snapshot snapshot(ClusterStatus status, Readiness readiness) {
        return new Snapshot(NOW, true, status, null, readiness);
    }

    static Map<String, String> link(String peer, String database) {
        return Map.of("peer", peer, "database", database);
    }

    static ClusterStatus load(String resource) throws IOException {
        try (InputStream in = PrometheusTextTest.class.getResourceAsStream(resource)) {
            assertThat(in).as(resource).isNotNull();
            return MAPPER.readValue(in, ClusterStatus.class);
        }
    }
}

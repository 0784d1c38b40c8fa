package io.harperdb.replication.sidecar;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import org.junit.jupiter.api.parallel.Isolated;
import io.harperdb.replication.client.AddNodeRequest;
import io.harperdb.replication.client.HarperClient;
import io.harperdb.replication.client.NodeAuthorization;
import io.harperdb.testing.HarperDb;
import io.harperdb.testing.HarperDbCluster;
import io.harperdb.testing.HarperDbInstance;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.stream.IntStream;
import okhttp3.OkHttpClient;
import okhttp3.Request;
import okhttp3.Response;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The sidecar beside a real HarperDB 4.7.29 member B: B joins A, which holds a table of
 * {@value #ROWS} rows; B is unready while it copies them, ready once it has, still ready when A
 * stops; its metrics parse as Prometheus text and show A disconnected.
 */
@Isolated("uses the real HarperDB instances: alone, so that no other class takes their CPUs")
@HarperDb(instances = 2, resetBeforeEach = false)
class SidecarRealInstancesTest {
    /** Enough for the copy to last several polls even on a quiet machine (20,000 took 5 s on a busy one). */
    static final int ROWS = 10_000;
    static final Duration POLL = Duration.ofMillis(100);

    final OkHttpClient http = new OkHttpClient.Builder().callTimeout(Duration.ofSeconds(5)).build();
    /** Every /readyz status seen, in order, without repeats. */
    final List<String> readinessSeen = new CopyOnWriteArrayList<>();
    ReplicationSidecar sidecar;
    Thread prober;

    @AfterEach
    void tearDown() throws InterruptedException {
        if (prober != null) {
            prober.interrupt();
            prober.join(5_000);
        }
        if (sidecar != null) {
            sidecar.close();
        }
    }

    @Test
    void readyOnceCaughtUpStillReadyWhenAPeerStopsAndMetricsFollow(HarperDbCluster cluster, @TempDir Path credentials) throws IOException {
        // A fresh B: a member that has ever received from its leader asks for no initial copy, and the
        // instances of a test run have met before.
        cluster.reinstall();
        HarperDbInstance a = cluster.instance(0);
        HarperDbInstance b = cluster.instance(1);
        Files.writeString(credentials.resolve("username"), b.username());
        Files.writeString(credentials.resolve("password"), b.password());
        a.post(Map.of("operation", "create_table", "database", "data", "table", "dog", "primary_key", "id"));
        for (int batch = 0; batch < ROWS / 1000; batch++) {
            int first = batch * 1000;
            a.post(Map.of("operation", "insert", "database", "data", "table", "dog", "records",
                    IntStream.range(first, first + 1000).mapToObj(id -> Map.of("id", id, "name", "dog-" + id,
                            "breed", "breed-" + id % 37, "note", "x".repeat(200))).toList()));
        }

        sidecar = ReplicationSidecar.start(new SidecarConfig(b.operationsUrl(), credentials, 0, POLL));
        await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> assertThat(readyz()).startsWith("200 "));
        assertThat(readyz()).as("alone, B copies nothing").contains("no initial copy is in progress");
        startProbingReadiness();

        new HarperClient(a.operationsUrl(), a.name(), a.username(), a.password(), http, HarperClient.Timeouts.DEFAULT)
                .addNode(AddNodeRequest.hostname(b.hostname()).withVerifyTls(false)
                        .withAuthorization(NodeAuthorization.basic(b.username(), b.password())));

        // Caught up: every row on B, and ready. A copy shorter than one poll is not seen by the sidecar
        // (seen in a CI run); when it was seen, /readyz was 503 during it and 200 after.
        await().atMost(Duration.ofMinutes(3)).pollInterval(Duration.ofMillis(100))
                .untilAsserted(() -> assertThat(rowsOn(b)).isEqualTo(ROWS));
        await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> assertThat(readyz()).startsWith("200 "));
        boolean copySeen = readinessSeen.stream().anyMatch(r -> r.startsWith("503 not ready: initial copy in progress"));
        if (copySeen) {
            assertThat(readinessSeen).as("/readyz over the join, without repeats")
                    .containsSubsequence("503 not ready: initial copy in progress: data from " + a.name(),
                            "200 ready: HarperDB answers and its initial copy has completed");
        }

        PrometheusTextParser.Exposition joined = await().atMost(Duration.ofSeconds(30)).until(this::metrics,
                m -> m.value("harperdb_replication_connected", link(a, "data")).orElse(0.0) == 1.0);
        assertThat(joined.value("harperdb_up", Map.of())).contains(1.0);
        assertThat(joined.value("harperdb_sidecar_ready", Map.of())).contains(1.0);
        assertThat(joined.value("harperdb_replication_members", Map.of())).contains(2.0);
        assertThat(joined.value("harperdb_replication_latency_seconds", link(a, "data"))).hasValueSatisfying(
                latency -> assertThat(latency).isBetween(0.0, 10.0));
        assertThat(joined.value("harperdb_replication_seconds_since_last_received", link(a, "data"))).hasValueSatisfying(
                seconds -> assertThat(seconds).isBetween(0.0, 600.0));
        assertThat(joined.value("harperdb_replication_backpressure_percent", link(a, "data"))).isPresent();

        cluster.stop(0);

        PrometheusTextParser.Exposition stopped = await().atMost(Duration.ofSeconds(60)).until(this::metrics,
                m -> m.value("harperdb_replication_connected", link(a, "data")).orElse(1.0) == 0.0);
        assertThat(stopped.value("harperdb_replication_members", Map.of())).as("a stopped peer is still a member").contains(2.0);
        assertThat(stopped.value("harperdb_sidecar_ready", Map.of())).contains(1.0);
        assertThat(readyz()).startsWith("200 ");
        assertThat(readinessSeen).as("/readyz since B caught up: never unready again")
                .last().asString().startsWith("200 ");
        assertThat(readinessSeen.subList(readinessSeen.size() - 1, readinessSeen.size()))
                .noneMatch(r -> r.startsWith("503"));
    }

    private void startProbingReadiness() {
        prober = new Thread(() -> {
            while (!Thread.currentThread().isInterrupted()) {
                try {
                    String seen = readyz();
                    if (readinessSeen.isEmpty() || !readinessSeen.get(readinessSeen.size() - 1).equals(seen)) {
                        readinessSeen.add(seen);
                    }
                    Thread.sleep(POLL.toMillis() / 2);
                } catch (InterruptedException e) {
                    return;
                } catch (UncheckedIOException e) {
                    readinessSeen.add("no answer: " + e.getMessage());
                }
            }
        }, "readiness-prober");
        prober.setDaemon(true);
        prober.start();
    }

    private static Map<String, String> link(HarperDbInstance peer, String database) {
        return Map.of("peer", peer.name(), "database", database);
    }

    private static long rowsOn(HarperDbInstance instance) {
        HarperDbInstance.Answer answer = instance.call(Map.of("operation", "sql", "sql", "SELECT COUNT(*) AS n FROM data.dog"));
        return answer.ok() ? answer.body().path(0).path("n").asLong() : -1;
    }

    private String readyz() {
        return get("/readyz", (status, body) -> status + " " + body.strip());
    }

    private PrometheusTextParser.Exposition metrics() {
        return get("/metrics", (status, body) -> {
            assertThat(status).isEqualTo(200);
            return PrometheusTextParser.parse(body);
        });
    }

    private interface Reader<T> {
        T read(int status, String body);
    }

    private <T> T get(String path, Reader<T> reader) {
        Request request = new Request.Builder().url("http://127.0.0.1:" + sidecar.port() + path).build();
        try (Response response = http.newCall(request).execute()) {
            return reader.read(response.code(), response.body().string());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}

package io.harperdb.replication.sidecar;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import org.junit.jupiter.api.parallel.Isolated;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import okhttp3.OkHttpClient;
import okhttp3.Request;
import okhttp3.RequestBody;
import okhttp3.Response;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.LoggerFactory;

/** The sidecar's endpoints and poller, with HarperDB stood in by MockWebServer. */
@Isolated("captures the root logger's events: other classes' would mix in")
class ReplicationSidecarTest {
    static final String USER = "admin";
    static final String PASSWORD = "s3cr3t-Pa55";
    static final Duration POLL = Duration.ofMillis(100);

    static final String COPYING = """
            {"node_name":"127.0.0.22","is_enabled":true,"connections":[
              {"name":"127.0.0.21","url":"wss://127.0.0.21:9933","replicates":true,"database_sockets":[
                {"database":"data","connected":true,"latency":1.5,"lastReceivedStatus":"Receiving","backPressurePercent":0}]}]}""";
    static final String CAUGHT_UP = COPYING.replace("Receiving", "Waiting");
    static final String PEER_STOPPED = CAUGHT_UP.replace("\"connected\":true", "\"connected\":false");

    final OkHttpClient http = new OkHttpClient.Builder().callTimeout(Duration.ofSeconds(2)).build();
    final ListAppender<ILoggingEvent> logs = new ListAppender<>();

    @TempDir
    Path credentials;
    FakeHarperDb harper;
    ReplicationSidecar sidecar;

    record Answer(int status, String contentType, String body) {
    }

    @BeforeEach
    void setUp() throws IOException {
        writeCredentials(USER, PASSWORD);
        harper = new FakeHarperDb(USER, PASSWORD);
        logs.start();
        ((Logger) LoggerFactory.getLogger("io.harperdb")).addAppender(logs);
    }

    @AfterEach
    void tearDown() throws IOException {
        ((Logger) LoggerFactory.getLogger("io.harperdb")).detachAppender(logs);
        if (sidecar != null) {
            sidecar.close();
        }
        harper.close();
    }

    void startSidecar() throws IOException {
        sidecar = ReplicationSidecar.start(new SidecarConfig(harper.url(), credentials, 0, POLL));
    }

    @Test
    void healthyAndReadyWhenHarperDbAnswersAndNothingIsCopied() throws IOException {
        startSidecar();

        await().untilAsserted(() -> assertThat(get("/readyz").status()).isEqualTo(200));
        assertThat(get("/healthz")).satisfies(a -> {
            assertThat(a.status()).isEqualTo(200);
            assertThat(a.body()).contains("HarperDB answers");
        });
        assertThat(get("/readyz").body()).startsWith("ready: ");
    }

    @Test
    void neitherHealthyNorReadyWhileHarperDbDoesNotAnswer() throws IOException {
        harper.healthy = false;
        startSidecar();

        await().until(() -> harper.server.getRequestCount() > 0);
        await().untilAsserted(() -> assertThat(get("/metrics").body()).contains("harperdb_up 0"));
        assertThat(get("/healthz").status()).isEqualTo(503);
        assertThat(get("/readyz")).satisfies(a -> {
            assertThat(a.status()).isEqualTo(503);
            assertThat(a.body()).startsWith("not ready: ").contains("/health");
        });
        assertThat(harper.operations).as("no operation is sent to a HarperDB that is down").isEmpty();
    }

    @Test
    void unreadyDuringAnInitialCopyAndReadyForGoodOnceItCompletes() throws IOException {
        harper.clusterStatus = COPYING;
        startSidecar();

        await().untilAsserted(() -> assertThat(get("/readyz")).satisfies(a -> {
            assertThat(a.status()).isEqualTo(503);
            assertThat(a.body()).contains("initial copy in progress: data from 127.0.0.21");
        }));

        harper.clusterStatus = CAUGHT_UP;
        await().untilAsserted(() -> assertThat(get("/readyz").status()).isEqualTo(200));
        assertThat(get("/metrics").body()).contains("harperdb_replication_connected{peer=\"127.0.0.21\",database=\"data\"} 1");

        harper.clusterStatus = PEER_STOPPED;
        await().untilAsserted(() -> assertThat(get("/metrics").body())
                .contains("harperdb_replication_connected{peer=\"127.0.0.21\",database=\"data\"} 0"));
        assertThat(get("/readyz").status()).isEqualTo(200);
    }

    @Test
    void metricsAreServedAsPrometheusText() throws IOException {
        harper.clusterStatus = PEER_STOPPED;
        startSidecar();

        await().untilAsserted(() -> assertThat(get("/metrics").body()).contains("harperdb_replication_members 2"));
        Answer metrics = get("/metrics");
        assertThat(metrics.status()).isEqualTo(200);
        assertThat(metrics.contentType()).isEqualTo("text/plain; version=0.0.4; charset=utf-8");
        PrometheusTextParser.Exposition parsed = PrometheusTextParser.parse(metrics.body());
        Map<String, String> link = Map.of("peer", "127.0.0.21", "database", "data");
        assertThat(parsed.value("harperdb_up", Map.of())).contains(1.0);
        assertThat(parsed.value("harperdb_sidecar_ready", Map.of())).contains(1.0);
        assertThat(parsed.value("harperdb_replication_connected", link)).contains(0.0);
        assertThat(parsed.value("harperdb_replication_latency_seconds", link)).contains(0.0015);
    }

    @Test
    void aRequestNeverWaitsForHarperDb() throws IOException {
        startSidecar();
        await().untilAsserted(() -> assertThat(get("/readyz").status()).isEqualTo(200));
        CountDownLatch hang = new CountDownLatch(1);
        harper.hang = hang;
        int polls = harper.operations.size();
        await().until(() -> harper.operations.size() > polls);

        long started = System.nanoTime();
        for (int i = 0; i < 20; i++) {
            assertThat(get("/metrics").status()).isEqualTo(200);
            assertThat(get("/readyz").status()).isEqualTo(200);
        }
        assertThat(Duration.ofNanos(System.nanoTime() - started)).isLessThan(Duration.ofSeconds(2));
        hang.countDown();
    }

    @Test
    void aPollerThatStopsFinishingIsReportedInsteadOfAStaleAnswer() throws IOException {
        MutableClock clock = new MutableClock();
        sidecar = ReplicationSidecar.start(new SidecarConfig(harper.url(), credentials, 0, POLL), clock);
        await().untilAsserted(() -> assertThat(get("/readyz").status()).isEqualTo(200));
        harper.hang = new CountDownLatch(1);
        int polls = harper.operations.size();
        await().until(() -> harper.operations.size() > polls);

        clock.advance(Duration.ofMinutes(5));

        assertThat(get("/readyz")).satisfies(a -> {
            assertThat(a.status()).isEqualTo(503);
            assertThat(a.body()).contains("no poll of HarperDB has finished since");
        });
        assertThat(get("/healthz").status()).isEqualTo(503);
        harper.hang.countDown();
        await().untilAsserted(() -> assertThat(get("/readyz").status()).isEqualTo(200));
    }

    /** A clock the test moves forward. */
    static final class MutableClock extends java.time.Clock {
        private volatile java.time.Instant now = java.time.Instant.now();

        void advance(Duration duration) {
            now = now.plus(duration);
        }

        @Override
        public java.time.ZoneId getZone() {
            return java.time.ZoneOffset.UTC;
        }

        @Override
        public java.time.Clock withZone(java.time.ZoneId zone) {
            return this;
        }

        @Override
        public java.time.Instant instant() {
            return now;
        }
    }

    @Test
    void sendsOnlyClusterStatusAndPicksUpRotatedCredentialsWithoutLoggingThem() throws IOException {
        startSidecar();
        await().untilAsserted(() -> assertThat(get("/readyz").status()).isEqualTo(200));

        String rotated = "r0tated-" + PASSWORD;
        harper.accept(USER, rotated);
        writeCredentials(USER, rotated);
        int sent = harper.operations.size();
        await().until(() -> harper.operations.size() > sent + 2);

        assertThat(harper.authorizations.get(harper.authorizations.size() - 1)).isEqualTo(okhttp3.Credentials.basic(USER, rotated));
        assertThat(harper.operations).containsOnly("cluster_status");
        assertThat(logs.list).extracting(ILoggingEvent::getFormattedMessage)
                .anySatisfy(m -> assertThat(m).contains("credentials").contains("changed"))
                .allSatisfy(m -> assertThat(m).doesNotContain(PASSWORD).doesNotContain(rotated));
    }

    @Test
    void unreadableCredentialsLeaveTheMemberHealthyButUnready() throws IOException {
        Files.delete(credentials.resolve("password"));
        startSidecar();

        await().untilAsserted(() -> assertThat(get("/readyz").body()).contains("cluster_status could not be read yet"));
        assertThat(get("/healthz").status()).isEqualTo(200);
        assertThat(get("/readyz").status()).isEqualTo(503);
        assertThat(logs.list).extracting(ILoggingEvent::getFormattedMessage)
                .anySatisfy(m -> assertThat(m).contains("credentials unavailable").contains("password"));
    }

    @Test
    void otherPathsAndMethodsAreRefused() throws IOException {
        startSidecar();

        assertThat(get("/").status()).isEqualTo(404);
        assertThat(get("/readyz/extra").status()).isEqualTo(404);
        Request post = new Request.Builder().url(base() + "/readyz").post(RequestBody.create(new byte[0])).build();
        try (Response response = http.newCall(post).execute()) {
            assertThat(response.code()).isEqualTo(405);
        }
    }

    private Answer get(String path) {
        Request request = new Request.Builder().url(base() + path).build();
        try (Response response = http.newCall(request).execute()) {
            return new Answer(response.code(), response.header("Content-Type"), response.body().string());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private String base() {
        return "http://127.0.0.1:" + sidecar.port();
    }

    private void writeCredentials(String username, String password) throws IOException {
        Files.writeString(credentials.resolve("username"), username);
        Files.writeString(credentials.resolve("password"), password);
    }
}

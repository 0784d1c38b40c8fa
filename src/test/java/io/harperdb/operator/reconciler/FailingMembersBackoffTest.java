package io.harperdb.operator.reconciler;

import static io.harperdb.operator.reconciler.Resources.NAMESPACE;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.harperdb.operator.api.HarperCluster;
import io.harperdb.operator.api.Phase;
import io.harperdb.operator.testing.MockKubernetes;
import io.harperdb.operator.testing.RunningOperator;
import io.harperdb.replication.client.HarperClient;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import okhttp3.OkHttpClient;
import okhttp3.mockwebserver.Dispatcher;
import okhttp3.mockwebserver.MockResponse;
import okhttp3.mockwebserver.MockWebServer;
import okhttp3.mockwebserver.RecordedRequest;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Members that answer 500 or time out get one call per round, and the rounds of their failing cluster back off
 * until they are a poll interval apart, never further (docs/reference.md, "Guarantees and limits"): calls per member
 * per minute stay at most 60 s / pollInterval once the cluster has failed for twice its poll interval.
 */
class FailingMembersBackoffTest {
    private static final Duration POLL_INTERVAL = Duration.ofSeconds(5);
    /** Short timeouts keep the rounds short: the first round waits out the hung member's read timeout. */
    private static final HarperClient.Timeouts TIMEOUTS = new HarperClient.Timeouts(Duration.ofSeconds(1), Duration.ofSeconds(3));
    private static final HarperClient.Timeouts PROBE = new HarperClient.Timeouts(Duration.ofSeconds(1), Duration.ofSeconds(1));
    private static final ObjectMapper JSON = new ObjectMapper();

    private MockKubernetes kubernetes;
    private RunningOperator operator;
    private final MockWebServer failing = new MockWebServer();
    /** When the failing member was called (ms since start), and with what. */
    private final List<Long> callTimes = new CopyOnWriteArrayList<>();
    private final List<String> operations = new CopyOnWriteArrayList<>();
    private final long started = System.nanoTime();

    @BeforeEach
    void start() throws IOException {
        failing.setDispatcher(new Dispatcher() {
            @Override
            public MockResponse dispatch(RecordedRequest request) {
                callTimes.add((System.nanoTime() - started) / 1_000_000);
                try {
                    operations.add(JSON.readTree(request.getBody().readUtf8()).path("operation").asText());
                } catch (IOException e) {
                    operations.add("?");
                }
                return new MockResponse().setResponseCode(500).setBody("{\"error\":\"internal error\"}");
            }
        });
        failing.start();
        kubernetes = new MockKubernetes();
        operator = new RunningOperator(kubernetes, new HarperClientFactory(TIMEOUTS, PROBE, new OkHttpClient()));
    }

    @AfterEach
    void stop() throws IOException {
        operator.close();
        kubernetes.close();
        failing.shutdown();
    }

    @Test
    void aMemberAnswering500AndOneTimingOutGetOneCallPerRoundAndTheBackoffReachesThePollInterval() throws Exception {
        try (HungServer hung = new HungServer()) {
            kubernetes.client().resource(Resources.secret("admin", "admin", "pw")).create();
            kubernetes.client().resource(Resources.node("failing", "demo", "failing.example.com", failing.url("/").toString(), "admin"))
                    .create();
            kubernetes.client().resource(Resources.node("hung", "demo", "hung.example.com", hung.url(), "admin")).create();
            HarperCluster cluster = Resources.cluster("demo");
            cluster.getSpec().setPollInterval(POLL_INTERVAL.toSeconds() + "s");
            kubernetes.client().resource(cluster).create();

            // failing for twice the poll interval takes the backoff to it; then three more rounds
            await().atMost(Duration.ofSeconds(90)).until(() -> callTimes.size() >= 2
                    && callTimes.get(callTimes.size() - 1) - callTimes.get(0) >= 2 * POLL_INTERVAL.toMillis() + 3 * 7_500
                    || callTimes.size() >= 20);

            List<Long> gaps = new ArrayList<>();
            for (int i = 1; i < callTimes.size(); i++) {
                gaps.add(callTimes.get(i) - callTimes.get(i - 1));
            }
            assertThat(operations).as("a member answering 500 gets cluster_status only, once a round").containsOnly("cluster_status");
            assertThat(gaps).as("no round follows another sooner than the backoff's least delay (1 s)").allMatch(g -> g >= 900);
            // rounds start a delay after the previous one ended (the hung member's probe takes 1 s of each)
            assertThat(gaps.subList(gaps.size() - 3, gaps.size())).as("the backoff reached its maximum, the poll interval, and stays there")
                    .allMatch(g -> g >= POLL_INTERVAL.toMillis() - 100 && g <= POLL_INTERVAL.toMillis() + 2_500);
            assertThat(hung.accepted()).as("the member that times out gets one call per round too").isLessThanOrEqualTo(callTimes.size() + 1);
            assertThat(phase()).isEqualTo(Phase.DEGRADED);
        }
    }

    private Phase phase() {
        HarperCluster c = kubernetes.client().resources(HarperCluster.class).inNamespace(NAMESPACE).withName("demo").get();
        return c == null || c.getStatus() == null ? null : c.getStatus().getPhase();
    }
}

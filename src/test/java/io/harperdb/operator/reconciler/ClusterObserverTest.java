package io.harperdb.operator.reconciler;

import static org.assertj.core.api.Assertions.assertThat;

import io.harperdb.replication.client.HarperClient;
import io.harperdb.replication.client.Outcome;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicReference;
import okhttp3.OkHttpClient;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * A member that hangs (accepts, never answers) costs one full timeout, then one short probe per round until it
 * answers; full timeouts again after {@link ClusterObserver#FULL_RETRY_AFTER}. One round observes at most
 * {@link ClusterObserver#PER_ROUND} members at a time.
 */
class ClusterObserverTest {
    private static final HarperClient.Timeouts FULL = new HarperClient.Timeouts(Duration.ofSeconds(1), Duration.ofSeconds(3));
    private static final HarperClient.Timeouts PROBE = new HarperClient.Timeouts(Duration.ofSeconds(1), Duration.ofMillis(300));

    private final ExecutorService executor = Executors.newCachedThreadPool();
    private final AtomicReference<Instant> now = new AtomicReference<>(Instant.parse("2025-01-01T00:00:00Z"));
    private final Clock clock = new Clock() {
        @Override
        public ZoneOffset getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(java.time.ZoneId zone) {
            return this;
        }

        @Override
        public Instant instant() {
            return now.get();
        }
    };

    @AfterEach
    void stop() {
        executor.shutdownNow();
    }

    @Test
    void aHungMemberCostsOneFullTimeoutThenOneShortProbePerRound() throws Exception {
        try (HungServer hung = new HungServer(); StandIn answering = new StandIn("ok", List.of(), true)) {
            ClusterObserver observer = new ClusterObserver(new HarperClientFactory(FULL, PROBE, new OkHttpClient()), executor, clock);
            List<ClusterMember> members = List.of(member("hung", hung.url()), member("ok", answering.url()));

            long first = millis(() -> assertThat(observer.observe(members).get("hung").failure()).isEqualTo(Outcome.TIMED_OUT));
            long second = millis(() -> assertThat(observer.observe(members).get("hung").failure()).isEqualTo(Outcome.TIMED_OUT));
            now.set(now.get().plus(ClusterObserver.FULL_RETRY_AFTER));
            long afterRetryTime = millis(() -> observer.observe(members));

            assertThat(first).as("the first round waits out the full read timeout").isGreaterThanOrEqualTo(2_900);
            assertThat(second).as("the next round only probes it").isLessThan(1_500);
            assertThat(afterRetryTime).as("after a while it gets full timeouts again").isGreaterThanOrEqualTo(2_900);
            assertThat(observer.observe(members).get("ok").reachable()).as("the answering member is observed every round").isTrue();
            assertThat(answering.operations()).contains("cluster_status", "search_by_value", "cluster_get_routes");
        }
    }

    @Test
    void aProbedMemberThatAnswersIsObservedInFull() throws Exception {
        try (StandIn member = new StandIn("m", List.of("p"), true)) {
            ClusterObserver observer = new ClusterObserver(new HarperClientFactory(FULL, PROBE, new OkHttpClient()), executor, clock);
            // down first: nothing listens on the port yet
            ClusterMember unreachable = member("m", "http://127.0.0.1:1/");
            assertThat(observer.observe(List.of(unreachable)).get("m").failure()).isEqualTo(Outcome.UNREACHABLE);
            assertThat(observer.probedOnly("http://127.0.0.1:1/")).isTrue();

            MemberObservation observed = observer.observe(List.of(member("m", member.url()))).get("m");
            assertThat(observed.reachable()).isTrue();
            assertThat(observed.status().peers()).extracting(p -> p.name()).containsExactly("p");
        }
    }

    @Test
    void oneRoundObservesAtMostEightMembersAtATime() throws Exception {
        try (HungServer hung = new HungServer()) {
            ClusterObserver observer = new ClusterObserver(new HarperClientFactory(FULL, PROBE, new OkHttpClient()), executor, clock);
            List<ClusterMember> members = new ArrayList<>();
            for (int i = 0; i < 20; i++) {
                members.add(member("hung-" + i, hung.url()));
            }
            Thread round = new Thread(() -> observer.observe(members));
            round.start();
            Thread.sleep(1_500);
            assertThat(hung.accepted()).isEqualTo(ClusterObserver.PER_ROUND);
            round.join();
        }
    }

    private static ClusterMember member(String name, String operationsUrl) {
        return new ClusterMember(name, name, null, operationsUrl, false, false, List.of(), new MemberCredentials("admin", "pw"), null, name);
    }

    private static long millis(Runnable action) {
        long start = System.nanoTime();
        action.run();
        return (System.nanoTime() - start) / 1_000_000;
    }
}

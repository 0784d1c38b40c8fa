package io.harperdb.operator.reconciler;

import static org.assertj.core.api.Assertions.assertThat;

import io.harperdb.replication.client.HarperClient;
import io.harperdb.replication.client.Route;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import okhttp3.OkHttpClient;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Which reads a poll skips (ClusterObserver, "Reads per poll"): cluster_status every poll; the hdb_nodes records and
 * the routes of a settled cluster reused, and read again every {@link ClusterObserver#SLOW_EVERY}th poll, at a visible
 * restart, when cluster_status shows other peers, while the cluster is not settled (records) and while written routes
 * have not shown (routes).
 */
class ClusterObserverReadsTest {
    private static final HarperClient.Timeouts TIMEOUTS = new HarperClient.Timeouts(Duration.ofSeconds(1), Duration.ofSeconds(3));
    private static final ClusterObserver.ReadHints SETTLED = new ClusterObserver.ReadHints(true, Map.of(), Map.of());

    private final ExecutorService executor = Executors.newCachedThreadPool();
    private final ClusterObserver observer = new ClusterObserver(new HarperClientFactory(TIMEOUTS, new OkHttpClient()), executor,
            Clock.fixed(Instant.parse("2025-01-01T00:00:00Z"), ZoneOffset.UTC));

    @AfterEach
    void stop() {
        executor.shutdownNow();
    }

    @Test
    void aSettledMemberIsReadOnePointTwoTimesPerPollAndEachSlowReadComesEveryTenthPoll() throws Exception {
        try (StandIn m = new StandIn("m", List.of("p"), true)) {
            List<ClusterMember> members = List.of(member("m", m.url()));
            observer.observe(members, SETTLED);
            assertThat(m.operations()).as("the first observation reads everything, and the version")
                    .containsExactlyInAnyOrder("cluster_status", "search_by_value", "cluster_get_routes", "registration_info");
            int polls = 2 * ClusterObserver.SLOW_EVERY;
            for (int i = 0; i < polls; i++) {
                assertThat(observer.observe(members, SETTLED).get("m").status().peers()).extracting(p -> p.name()).containsExactly("p");
            }
            long reads = m.operations().size() - 4;    // the version is read again only after 10 minutes
            assertThat(m.count("cluster_status") - 1).isEqualTo(polls);
            assertThat(m.count("search_by_value") - 1).isEqualTo(2);
            assertThat(m.count("cluster_get_routes") - 1).isEqualTo(2);
            assertThat((double) reads / polls).isLessThanOrEqualTo(1.2);
        }
    }

    @Test
    void withoutHintsEveryPollReadsEverything() throws Exception {
        try (StandIn m = new StandIn("m", List.of("p"), true)) {
            List<ClusterMember> members = List.of(member("m", m.url()));
            for (int i = 0; i < 3; i++) {
                observer.observe(members);
            }
            assertThat(m.count("search_by_value")).isEqualTo(3);
            assertThat(m.count("cluster_get_routes")).isEqualTo(3);
        }
    }

    @Test
    void aClusterNotSettledHasItsRecordsReadEveryPollButNotItsRoutes() throws Exception {
        try (StandIn m = new StandIn("m", List.of("p"), true)) {
            List<ClusterMember> members = List.of(member("m", m.url()));
            ClusterObserver.ReadHints converging = new ClusterObserver.ReadHints(false, Map.of(), Map.of());
            for (int i = 0; i < 4; i++) {
                observer.observe(members, converging);
            }
            assertThat(m.count("search_by_value")).isEqualTo(4);
            assertThat(m.count("cluster_get_routes")).isEqualTo(1);
        }
    }

    @Test
    void recordsAreReadAgainWhenClusterStatusShowsOtherPeers() throws Exception {
        try (StandIn m = new StandIn("m", List.of("p"), true)) {
            List<ClusterMember> members = List.of(member("m", m.url()));
            observer.observe(members, SETTLED);
            observer.observe(members, SETTLED);
            assertThat(m.count("search_by_value")).isEqualTo(1);
            m.statusPeers(List.of("p", "q"));
            m.recordPeers(List.of("p", "q"));
            assertThat(observer.observe(members, SETTLED).get("m").status().peers()).extracting(p -> p.name()).containsExactly("p", "q");
            assertThat(m.count("search_by_value")).isEqualTo(2);
        }
    }

    @Test
    void aRecordRemovedOutsideThatClusterStatusStillListsShowsWithinTheSlowCadence() throws Exception {
        try (StandIn m = new StandIn("m", List.of("p", "q"), true)) {
            List<ClusterMember> members = List.of(member("m", m.url()));
            observer.observe(members, SETTLED);
            m.recordPeers(List.of("p"));     // cluster_status lags a removal: it still lists q
            int polls = 0;
            List<String> peers;
            do {
                peers = observer.observe(members, SETTLED).get("m").status().peers().stream().map(p -> p.name()).toList();
                polls++;
            } while (peers.contains("q") && polls < 3 * ClusterObserver.SLOW_EVERY);
            assertThat(peers).containsExactly("p");
            assertThat(polls).isLessThanOrEqualTo(ClusterObserver.SLOW_EVERY);
        }
    }

    @Test
    void aPodRestartTheOperatorSeesHasItsRoutesReadAtOnce() throws Exception {
        try (StandIn m = new StandIn("m", List.of(), true)) {
            List<ClusterMember> members = List.of(member("m", m.url()));
            observer.observe(members, new ClusterObserver.ReadHints(true, Map.of("m", "uid-1/0"), Map.of()));
            m.routes(List.of("wss://r.example.com:9933"));
            assertThat(observer.observe(members, new ClusterObserver.ReadHints(true, Map.of("m", "uid-1/0"), Map.of())).get("m").loadedRoutes())
                    .as("no restart seen: the routes read at start").isEmpty();
            assertThat(observer.observe(members, new ClusterObserver.ReadHints(true, Map.of("m", "uid-1/1"), Map.of())).get("m").loadedRoutes())
                    .as("restarted (restart count up)").containsExactly(Route.of("wss://r.example.com:9933"));
            assertThat(m.count("search_by_value")).as("the records too").isEqualTo(2);
        }
    }

    @Test
    void aMemberThatDidNotAnswerIsReadInFullWhenItAnswersAgain() throws Exception {
        try (StandIn m = new StandIn("m", List.of(), true)) {
            List<ClusterMember> members = List.of(member("m", m.url()));
            observer.observe(members, SETTLED);
            m.failing(true);
            assertThat(observer.observe(members, SETTLED).get("m").reachable()).isFalse();
            m.failing(false);
            m.routes(List.of("wss://r.example.com:9933"));
            assertThat(observer.observe(members, SETTLED).get("m").loadedRoutes()).containsExactly(Route.of("wss://r.example.com:9933"));
            assertThat(m.count("search_by_value")).isEqualTo(2);
        }
    }

    @Test
    void routesTheOperatorWroteAreReadEveryPollUntilTheyShow() throws Exception {
        try (StandIn m = new StandIn("m", List.of(), true)) {
            List<ClusterMember> members = List.of(member("m", m.url()));
            observer.observe(members, SETTLED);
            ClusterObserver.ReadHints written = new ClusterObserver.ReadHints(true, Map.of(),
                    Map.of("m", List.of(Route.of("wss://r.example.com:9933"))));
            observer.observe(members, written);
            observer.observe(members, written);
            assertThat(m.count("cluster_get_routes")).isEqualTo(3);
            m.routes(List.of("wss://r.example.com:9933"));     // restarted, outside the operator's sight
            assertThat(observer.observe(members, written).get("m").loadedRoutes()).containsExactly(Route.of("wss://r.example.com:9933"));
            observer.observe(members, written);
            assertThat(m.count("cluster_get_routes")).as("once they show, no more").isEqualTo(4);
        }
    }

    private static ClusterMember member(String name, String operationsUrl) {
        return new ClusterMember(name, name, null, operationsUrl, false, false, List.of(), new MemberCredentials("admin", "pw"), null, name);
    }
}

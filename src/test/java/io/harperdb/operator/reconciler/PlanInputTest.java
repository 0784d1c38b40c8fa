package io.harperdb.operator.reconciler;

import static org.assertj.core.api.Assertions.assertThat;

import io.harperdb.operator.api.HarperCluster;
import io.harperdb.operator.api.HarperNode;
import io.harperdb.operator.testing.RunningOperator;
import io.harperdb.replication.client.HarperClient;
import io.harperdb.replication.client.Outcome;
import io.harperdb.replication.model.ClusterStatus;
import io.harperdb.replication.model.DatabaseSocket;
import io.harperdb.replication.model.PeerConnection;
import io.harperdb.replication.plan.Plan;
import io.harperdb.replication.plan.PlannedOperation.RemoveNode;
import io.harperdb.replication.plan.PlanInput;
import io.harperdb.replication.plan.ReplicationPlanner;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/** What the reconciler hands the planner after observing members, some of which did not answer. */
class PlanInputTest {
    private final HarperCluster cluster = Resources.cluster("demo");

    @Test
    void anUnreachableMemberIsWaitedForAndTheRoundGoesOn() {
        MemberResolver.Members members = MemberResolver.resolve(cluster, List.of(
                Resources.node("a", "demo", "a.example.com", "http://a.example.com:9925", "admin"),
                Resources.node("b", "demo", "b.example.com", "http://b.example.com:9925", "admin")), this::secret);
        Map<String, MemberObservation> observations = Map.of(
                "a.example.com", MemberObservation.failed("a.example.com", Outcome.UNREACHABLE, null),
                "b.example.com", MemberObservation.failed("b.example.com", Outcome.TIMED_OUT, "timeout"));

        Plan plan = ReplicationPlanner.plan(HarperClusterReconciler.planInput(cluster.getSpec(), members, observations, Map.of()));

        assertThat(plan.operations()).isEmpty();
        assertThat(plan.waitingFor()).containsExactly("a.example.com", "b.example.com");
    }

    @Test
    void aMemberWithoutIdentityIsNotObservedAndTheRoundGoesOn() {
        // A HarperNode with neither hostname nor url (CRD rules not enforced) but with its Secret: it used to be
        // observed at http://null:9925, failed, and was keyed by a null name, and Map.copyOf in PlanInput threw.
        HarperNode nameless = Resources.node("nameless", "demo", null, null, "admin");
        MemberResolver.Members members = MemberResolver.resolve(cluster, List.of(nameless,
                Resources.node("a", "demo", "a.example.com", "http://a.example.com:9925", "admin")), this::secret);
        AtomicInteger called = new AtomicInteger();
        HarperClientFactory unreachable = new HarperClientFactory(RunningOperator.TEST_TIMEOUTS) {
            @Override
            public HarperClient clientFor(ClusterMember member) {
                called.incrementAndGet();
                throw new IllegalStateException("no route to " + member.operationsUrl());
            }
        };
        ExecutorService executor = Executors.newSingleThreadExecutor();
        Map<String, MemberObservation> observations;
        try {
            observations = new ClusterObserver(unreachable, executor, java.time.Clock.systemUTC())
                    .observe(members.all().stream().filter(ClusterMember::hasCredentials).toList());
        } finally {
            executor.shutdownNow();
        }

        PlanInput input = HarperClusterReconciler.planInput(cluster.getSpec(), members, observations, Map.of());
        Plan plan = ReplicationPlanner.plan(input);

        assertThat(observations).doesNotContainKey(null).containsOnlyKeys("a.example.com");
        assertThat(called).hasValue(1);
        assertThat(plan.operations()).isEmpty();
        assertThat(plan.waitingFor()).containsExactly("a.example.com");
        assertThat(plan.invalid()).hasSize(1);
    }

    @Test
    void deletingOneOfTwoHarperNodesOfOneNameRemovesNothingAndTheOtherIsPlannedFor() {
        HarperNode deleted = Resources.node("a", "demo", "x.example.com", "http://x.example.com:9925", "admin");
        deleted.getMetadata().setDeletionTimestamp("2026-01-01T00:00:00Z");
        MemberResolver.Members members = MemberResolver.resolve(cluster, List.of(deleted,
                Resources.node("b", "demo", "x.example.com", "http://x.example.com:9925", "admin"),
                Resources.node("p", "demo", "p.example.com", "http://p.example.com:9925", "admin")), this::secret);
        Map<String, MemberObservation> observations = Map.of(
                "x.example.com", listing("x.example.com", "p.example.com"),
                "p.example.com", listing("p.example.com", "x.example.com"));

        PlanInput input = HarperClusterReconciler.planInput(cluster.getSpec(), members, observations, Map.of());
        Plan plan = ReplicationPlanner.plan(input);

        assertThat(input.leaving()).isEmpty();
        assertThat(plan.operations()).isEmpty();
        assertThat(plan.invalid()).isEmpty();
    }

    @Test
    void aNameAnInvalidOrUnreachableHarperNodeDeclaresIsNotPruned() {
        HarperCluster pruning = Resources.cluster("demo");
        pruning.getSpec().getReplication().setPruneUnknownNodes(true);
        HarperNode withoutSecret = Resources.node("typo", "demo", "typo.example.com", "http://typo.example.com:9925", "missing");
        MemberResolver.Members members = MemberResolver.resolve(pruning, List.of(withoutSecret,
                Resources.node("a", "demo", "a.example.com", "http://a.example.com:9925", "admin"),
                Resources.node("b", "demo", "b.example.com", "http://b.example.com:9925", "admin")),
                name -> name.equals("missing") ? Optional.empty() : secret(name));
        Map<String, MemberObservation> observations = Map.of(
                "a.example.com", listing("a.example.com", "b.example.com", "typo.example.com", "other.example.com", "handmade.example.com"),
                "b.example.com", listing("b.example.com", "a.example.com", "typo.example.com", "other.example.com", "handmade.example.com"));

        // other.example.com: a HarperNode of another cluster of the namespace declares it
        Plan plan = ReplicationPlanner.plan(HarperClusterReconciler.planInput(pruning.getSpec(), members, observations, Map.of(),
                Map.of(), java.util.Set.of("other.example.com", "typo.example.com", "a.example.com", "b.example.com"), java.util.Set.of()));

        assertThat(plan.operations()).containsExactly(new RemoveNode("a.example.com", "handmade.example.com"));
        assertThat(plan.strays()).containsExactly("handmade.example.com");
    }

    @Test
    void aMemberAnEarlierClusterHasIsLeftOutButNeverPruned() {
        HarperCluster pruning = Resources.cluster("demo");
        pruning.getSpec().getReplication().setPruneUnknownNodes(true);
        MemberResolver.Members members = MemberResolver.resolve(pruning, List.of(
                Resources.node("a", "demo", "a.example.com", "http://a.example.com:9925", "admin"),
                Resources.node("b", "demo", "b.example.com", "http://b.example.com:9925", "admin"),
                Resources.node("taken", "demo", "x.example.com", "http://x.example.com:9925", "admin")), this::secret);
        Map<String, MemberObservation> observations = Map.of(
                "a.example.com", listing("a.example.com", "b.example.com", "x.example.com"),
                "b.example.com", listing("b.example.com", "a.example.com", "x.example.com"),
                "x.example.com", listing("x.example.com"));

        PlanInput input = HarperClusterReconciler.planInput(pruning.getSpec(), members, observations, Map.of(),
                Map.of("taken", "declares node name x.example.com, which HarperNode x of HarperCluster first, an earlier cluster, has"),
                java.util.Set.of(), java.util.Set.of());
        Plan plan = ReplicationPlanner.plan(input);

        assertThat(input.desired()).extracting(io.harperdb.replication.plan.DesiredMember::name)
                .containsExactlyInAnyOrder("a.example.com", "b.example.com");
        assertThat(plan.operations()).isEmpty();
        assertThat(plan.strays()).isEmpty();
    }

    @Test
    void theStraysAStatusReportsAreReadBackForTheNextRound() {
        Plan plan = new Plan(List.of(), java.util.Set.of("handmade.example.com", "old.example.com"), java.util.Set.of(),
                java.util.Set.of(), java.util.Set.of(), Map.of());
        io.harperdb.operator.api.HarperClusterStatus status = ClusterStatusBuilder.cluster(null, new ClusterStatusBuilder.Round(
                List.of(), Map.of(), plan, List.of(), Map.of(), 1, java.time.Instant.parse("2026-01-01T00:00:00Z")));

        assertThat(ClusterStatusBuilder.strays(status)).containsExactlyInAnyOrder("handmade.example.com", "old.example.com");
        assertThat(ClusterStatusBuilder.strays(null)).isEmpty();
    }

    /** A member that answered, listing full records of these peers. */
    private static MemberObservation listing(String name, String... peers) {
        List<PeerConnection> connections = java.util.Arrays.stream(peers)
                .map(p -> new PeerConnection(p, "wss://" + p + ":9933", true, null,
                        List.of(new DatabaseSocket("data", true, 0.0, 1, List.of(p), null, null, null, null, null, 0.0, "Waiting"))))
                .toList();
        return MemberObservation.answered(name, new ClusterStatus(name, "wss://" + name + ":9933", true, connections), List.of());
    }

    private Optional<io.fabric8.kubernetes.api.model.Secret> secret(String name) {
        return Optional.of(Resources.secret(name, "admin", "pw"));
    }
}

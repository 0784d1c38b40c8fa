package io.harperdb.operator.reconciler;

import static org.assertj.core.api.Assertions.assertThat;

import io.harperdb.operator.api.HarperCluster;
import io.harperdb.operator.api.HarperNode;
import io.harperdb.operator.testing.RunningOperator;
import io.harperdb.replication.client.HarperClient;
import io.harperdb.replication.client.Outcome;
import io.harperdb.replication.plan.Plan;
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

    private Optional<io.fabric8.kubernetes.api.model.Secret> secret(String name) {
        return Optional.of(Resources.secret(name, "admin", "pw"));
    }
}

package io.harperdb.operator.reconciler;

import static io.harperdb.operator.reconciler.Resources.NAMESPACE;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.fabric8.kubernetes.api.model.Condition;
import io.fabric8.kubernetes.api.model.Event;
import io.harperdb.operator.api.HarperCluster;
import io.harperdb.operator.api.HarperNode;
import io.harperdb.operator.api.Phase;
import io.harperdb.operator.testing.HarperOperationLog;
import io.harperdb.operator.testing.MockKubernetes;
import io.harperdb.operator.testing.RunningOperator;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Predicate;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Identities are guarded: two HarperNodes of one name, a stray that a HarperNode declares, an instance that two
 * clusters claim. The members are {@link StandIn}s, which record what they are sent; HarperNodes of other clusters
 * are seen through the operator's informer cache, as in a real cluster.
 */
class IdentitiesEndToEndTest {
    private static final Duration WAIT = Duration.ofSeconds(30);
    // Port 1 refuses connections: unreachable members (each its own address: one URL is one instance).
    private static final String NOBODY = "http://127.0.0.1:1";
    private static final String NOBODY_ELSE = "http://127.0.0.2:1";
    private static final String NOBODY_AT_ALL = "http://127.0.0.3:1";

    private MockKubernetes kubernetes;
    private RunningOperator operator;
    private final List<StandIn> standIns = new ArrayList<>();

    @BeforeEach
    void start() {
        kubernetes = new MockKubernetes();
        operator = new RunningOperator(kubernetes);
        kubernetes.client().resource(Resources.secret("admin", "admin", "pw")).create();
    }

    @AfterEach
    void stop() throws Exception {
        operator.close();
        for (StandIn s : standIns) {
            s.close();
        }
        kubernetes.close();
    }

    @Test
    void twoHarperNodesOfOneNameAreBothMarkedAndNeitherIsPlannedFor() {
        StandIn x = standIn("x.example.com", List.of());
        StandIn p = standIn("p.example.com", List.of("q.example.com"));
        StandIn q = standIn("q.example.com", List.of("p.example.com"));
        kubernetes.client().resource(Resources.cluster("demo")).create();
        kubernetes.client().resource(Resources.node("a", "demo", "x.example.com", x.url(), "admin")).create();
        kubernetes.client().resource(Resources.node("b", "demo", "x.example.com", x.url(), "admin")).create();
        kubernetes.client().resource(Resources.node("p", "demo", "p.example.com", p.url(), "admin")).create();
        kubernetes.client().resource(Resources.node("q", "demo", "q.example.com", q.url(), "admin")).create();

        Condition a = awaitReady("a", c -> IdentityClaims.DUPLICATE.equals(c.getReason()));
        Condition b = awaitReady("b", c -> IdentityClaims.DUPLICATE.equals(c.getReason()));
        assertThat(a.getMessage()).contains("x.example.com", "as does b");
        assertThat(b.getMessage()).contains("x.example.com", "as does a");
        HarperCluster cluster = awaitCluster("demo", c -> c.getStatus().getPhase() == Phase.FAILED);
        Condition reconciled = MisconfiguredMembersTest.condition(cluster, Conditions.RECONCILED);
        assertThat(reconciled.getReason()).isEqualTo("InvalidMembers");
        assertThat(reconciled.getMessage()).contains("a (declares node name x.example.com, as does b)",
                "b (declares node name x.example.com, as does a)");
        Event event = awaitEvent("demo", IdentityClaims.DUPLICATE);
        assertThat(event.getType()).isEqualTo("Warning");
        // the mesh of p and q is complete: nothing to do but add x, which is declared twice (x is only read)
        assertThat(writes(x)).isEmpty();
        assertThat(writes(p)).isEmpty();
        assertThat(writes(q)).isEmpty();
    }

    @Test
    void deletingOneOfTwoHarperNodesOfOneNameSendsNoRemoveNodeAndTheOtherStays() {
        StandIn x = standIn("x.example.com", List.of("p.example.com"));
        StandIn p = standIn("p.example.com", List.of("x.example.com"));
        kubernetes.client().resource(Resources.cluster("demo")).create();
        kubernetes.client().resource(Resources.node("a", "demo", "x.example.com", x.url(), "admin")).create();
        kubernetes.client().resource(Resources.node("b", "demo", "x.example.com", x.url(), "admin")).create();
        kubernetes.client().resource(Resources.node("p", "demo", "p.example.com", p.url(), "admin")).create();
        awaitCluster("demo", c -> c.getStatus().getPhase() == Phase.FAILED);
        await().atMost(WAIT).until(() -> !node("a").getMetadata().getFinalizers().isEmpty());

        kubernetes.client().resources(HarperNode.class).inNamespace(NAMESPACE).withName("a").delete();

        // some rounds: b still declares x.example.com, so nobody is told to forget it
        operator.awaitRounds(3);
        assertThat(p.removed()).isEmpty();
        assertThat(x.removed()).isEmpty();
        // the finalizer went at once (nothing to remove), and b is a member again
        await().atMost(Duration.ofSeconds(10)).until(() -> node("a") == null);
        awaitReady("b", c -> "Connected".equals(c.getReason()));
        assertThat(p.removed()).isEmpty();
    }

    @Test
    void aStrayIsPrunedOnlyWhenNoHarperNodeDeclaresIt() {
        List<String> listed = List.of("ghost-other.example.com", "ghost-orphan.example.com", "down.example.com", "handmade.example.com");
        // another cluster's member and a HarperNode whose cluster does not exist, both known to the operator first
        kubernetes.client().resource(Resources.cluster("other")).create();
        kubernetes.client().resource(Resources.node("g", "other", "ghost-other.example.com", NOBODY, "admin")).create();
        kubernetes.client().resource(Resources.node("orphan", "missing", "ghost-orphan.example.com", NOBODY_ELSE, "admin")).create();
        awaitReady("orphan", c -> "ClusterNotFound".equals(c.getReason()));
        awaitReady("g", c -> c.getReason() != null);

        StandIn a = standIn("a.example.com", with("b.example.com", listed));
        StandIn b = standIn("b.example.com", with("a.example.com", listed));
        HarperCluster demo = Resources.cluster("demo");
        demo.getSpec().getReplication().setPruneUnknownNodes(true);
        kubernetes.client().resource(demo).create();
        kubernetes.client().resource(Resources.node("a", "demo", "a.example.com", a.url(), "admin")).create();
        kubernetes.client().resource(Resources.node("b", "demo", "b.example.com", b.url(), "admin")).create();
        // a member of demo that does not answer
        kubernetes.client().resource(Resources.node("down", "demo", "down.example.com", NOBODY_AT_ALL, "admin")).create();

        await().atMost(WAIT).until(() -> a.removed().contains("handmade.example.com"));
        awaitReady("down", c -> "Unreachable".equals(c.getReason()));
        // some more rounds
        operator.awaitRounds(3);
        List<String> removed = new ArrayList<>(a.removed());
        removed.addAll(b.removed());
        assertThat(removed).containsOnly("handmade.example.com");
    }

    @Test
    void aLaterClusterClaimingAnotherClustersInstanceIsMarkedAndSendsItNothing() {
        StandIn instance = standIn("x.example.com", List.of());
        StandIn sameName = standIn("x.example.com", List.of());
        StandIn own = standIn("q.example.com", List.of());
        HarperCluster first = Resources.cluster("first");
        first.getMetadata().setCreationTimestamp("2026-01-01T00:00:00Z");
        kubernetes.client().resource(first).create();
        kubernetes.client().resource(Resources.node("one", "first", "x.example.com", instance.url(), "admin")).create();
        awaitCluster("first", c -> c.getStatus().getPhase() != null);

        HarperCluster second = Resources.cluster("second");
        second.getMetadata().setCreationTimestamp("2026-01-02T00:00:00Z");
        kubernetes.client().resource(second).create();
        // the same node name at another address; another name at the same Operations API URL; one of its own
        kubernetes.client().resource(Resources.node("two", "second", "x.example.com", sameName.url(), "admin")).create();
        kubernetes.client().resource(Resources.node("three", "second", "z.example.com", instance.url(), "admin")).create();
        kubernetes.client().resource(Resources.node("mine", "second", "q.example.com", own.url(), "admin")).create();

        Condition two = awaitReady("two", c -> IdentityClaims.CLAIMED.equals(c.getReason()));
        assertThat(two.getMessage()).contains("node name x.example.com", "HarperNode one of HarperCluster first", "earlier");
        Condition three = awaitReady("three", c -> IdentityClaims.CLAIMED.equals(c.getReason()));
        assertThat(three.getMessage()).contains("Operations API URL", "HarperNode one of HarperCluster first");
        HarperCluster later = awaitCluster("second", c -> c.getStatus().getPhase() == Phase.FAILED);
        Condition reconciled = MisconfiguredMembersTest.condition(later, Conditions.RECONCILED);
        assertThat(reconciled.getReason()).isEqualTo("InvalidMembers");
        assertThat(reconciled.getMessage()).contains("two (declares node name x.example.com", "three (declares Operations API URL");
        Event event = awaitEvent("second", IdentityClaims.CLAIMED);
        assertThat(event.getType()).isEqualTo("Warning");
        assertThat(event.getMessage()).contains("HarperCluster first").doesNotContain("pw");

        // some more rounds of both clusters (three each, counted together)
        operator.awaitRounds(6);
        assertThat(sameName.operations()).as("the later cluster sent nothing to its copy of x.example.com").isEmpty();
        assertThat(writes(own)).as("nor anything naming x or z to its own member").isEmpty();
        assertThat(instance.operations()).as("the earlier cluster still observes its instance").contains("cluster_status");
        assertThat(writes(instance)).isEmpty();
        assertThat(readyOf("one").getReason()).isNotEqualTo(IdentityClaims.CLAIMED);
        assertThat(later.getStatus().getMembers()).filteredOn(m -> "q.example.com".equals(m.getName()))
                .allSatisfy(m -> assertThat(m.getReachable()).isTrue());
    }

    private StandIn standIn(String name, List<String> peers) {
        StandIn s = new StandIn(name, peers, true);
        standIns.add(s);
        return s;
    }

    /** The operations that change something, that {@code s} was sent. */
    private static List<String> writes(StandIn s) {
        return s.operations().stream().filter(o -> !HarperOperationLog.READS.contains(o)).toList();
    }

    private static List<String> with(String first, List<String> rest) {
        List<String> all = new ArrayList<>(List.of(first));
        all.addAll(rest);
        return all;
    }

    private Condition awaitReady(String node, Predicate<Condition> until) {
        return await().atMost(WAIT).until(() -> readyOf(node), c -> c != null && until.test(c));
    }

    private Condition readyOf(String name) {
        HarperNode node = node(name);
        return node == null || node.getStatus() == null ? null : Conditions.find(node.getStatus().getConditions(), Conditions.READY);
    }

    private HarperCluster awaitCluster(String name, Predicate<HarperCluster> until) {
        return await().atMost(WAIT).until(() -> kubernetes.client().resources(HarperCluster.class).inNamespace(NAMESPACE).withName(name).get(),
                c -> c != null && c.getStatus() != null && until.test(c));
    }

    private Event awaitEvent(String cluster, String reason) {
        return await().atMost(WAIT).until(() -> kubernetes.client().v1().events().inNamespace(NAMESPACE).list().getItems().stream()
                .filter(e -> reason.equals(e.getReason()) && cluster.equals(e.getInvolvedObject().getName())
                        && "HarperCluster".equals(e.getInvolvedObject().getKind()))
                .findFirst().orElse(null), e -> e != null);
    }

    private HarperNode node(String name) {
        return kubernetes.client().resources(HarperNode.class).inNamespace(NAMESPACE).withName(name).get();
    }
}

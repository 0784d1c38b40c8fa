package io.harperdb.replication.plan;

import static io.harperdb.replication.plan.Fixtures.assertSendable;
import static io.harperdb.replication.plan.Fixtures.connection;
import static io.harperdb.replication.plan.Fixtures.full;
import static io.harperdb.replication.plan.Fixtures.sub;
import static org.assertj.core.api.Assertions.assertThat;

import io.harperdb.replication.client.AddNodeRequest;
import io.harperdb.replication.client.NodeAuthorization;
import io.harperdb.replication.client.Route;
import io.harperdb.replication.model.Subscription;
import io.harperdb.replication.plan.FakeHarper.Node;
import io.harperdb.replication.plan.FakeHarper.Rec;
import io.harperdb.replication.plan.PlannedOperation.AddNode;
import io.harperdb.replication.plan.PlannedOperation.ConfigureCluster;
import io.harperdb.replication.plan.PlannedOperation.RemoveNode;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;

/** Large and random topologies, played against the simulator. */
class PlannerPropertiesTest {

    private static final List<String> TABLES = List.of("dog", "cat", "bird");
    private static final List<Route> ROUTE_POOL = List.of(Route.of("r1.example.com"), Route.of("r2.example.com", 9933), Route.of("wss://r3.example.com:9933"));
    private static final int RANDOM_TOPOLOGIES = 1000;

    /** A cluster as it was, the members it should now have, and what the operator knows. */
    private record Scenario(long seed, FakeHarper sim, List<DesiredMember> desired, Set<String> leaving,
                            List<Route> routes, boolean prune) {
        PlanInput input() {
            return sim.input(desired, leaving, routes, prune);
        }
    }

    @Test
    void randomTopologiesConvergeWithinTwoRoundsAndEveryPlanIsSendable() {
        int[] roundsNeeded = new int[64];
        int operations = 0;
        int updateNodes = 0;
        for (long seed = 0; seed < RANDOM_TOPOLOGIES; seed++) {
            Scenario s = randomScenario(seed);
            try {
                int rounds = 0;
                int restarts = 0;
                while (true) {
                    PlanInput input = s.input();
                    Plan plan = ReplicationPlanner.plan(input);
                    assertSendable(plan, input);
                    assertThat(ReplicationPlanner.plan(input)).as("deterministic").isEqualTo(plan);
                    if (plan.isEmpty()) {
                        if (plan.routesPendingRestart().isEmpty()) break;
                        // routes take effect on restart; adding and removing routes takes two (RouteEdits)
                        assertThat(restarts).as("restarts before the routes are in place").isLessThan(2);
                        plan.routesPendingRestart().forEach(s.sim()::restart);
                        restarts++;
                        continue;
                    }
                    assertOneLinkCallPerTarget(plan);
                    boolean membership = plan.operations().stream()
                            .anyMatch(op -> !(op instanceof PlannedOperation.SetRoutes || op instanceof PlannedOperation.DeleteRoutes));
                    if (membership) {
                        // when partial records leak through the mesh, a newcomer may get a stale copy: one more round;
                        // an update_node that reaches the target only is followed by add_node: one more; and a
                        // target with k partial links gets them over k rounds (one link call per target per round)
                        int allowed = (s.sim().isLeaky() ? 2 : 1) + (s.sim().updateNodeMissesNamed ? 1 : 0) + s.desired().size();
                        assertThat(rounds).as("rounds before an empty plan; last plan %s", plan.operations()).isLessThan(allowed);
                        rounds++;
                    }
                    s.sim().apply(plan);
                    operations += plan.operations().size();
                }
                roundsNeeded[rounds]++;
                updateNodes += s.sim().updateNodes;
                assertConverged(s);
            } catch (AssertionError e) {
                throw new AssertionError("seed " + seed + ": " + e.getMessage(), e);
            }
        }
        // the generator must exercise the planner, not only hand it settled clusters
        assertThat(RANDOM_TOPOLOGIES - roundsNeeded[0]).isGreaterThan(RANDOM_TOPOLOGIES / 2);
        assertThat(operations).isGreaterThan(RANDOM_TOPOLOGIES);
        assertThat(updateNodes).as("changed subscriptions go as update_node").isGreaterThan(RANDOM_TOPOLOGIES / 20);
    }

    /**
     * At most one add_node, update_node or configure_cluster per target per round, except full newcomers'
     * add_node calls (one per newcomer, all to the main mesh's first member): compatibility row 21.
     */
    private static void assertOneLinkCallPerTarget(Plan plan) {
        Map<String, Long> linkCalls = new java.util.HashMap<>();
        for (PlannedOperation op : plan.operations()) {
            if (op instanceof AddNode || op instanceof PlannedOperation.UpdateNode || op instanceof ConfigureCluster) {
                linkCalls.merge(op.target(), 1L, Long::sum);
            }
        }
        for (PlannedOperation op : plan.operations()) {
            boolean partialLink = (op instanceof AddNode a && a.request().subscriptions() != null && !a.request().subscriptions().isEmpty())
                    || op instanceof PlannedOperation.UpdateNode;
            if (partialLink) {
                assertThat(linkCalls.get(op.target())).as("link calls to %s in %s", op.target(), plan.operations()).isEqualTo(1L);
            }
        }
    }

    @Test
    void noOperationWhenTheObservedTopologyIsTheDesiredOne() {
        for (long seed = 0; seed < 300; seed++) {
            Random rnd = new Random(seed);
            List<DesiredMember> desired = randomMembers(rnd, 1 + rnd.nextInt(30));
            List<Route> routes = randomRoutes(rnd);
            FakeHarper sim = new FakeHarper(rnd.nextBoolean()).converged(desired, routes);
            Set<String> unreachable = new TreeSet<>();
            for (DesiredMember m : desired) {
                if (rnd.nextDouble() < 0.15) unreachable.add(m.name());
            }
            sim.unreachable(unreachable.toArray(String[]::new));

            Plan plan = ReplicationPlanner.plan(sim.input(desired, Set.of(), routes, rnd.nextBoolean()));

            assertThat(plan.operations()).as("seed %d", seed).isEmpty();
            assertThat(plan.waitingFor()).as("seed %d", seed).isEqualTo(unreachable);
            assertThat(plan.strays()).isEmpty();
            assertThat(plan.routesPendingRestart()).isEmpty();
        }
    }

    @Test
    void twoHundredFreshMembersBootstrapInOneCall() {
        FakeHarper sim = new FakeHarper();
        List<DesiredMember> desired = new ArrayList<>();
        for (int i = 0; i < 200; i++) {
            desired.add(full(name(i)));
            sim.node(name(i));
        }

        PlanInput input = sim.input(desired, Set.of(), List.of(), false);
        Plan plan = ReplicationPlanner.plan(input);

        assertSendable(plan, input);
        assertThat(plan.operations()).hasSize(1);
        ConfigureCluster bootstrap = (ConfigureCluster) plan.operations().get(0);
        assertThat(bootstrap.target()).isEqualTo(name(0));
        assertThat(bootstrap.connections()).hasSize(199).extracting(AddNodeRequest::nodeName).doesNotContain(name(0));
        sim.apply(plan);
        assertThat(ReplicationPlanner.plan(sim.input(desired, Set.of(), List.of(), false)).operations()).isEmpty();
        assertThat(sim.node(name(123)).records).hasSize(199);
    }

    @Test
    void aLargeClusterChangingEverywhereSettlesInAsManyRoundsAsItsBusiestTargetHasLinks() {
        // 200 members were: 180 full in a mesh + 20 partial; now 10 full and 5 partial newcomers,
        // 5 leave, 3 full turn partial, 2 partial turn full, 4 partial change subscriptions, 2 strays pruned
        List<DesiredMember> before = new ArrayList<>();
        for (int i = 0; i < 200; i++) before.add(i < 180 ? full(name(i)) : partialMember(name(i), i));
        before.add(full("stray-a"));
        before.add(full("stray-b"));
        FakeHarper sim = new FakeHarper(true).converged(before, List.of());
        sim.eagerGossip = false;

        List<DesiredMember> desired = new ArrayList<>();
        Set<String> leaving = new TreeSet<>();
        for (int i = 0; i < 200; i++) {
            if (i >= 20 && i < 25) {
                leaving.add(name(i));
            } else if (i >= 30 && i < 33) {
                desired.add(partialMember(name(i), i));
            } else if (i >= 180 && i < 182) {
                desired.add(full(name(i)));
            } else if (i >= 190 && i < 194) {
                desired.add(partialMember(name(i), i + 1));
            } else {
                desired.add(before.get(i));
            }
        }
        for (int i = 200; i < 215; i++) {
            desired.add(i < 210 ? full(name(i)) : partialMember(name(i), i));
            sim.node(name(i));
        }

        PlanInput input = sim.input(desired, leaving, List.of(), true);
        Plan plan = ReplicationPlanner.plan(input);

        assertSendable(plan, input);
        assertThat(plan.strays()).containsExactly("stray-a", "stray-b");
        assertThat(plan.rejoining()).containsExactly(name(30), name(31), name(32), name(180), name(181));
        assertThat(plan.operations()).filteredOn(RemoveNode.class::isInstance).hasSize(5 + 2 + 5);
        for (int i = 200; i < 210; i++) {
            String newcomer = name(i);
            assertThat(plan.operations()).as("add_node naming %s", newcomer)
                    .filteredOn(op -> op instanceof AddNode a && a.request().nodeName().equals(newcomer)).hasSize(1);
        }
        // one link call per target per round: the busiest target is hdb-030, the first of the 26 partial
        // members by name, which is the target of its link with each later partial member (up to 25),
        // while every full peer has 12 partial links to make (5 newcomers, 3 turned partial, 4 changed)
        int rounds = 0;
        while (!plan.isEmpty()) {
            assertOneLinkCallPerTarget(plan);
            sim.apply(plan);
            rounds++;
            assertThat(rounds).as("rounds").isLessThanOrEqualTo(26);
            input = sim.input(desired, leaving, List.of(), true);
            plan = ReplicationPlanner.plan(input);
            assertSendable(plan, input);
        }
        assertConverged(new Scenario(-1, sim, desired, leaving, List.of(), true));
    }

    // ---- generators ---------------------------------------------------------------------------------

    private static String name(int i) {
        return String.format("hdb-%03d.hdb.ns.svc", i);
    }

    private static DesiredMember partialMember(String name, int variant) {
        return Fixtures.partial(name, sub(TABLES.get(variant % 3), true, variant % 2 == 0), sub(TABLES.get((variant + 1) % 3), false, true));
    }

    private static DesiredMember randomMember(Random rnd, String name, boolean byUrl) {
        List<Subscription> subscriptions = new ArrayList<>();
        if (rnd.nextDouble() < 0.35) {
            List<String> tables = new ArrayList<>(TABLES);
            java.util.Collections.shuffle(tables, rnd);
            for (String table : tables.subList(0, 1 + rnd.nextInt(tables.size()))) {
                subscriptions.add(sub(table, rnd.nextBoolean(), rnd.nextBoolean()));
            }
        }
        AddNodeRequest connection = byUrl
                ? AddNodeRequest.url("wss://" + name + ":9933").withAuthorization(NodeAuthorization.basic("admin", "secret")).withVerifyTls(true)
                : connection(name);
        return new DesiredMember(name, connection, subscriptions);
    }

    private static List<DesiredMember> randomMembers(Random rnd, int count) {
        List<DesiredMember> members = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            boolean byUrl = rnd.nextDouble() < 0.1;
            members.add(randomMember(rnd, byUrl ? "m" + i + ".example.com" : "m" + i, byUrl));
        }
        return members;
    }

    private static List<Route> randomRoutes(Random rnd) {
        List<Route> routes = new ArrayList<>();
        for (Route r : ROUTE_POOL) {
            if (rnd.nextBoolean()) routes.add(r);
        }
        return routes;
    }

    /**
     * A random cluster: members as they were (same, other subscriptions, or kind), some new, some
     * leaving, strays added by hand, records lost, members unreachable, routes written or not.
     */
    private static Scenario randomScenario(long seed) {
        Random rnd = new Random(seed);
        FakeHarper sim = new FakeHarper(rnd.nextBoolean());
        sim.eagerGossip = rnd.nextBoolean();
        List<DesiredMember> desired = randomMembers(rnd, 1 + rnd.nextInt(20));
        List<DesiredMember> before = new ArrayList<>();
        for (DesiredMember m : desired) {
            double r = rnd.nextDouble();
            if (r < 0.6) {
                before.add(m);
            } else if (r < 0.85) {
                before.add(randomMember(rnd, m.name(), m.connection().url() != null));
            }   // else a newcomer
            sim.node(m.name());
        }
        Set<String> leaving = new TreeSet<>();
        for (int i = rnd.nextInt(3); i > 0; i--) {
            DesiredMember gone = randomMember(rnd, "gone" + i, false);
            before.add(gone);
            leaving.add(gone.name());
            if (rnd.nextBoolean()) desired.add(gone);  // still declared while leaving (scale-down)
        }
        for (int i = rnd.nextInt(3); i > 0; i--) before.add(randomMember(rnd, "stray" + i, false));
        List<Route> routesBefore = randomRoutes(rnd);
        sim.converged(before, routesBefore);

        List<Node> nodes = new ArrayList<>(sim.nodes());
        for (Node node : nodes) {
            node.records.keySet().removeIf(peer -> rnd.nextDouble() < 0.05);
            if (rnd.nextDouble() < 0.3) node.written = null;
            if (rnd.nextDouble() < 0.2) node.loaded = null;
        }
        if (nodes.size() >= 2 && rnd.nextDouble() < 0.2) {
            // a hand-made full link between two random nodes
            Node a = nodes.get(rnd.nextInt(nodes.size()));
            Node b = nodes.get(rnd.nextInt(nodes.size()));
            if (a != b) sim.record(a.name, b.name, Rec.FULL).record(b.name, a.name, Rec.FULL);
        }
        for (Node node : nodes) {
            if (rnd.nextDouble() < (leaving.contains(node.name) ? 0.3 : 0.12)) node.reachable = false;
        }
        sim.settle();
        // its own generator, so that the topologies stay those of the seed
        sim.updateNodeMissesNamed = new Random(~seed).nextDouble() < 0.3;
        List<DesiredMember> shuffled = new ArrayList<>(desired);
        java.util.Collections.shuffle(shuffled, rnd);
        return new Scenario(seed, sim, shuffled, leaving, randomRoutes(rnd), rnd.nextBoolean());
    }

    // ---- the end state ------------------------------------------------------------------------------

    /** Between reachable staying members, every link is what the spec asks; what should go is gone. */
    private static void assertConverged(Scenario s) {
        List<DesiredMember> staying = new ArrayList<>();
        Set<String> declared = new HashSet<>(s.leaving());
        for (DesiredMember m : s.desired()) {
            declared.add(m.name());
            if (!s.leaving().contains(m.name()) && s.sim().has(m.name()) && s.sim().node(m.name()).reachable) staying.add(m);
        }
        for (DesiredMember a : staying) {
            Node node = s.sim().node(a.name());
            for (DesiredMember b : staying) {
                if (a == b) continue;
                Rec rec = node.records.get(b.name());
                List<Subscription> view = FakeHarper.expectedView(a, b);
                String link = a.name() + " -> " + b.name();
                if (view == null) {
                    assertThat(rec).as(link).isNotNull();
                    assertThat(rec.replicates()).as(link).isTrue();
                } else if (rec != null || !FakeHarper.carriesNothing(view)) {
                    assertThat(rec).as(link).isNotNull();
                    assertThat(rec.replicates()).as(link).isFalse();
                    assertThat(new HashSet<>(rec.subscriptions())).as(link).isEqualTo(new HashSet<>(view));
                }
            }
            for (String peer : node.records.keySet()) {
                assertThat(s.leaving()).as("%s still lists", a.name()).doesNotContain(peer);
                if (s.prune()) assertThat(declared).as("%s still lists a stray", a.name()).contains(peer);
            }
            List<Route> known = node.written != null ? node.written : node.loaded != null ? node.loaded : List.of();
            assertThat(new HashSet<>(known)).as("routes of %s", a.name())
                    .isEqualTo(new HashSet<>(s.routes()));
        }
    }
}

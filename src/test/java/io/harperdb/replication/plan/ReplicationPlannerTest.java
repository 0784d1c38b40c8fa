package io.harperdb.replication.plan;

import static io.harperdb.replication.plan.Fixtures.assertSendable;
import static io.harperdb.replication.plan.Fixtures.connection;
import static io.harperdb.replication.plan.Fixtures.full;
import static io.harperdb.replication.plan.Fixtures.partial;
import static io.harperdb.replication.plan.Fixtures.reversed;
import static io.harperdb.replication.plan.Fixtures.sub;
import static io.harperdb.replication.plan.Fixtures.urlOnly;
import static org.assertj.core.api.Assertions.assertThat;

import io.harperdb.replication.client.AddNodeRequest;
import io.harperdb.replication.client.NodeAuthorization;
import io.harperdb.replication.client.Route;
import io.harperdb.replication.client.UpdateNodeRequest;
import io.harperdb.replication.model.ClusterStatus;
import io.harperdb.replication.model.PeerConnection;
import io.harperdb.replication.model.Subscription;
import io.harperdb.replication.plan.FakeHarper.Rec;
import io.harperdb.replication.plan.PlannedOperation.AddNode;
import io.harperdb.replication.plan.PlannedOperation.ConfigureCluster;
import io.harperdb.replication.plan.PlannedOperation.DeleteNodeRecords;
import io.harperdb.replication.plan.PlannedOperation.DeleteRoutes;
import io.harperdb.replication.plan.PlannedOperation.RemoveNode;
import io.harperdb.replication.plan.PlannedOperation.SetRoutes;
import io.harperdb.replication.plan.PlannedOperation.UpdateNode;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

/** One rule at a time, on small clusters. Names: a, b, c full unless said; x, y partial. */
class ReplicationPlannerTest {

    private static final List<Subscription> RECEIVE_DOG = List.of(sub("dog", true, false));

    /** Plans, checks the invariants every plan keeps, and returns the plan. */
    private static Plan plan(FakeHarper sim, List<DesiredMember> desired, Set<String> leaving, List<Route> routes, boolean prune) {
        PlanInput input = sim.input(desired, leaving, routes, prune);
        Plan plan = ReplicationPlanner.plan(input);
        assertSendable(plan, input);
        return plan;
    }

    private static Plan plan(FakeHarper sim, DesiredMember... desired) {
        return plan(sim, List.of(desired), Set.of(), List.of(), false);
    }

    /** Applies the plan to the simulator and asserts that the next plan is empty. */
    private static void assertSettlesAfter(Plan plan, FakeHarper sim, DesiredMember... desired) {
        sim.apply(plan);
        assertThat(plan(sim, desired).operations()).as("plan after applying %s", plan.operations()).isEmpty();
    }

    private static AddNode addNode(String target, DesiredMember named, List<Subscription> subscriptions) {
        return new AddNode(target, named.connection().withSubscriptions(subscriptions));
    }

    private static UpdateNode updateNode(String target, DesiredMember named, List<Subscription> subscriptions) {
        return new UpdateNode(target, UpdateNodeRequest.of(named.connection(), subscriptions));
    }

    @Nested
    class Reachability {
        @Test
        void anUnreachableMemberIsNeitherSentToNorAddedAndIsReportedWaiting() {
            FakeHarper sim = new FakeHarper().mesh("a", "b").unreachable("c");
            sim.node("d");
            DesiredMember d = full("d");

            Plan plan = plan(sim, full("a"), full("b"), full("c"), d);

            assertThat(plan.operations()).containsExactly(new AddNode("a", d.connection()));
            assertThat(plan.waitingFor()).containsExactly("c");
        }

        @Test
        void aDesiredMemberNeverObservedIsWaitedFor() {
            FakeHarper sim = new FakeHarper().mesh("a", "b");

            Plan plan = plan(sim, full("a"), full("b"), full("c"));

            assertThat(plan.operations()).isEmpty();
            assertThat(plan.waitingFor()).containsExactly("c");
        }

        @Test
        void aPartialMemberIsNotLinkedToAnUnreachablePeer() {
            FakeHarper sim = new FakeHarper().mesh("a", "b").unreachable("b");
            sim.node("x");
            DesiredMember x = partial("x", RECEIVE_DOG.get(0));

            Plan plan = plan(sim, full("a"), full("b"), x);

            assertThat(plan.operations()).containsExactly(addNode("a", x, reversed(RECEIVE_DOG)));
        }
    }

    @Nested
    class Bootstrap {
        @Test
        void freshMembersGetOneConfigureClusterSentToTheFirst() {
            FakeHarper sim = new FakeHarper();
            for (String name : List.of("c", "a", "b")) sim.node(name);
            DesiredMember a = full("a");
            DesiredMember b = full("b");
            DesiredMember c = full("c");

            Plan plan = plan(sim, c, a, b);

            assertThat(plan.operations()).containsExactly(new ConfigureCluster("a", List.of(b.connection(), c.connection())));
            assertSettlesAfter(plan, sim, a, b, c);
        }

        @Test
        void aSingleMemberNeedsNothing() {
            FakeHarper sim = new FakeHarper();
            sim.node("a");

            assertThat(plan(sim, full("a")).operations()).isEmpty();
        }

        @Test
        void partialMembersAreLinkedPerPeerNotByConfigureCluster() {
            FakeHarper sim = new FakeHarper();
            for (String name : List.of("a", "b", "x")) sim.node(name);
            DesiredMember a = full("a");
            DesiredMember b = full("b");
            DesiredMember x = partial("x", RECEIVE_DOG.get(0));

            Plan plan = plan(sim, a, b, x);

            // a, sent configure_cluster, gets its link to x in the next round (one link call per target per round)
            assertThat(plan.operations()).containsExactly(
                    new ConfigureCluster("a", List.of(b.connection())),
                    addNode("b", x, reversed(RECEIVE_DOG)));
            sim.apply(plan);
            Plan next = plan(sim, a, b, x);
            assertThat(next.operations()).containsExactly(addNode("a", x, reversed(RECEIVE_DOG)));
            assertSettlesAfter(next, sim, a, b, x);
        }
    }

    @Nested
    class FullNewcomers {
        @Test
        void oneAddNodePerNewcomerSentToTheFirstMeshMember() {
            FakeHarper sim = new FakeHarper().mesh("b", "c");
            sim.node("a");
            sim.node("d");
            DesiredMember a = full("a");
            DesiredMember d = full("d");

            Plan plan = plan(sim, a, full("b"), full("c"), d);

            assertThat(plan.operations()).containsExactly(new AddNode("b", a.connection()), new AddNode("b", d.connection()));
            assertSettlesAfter(plan, sim, a, full("b"), full("c"), d);
        }

        @Test
        void aMemberWhosePeersAreUnreachableIsAlreadyAMeshNoBootstrap() {
            FakeHarper sim = new FakeHarper().mesh("a", "u").unreachable("u");
            sim.node("b");
            DesiredMember b = full("b");

            Plan plan = plan(sim, full("a"), b, full("u"));

            assertThat(plan.operations()).containsExactly(new AddNode("a", b.connection()));
        }

        @Test
        void twoSeparateMeshesAreJoinedByOneAddNode() {
            FakeHarper sim = new FakeHarper().mesh("a", "b").mesh("c", "d", "e");
            DesiredMember[] all = {full("a"), full("b"), full("c"), full("d"), full("e")};

            Plan plan = plan(sim, all);

            assertThat(plan.operations()).containsExactly(new AddNode("c", full("a").connection()));
            assertSettlesAfter(plan, sim, all);
        }

        @Test
        void aHalfLinkLeftByARemovalIsRepaired() {
            // after remove_node a, a still lists b (4.7.29 keeps its own records) but b does not list a
            FakeHarper sim = new FakeHarper().mesh("b", "c").record("a", "b", Rec.FULL).record("a", "c", Rec.FULL);

            Plan plan = plan(sim, full("a"), full("b"), full("c"));

            assertThat(plan.operations()).containsExactly(new AddNode("b", full("a").connection()));
        }
    }

    @Nested
    class PartialMembers {
        @Test
        void aPartialNewcomerIsAddedByEveryPeerWithItsSubscriptionsReversed() {
            FakeHarper sim = new FakeHarper().mesh("a", "b");
            sim.node("x");
            DesiredMember x = partial("x", sub("dog", true, false), sub("cat", true, true));
            List<Subscription> peerView = List.of(sub("cat", true, true), sub("dog", false, true));

            Plan plan = plan(sim, full("a"), full("b"), x);

            assertThat(plan.operations()).containsExactly(addNode("a", x, peerView), addNode("b", x, peerView));
            assertSettlesAfter(plan, sim, full("a"), full("b"), x);
        }

        @Test
        void aTargetGetsOneLinkCallPerRoundTheOthersInLaterRounds() {
            // examples/table-subscriptions.yaml: hq partial by the cluster default, two stores; hq (first by
            // name) is the target of both links. Two add_node calls to hq half a second apart left hq's own
            // connections dead on 4.7.29 (compatibility row 21): one per round.
            FakeHarper sim = new FakeHarper();
            for (String name : List.of("hq", "store-1", "store-2")) sim.node(name);
            DesiredMember hq = partial("hq", sub("dog", true, true), sub("cat", true, true));
            DesiredMember s1 = partial("store-1", sub("dog", true, false), sub("cat", false, true));
            DesiredMember s2 = partial("store-2", sub("dog", true, false), sub("cat", false, true));
            List<Subscription> hqView = List.of(sub("cat", true, false), sub("dog", false, true));

            Plan first = plan(sim, hq, s1, s2);
            assertThat(first.operations()).containsExactly(addNode("hq", s1, hqView));
            sim.apply(first);
            Plan second = plan(sim, hq, s1, s2);
            assertThat(second.operations()).containsExactly(addNode("hq", s2, hqView));
            assertSettlesAfter(second, sim, hq, s1, s2);
        }

        @Test
        void aPeerAlreadyLinkedWithEqualSubscriptionsGetsNothing() {
            FakeHarper sim = new FakeHarper().mesh("a", "b").partialLink("a", "x", reversed(RECEIVE_DOG));
            DesiredMember x = partial("x", RECEIVE_DOG.get(0));

            Plan plan = plan(sim, full("a"), full("b"), x);

            assertThat(plan.operations()).containsExactly(addNode("b", x, reversed(RECEIVE_DOG)));
        }

        @Test
        void aLinkSeenFromThePeerOnlyIsJudgedFromThePartialMembersSideToo() {
            // the peer's record may have come through replication of system.hdb_nodes without a link
            FakeHarper sim = new FakeHarper(true).mesh("a", "b").partialLink("a", "x", reversed(RECEIVE_DOG))
                    .record("b", "x", Rec.partial(reversed(RECEIVE_DOG)));
            DesiredMember x = partial("x", RECEIVE_DOG.get(0));

            Plan plan = plan(sim, full("a"), full("b"), x);

            assertThat(plan.operations()).containsExactly(addNode("b", x, reversed(RECEIVE_DOG)));
            assertSettlesAfter(plan, sim, full("a"), full("b"), x);
        }

        @Test
        void aRecordThatRepeatsOneEntryAndLacksAnotherIsNotAsPlanned() {
            // as many entries as planned, each a planned one, yet cat is missing: the link is made again
            DesiredMember x = partial("x", sub("dog", true, false), sub("cat", true, true));
            List<Subscription> peerView = List.of(sub("cat", true, true), sub("dog", false, true));
            FakeHarper sim = new FakeHarper().mesh("a").partialLink("a", "x", peerView)
                    .record("a", "x", Rec.partial(List.of(sub("dog", false, true), sub("dog", false, true))));

            Plan plan = plan(sim, full("a"), x);

            assertThat(plan.operations()).containsExactly(addNode("a", x, peerView));
        }

        @Test
        void changedSubscriptionsAreOneUpdateNodePerPeer() {
            FakeHarper sim = new FakeHarper().mesh("a", "b")
                    .partialLink("a", "x", reversed(RECEIVE_DOG)).partialLink("b", "x", reversed(RECEIVE_DOG));
            List<Subscription> now = List.of(sub("dog", true, true));
            DesiredMember x = partial("x", now.get(0));

            Plan plan = plan(sim, full("a"), full("b"), x);

            assertThat(plan.operations()).containsExactly(updateNode("a", x, reversed(now)), updateNode("b", x, reversed(now)));
            assertSettlesAfter(plan, sim, full("a"), full("b"), x);
        }

        @Test
        void anUpdateNodeThatReachedOnlyTheTargetDidNotTakeAndAddNodeFollows() {
            // 4.7.29 writes the named member's record first, then the target's: when the call to the
            // named member fails, the target's record alone is new, which the next observation shows
            FakeHarper sim = new FakeHarper().mesh("a", "b")
                    .partialLink("a", "x", reversed(RECEIVE_DOG)).partialLink("b", "x", reversed(RECEIVE_DOG));
            sim.updateNodeMissesNamed = true;
            List<Subscription> now = List.of(sub("dog", true, true));
            DesiredMember x = partial("x", now.get(0));
            Plan first = plan(sim, full("a"), full("b"), x);
            assertThat(first.operations()).containsExactly(updateNode("a", x, reversed(now)), updateNode("b", x, reversed(now)));

            sim.apply(first);
            assertThat(sim.node("a").records.get("x")).isEqualTo(Rec.partial(reversed(now)));
            assertThat(sim.node("x").records.get("a")).as("x's record did not follow").isEqualTo(Rec.partial(RECEIVE_DOG));
            Plan second = plan(sim, full("a"), full("b"), x);

            assertThat(second.operations()).containsExactly(addNode("a", x, reversed(now)), addNode("b", x, reversed(now)));
            assertSettlesAfter(second, sim, full("a"), full("b"), x);
        }

        @Test
        void anUpdateNodeThatReachedNeitherEndIsSentAgain() {
            // nothing in the records says it was sent (refused, or never sent): the observation is that of the change
            FakeHarper sim = new FakeHarper().mesh("a").partialLink("a", "x", reversed(RECEIVE_DOG));
            DesiredMember x = partial("x", sub("dog", true, true));

            Plan first = plan(sim, full("a"), x);
            Plan again = plan(sim, full("a"), x);

            assertThat(again).isEqualTo(first);
            assertThat(first.operations()).containsExactly(updateNode("a", x, List.of(sub("dog", true, true))));
        }

        @Test
        void aChangedLinkBetweenTwoPartialMembersIsOneUpdateNodeToTheFirstByName() {
            FakeHarper sim = new FakeHarper().partialLink("x", "y", List.of(sub("dog", true, false)));
            DesiredMember x = partial("x", sub("dog", true, true));
            DesiredMember y = partial("y", sub("dog", true, true));

            Plan plan = plan(sim, x, y);

            assertThat(plan.operations()).containsExactly(updateNode("x", y, List.of(sub("dog", true, true))));
            assertSettlesAfter(plan, sim, x, y);
        }

        @Test
        void aLinkWithOneEndMissingIsAddedNotUpdated() {
            FakeHarper sim = new FakeHarper().mesh("a").record("a", "x", Rec.partial(reversed(RECEIVE_DOG)));
            DesiredMember x = partial("x", sub("dog", true, true));

            Plan plan = plan(sim, full("a"), x);

            assertThat(plan.operations()).containsExactly(addNode("a", x, List.of(sub("dog", true, true))));
        }

        @Test
        void aMemberNamedByUrlIsUpdatedByItsHostWithItsUrl() {
            String url = "wss://x.example.com:9933";
            FakeHarper sim = new FakeHarper().mesh("a").partialLink("a", "x.example.com", reversed(RECEIVE_DOG));
            DesiredMember x = urlOnly(url, sub("dog", true, true));

            Plan plan = plan(sim, full("a"), x);

            assertThat(plan.operations()).containsExactly(updateNode("a", x, List.of(sub("dog", true, true))));
            UpdateNodeRequest request = ((UpdateNode) plan.operations().get(0)).request();
            assertThat(request.hostname()).isEqualTo("x.example.com");
            assertThat(request.url()).isEqualTo(url);
            assertSettlesAfter(plan, sim, full("a"), x);
        }

        @Test
        void equalityIgnoresOrderAndDuplicatesAndAnAbsentReplicatesFlag() {
            List<Subscription> own = List.of(sub("dog", true, false), sub("cat", false, true));
            DesiredMember x = partial("x", own.toArray(Subscription[]::new));
            List<Subscription> peerViewShuffled = List.of(sub("cat", true, false), sub("dog", false, true), sub("cat", true, false));
            Map<String, ObservedMember> observed = Map.of(
                    "a", ObservedMember.reachable("a", status("a", new PeerConnection("x", null, null, peerViewShuffled, null))),
                    "x", ObservedMember.reachable("x", status("x", new PeerConnection("a", null, false, List.of(own.get(1), own.get(0)), null))));

            Plan plan = ReplicationPlanner.plan(new PlanInput(List.of(full("a"), x), observed, Set.of(), List.of(), false));

            assertThat(plan.operations()).isEmpty();
        }

        @Test
        void aFullMemberTurningPartialIsDetachedItsStaleRecordsDeletedThenLinkedPerPeer() {
            // the recipe that worked on 4.7.29: remove_node, delete X's own records of A and B, add_node from each peer
            FakeHarper sim = new FakeHarper().mesh("a", "b", "x");
            DesiredMember x = partial("x", RECEIVE_DOG.get(0));

            Plan plan = plan(sim, full("a"), full("b"), x);

            assertThat(plan.operations()).containsExactly(
                    new RemoveNode("a", "x"),
                    new DeleteNodeRecords("x", List.of("a", "b")),
                    addNode("a", x, reversed(RECEIVE_DOG)),
                    addNode("b", x, reversed(RECEIVE_DOG)));
            assertThat(plan.rejoining()).containsExactly("x");
            assertSettlesAfter(plan, sim, full("a"), full("b"), x);
        }

        @Test
        void aPartialMemberTurningFullIsDetachedAndAddedOnceToTheMesh() {
            // unverified on a real server: the mirror of the verified full-to-partial recipe
            FakeHarper sim = new FakeHarper().mesh("a", "b")
                    .partialLink("a", "x", reversed(RECEIVE_DOG)).partialLink("b", "x", reversed(RECEIVE_DOG));
            DesiredMember x = full("x");

            Plan plan = plan(sim, full("a"), full("b"), x);

            assertThat(plan.operations()).containsExactly(
                    new RemoveNode("a", "x"),
                    new DeleteNodeRecords("x", List.of("a", "b")),
                    new AddNode("a", x.connection()));
            assertThat(plan.rejoining()).containsExactly("x");
            assertSettlesAfter(plan, sim, full("a"), full("b"), x);
        }

        @Test
        void aPartialMemberHeldInTheMeshByAStrayIsDetachedAndItsRecordOfTheStrayDeleted() {
            // x's full record of a node nobody declares would let gossip pull x back into the full mesh
            FakeHarper sim = new FakeHarper().mesh("a", "b", "handmade").record("x", "handmade", Rec.FULL)
                    .record("handmade", "x", Rec.FULL)
                    .partialLink("a", "x", reversed(RECEIVE_DOG)).partialLink("b", "x", reversed(RECEIVE_DOG));
            DesiredMember x = partial("x", RECEIVE_DOG.get(0));

            Plan plan = plan(sim, full("a"), full("b"), x);

            assertThat(plan.operations()).containsExactly(
                    new RemoveNode("a", "x"),
                    new DeleteNodeRecords("x", List.of("handmade")),
                    addNode("a", x, reversed(RECEIVE_DOG)),
                    addNode("b", x, reversed(RECEIVE_DOG)));
            assertThat(plan.strays()).containsExactly("handmade");
            assertSettlesAfter(plan, sim, full("a"), full("b"), x);
        }

        @Test
        void ofTwoFullMembersWithAPartialLinkTheOneInMostSuchLinksRejoins() {
            // c was partial: its links to a and b are partial; a and b are fully linked
            FakeHarper sim = new FakeHarper().mesh("a", "b")
                    .partialLink("a", "c", reversed(RECEIVE_DOG)).partialLink("b", "c", reversed(RECEIVE_DOG));

            Plan plan = plan(sim, full("a"), full("b"), full("c"));

            assertThat(plan.rejoining()).containsExactly("c");
            assertSettlesAfter(plan, sim, full("a"), full("b"), full("c"));
        }

        @Test
        void aLinkCarryingNothingIsNotMadeButOneSideSayingOtherwiseIsCorrected() {
            List<Subscription> nothing = List.of(sub("dog", false, false));
            DesiredMember x = partial("x", nothing.get(0));
            FakeHarper sim = new FakeHarper().mesh("a", "b").record("a", "x", Rec.partial(nothing))
                    .record("b", "x", Rec.partial(reversed(RECEIVE_DOG)));

            Plan plan = plan(sim, full("a"), full("b"), x);

            assertThat(plan.operations()).containsExactly(addNode("b", x, nothing));
            assertSettlesAfter(plan, sim, full("a"), full("b"), x);
        }

        @Test
        void withoutTheRecordDeletionAConvertedMemberWouldStayFull() {
            // the simulator keeps 4.7.29's merge: a re-add into a stale full record leaves it full
            FakeHarper sim = new FakeHarper().mesh("a", "x");
            DesiredMember x = partial("x", RECEIVE_DOG.get(0));
            sim.apply(new RemoveNode("a", "x"));
            sim.apply(addNode("a", x, reversed(RECEIVE_DOG)));

            assertThat(sim.node("x").records.get("a").replicates()).isTrue();
            Plan plan = plan(sim, full("a"), x);
            assertThat(plan.operations()).contains(new DeleteNodeRecords("x", List.of("a")));
            assertSettlesAfter(plan, sim, full("a"), x);
        }

        @Test
        void twoPartialMembersLinkOnceFromTheFirstWithWhatFlowsBetweenThem() {
            FakeHarper sim = new FakeHarper();
            sim.node("x");
            sim.node("y");
            DesiredMember x = partial("x", sub("dog", true, false), sub("cat", true, true));
            DesiredMember y = partial("y", sub("dog", true, true), sub("cat", false, true), sub("bird", true, true));

            Plan plan = plan(sim, x, y);

            // x receives dog (y publishes it) and cat; nothing flows to y (x publishes only cat, which y does not take)
            assertThat(plan.operations()).containsExactly(addNode("x", y,
                    List.of(sub("bird", false, false), sub("cat", true, false), sub("dog", true, false))));
            assertSettlesAfter(plan, sim, x, y);
        }

        @Test
        void twoPartialMembersWithNothingInCommonAreNotLinked() {
            FakeHarper sim = new FakeHarper();
            sim.node("x");
            sim.node("y");

            Plan plan = plan(sim, partial("x", sub("dog", true, false)), partial("y", sub("dog", true, false)));

            assertThat(plan.operations()).isEmpty();
        }

        @Test
        void aFullRecordWithStoredSubscriptionsStillReplicatesEverythingSoNeedsNothing() {
            // what update_node leaves on a full record (seen on 4.7.29): data keeps flowing both ways
            FakeHarper sim = new FakeHarper().mesh("a", "b").record("a", "b", new Rec(true, RECEIVE_DOG));

            assertThat(plan(sim, full("a"), full("b")).operations()).isEmpty();
        }
    }

    @Nested
    class Leaving {
        @Test
        void aLeavingMemberIsRemovedOnceByTheFirstStayingMemberListingIt() {
            FakeHarper sim = new FakeHarper().mesh("a", "b", "c");

            Plan plan = plan(sim, List.of(full("a"), full("b"), full("c")), Set.of("a"), List.of(), false);

            assertThat(plan.operations()).containsExactly(new RemoveNode("b", "a"));
            sim.apply(plan);
            assertThat(plan(sim, List.of(full("b"), full("c")), Set.of("a"), List.of(), false).operations()).isEmpty();
        }

        @Test
        void aLeavingMemberNobodyListsNeedsNothing() {
            FakeHarper sim = new FakeHarper().mesh("b", "c");
            sim.node("a");

            Plan plan = plan(sim, List.of(full("b"), full("c")), Set.of("a"), List.of(), false);

            assertThat(plan.operations()).isEmpty();
        }

        @Test
        void aLeavingMemberListedOnlyByAnUnreachableMemberWaits() {
            FakeHarper sim = new FakeHarper().mesh("a", "b").unreachable("b");

            Plan plan = plan(sim, List.of(full("b")), Set.of("a"), List.of(), false);

            assertThat(plan.operations()).isEmpty();
            assertThat(plan.waitingFor()).containsExactly("b");
        }
    }

    @Nested
    class Strays {
        @Test
        void aPeerNobodyDeclaresIsReportedButKept() {
            FakeHarper sim = new FakeHarper().mesh("a", "b", "handmade");

            Plan plan = plan(sim, full("a"), full("b"));

            assertThat(plan.strays()).containsExactly("handmade");
            assertThat(plan.operations()).isEmpty();
        }

        @Test
        void aStrayIsRemovedWhenTheUserOptsIn() {
            FakeHarper sim = new FakeHarper().mesh("a", "b", "handmade");

            Plan plan = plan(sim, List.of(full("a"), full("b")), Set.of(), List.of(), true);

            assertThat(plan.operations()).containsExactly(new RemoveNode("a", "handmade"));
            assertThat(plan.strays()).containsExactly("handmade");
        }

        @Test
        void aDrainingMemberIsNeitherAStrayNorRemovedNorLinked() {
            FakeHarper sim = new FakeHarper().mesh("a", "b", "leaver");

            Plan plan = ReplicationPlanner.plan(sim.input(List.of(full("a"), full("b")), Set.of(), List.of(), true)
                    .withDraining(Set.of("leaver")));

            assertThat(plan.strays()).isEmpty();
            assertThat(plan.operations()).isEmpty();
        }

        @Test
        void aDeclaredMemberIsNeverAStrayEvenWhenItsDeclarationIsInvalid() {
            FakeHarper sim = new FakeHarper().mesh("a", "b", "c");
            DesiredMember broken = new DesiredMember("c", AddNodeRequest.hostname("elsewhere"), List.of());

            Plan plan = plan(sim, List.of(full("a"), full("b"), broken), Set.of(), List.of(), true);

            assertThat(plan.strays()).isEmpty();
            assertThat(plan.operations()).isEmpty();
            assertThat(plan.invalid()).containsOnlyKeys("c");
        }
    }

    @Nested
    class Declarations {
        @Test
        void aNameAResourceDeclaresElsewhereIsNeverPrunedNorReportedAStray() {
            // typo.example.com is a real member whose HarperNode this plan does not get (invalid, unreachable
            // or another cluster's): it is declared, so only the hand-made peer goes
            FakeHarper sim = new FakeHarper().mesh("a", "b", "typo.example.com", "handmade");
            PlanInput input = sim.input(List.of(full("a"), full("b")), Set.of(), List.of(), true)
                    .declaredElsewhere(Set.of("typo.example.com"));

            Plan plan = ReplicationPlanner.plan(input);

            assertSendable(plan, input);
            assertThat(plan.operations()).containsExactly(new RemoveNode("a", "handmade"));
            assertThat(plan.strays()).containsExactly("handmade");
        }

        @Test
        void aStrayIsPrunedOnlyOnceThePreviousRoundReportedIt() {
            // its HarperNode may be on its way to the operator's cache: the first round only reports it
            FakeHarper sim = new FakeHarper().mesh("a", "b", "handmade", "new");
            PlanInput input = sim.input(List.of(full("a"), full("b")), Set.of(), List.of(), true).strayBefore(Set.of("handmade"));

            Plan plan = ReplicationPlanner.plan(input);

            assertSendable(plan, input);
            assertThat(plan.operations()).containsExactly(new RemoveNode("a", "handmade"));
            assertThat(plan.strays()).containsExactly("handmade", "new");
        }

        @Test
        void aNameDeclaredElsewhereThatIsLeavingIsStillRemoved() {
            // leaving wins: the caller decides what leaves (a name a staying resource declares never does)
            FakeHarper sim = new FakeHarper().mesh("a", "b", "c");
            PlanInput input = sim.input(List.of(full("a"), full("b")), Set.of("c"), List.of(), true)
                    .declaredElsewhere(Set.of("c"));

            assertThat(ReplicationPlanner.plan(input).operations()).containsExactly(new RemoveNode("a", "c"));
        }

        @Test
        void aNameDeclaredTwiceIsNeitherPlannedForNorPruned() {
            FakeHarper sim = new FakeHarper().mesh("a", "b", "c");
            sim.node("d");

            Plan plan = plan(sim, List.of(full("a"), full("b"), full("c"), full("c"), full("d"), full("d")), Set.of(), List.of(), true);

            assertThat(plan.operations()).isEmpty();
            assertThat(plan.invalid()).containsOnlyKeys("c", "d");
            assertThat(plan.strays()).isEmpty();
        }

        @Test
        void anUnreachableDeclaredMemberIsNeverPruned() {
            FakeHarper sim = new FakeHarper().mesh("a", "b", "c").unreachable("c");

            Plan plan = plan(sim, List.of(full("a"), full("b"), full("c")), Set.of(), List.of(), true);

            assertThat(plan.operations()).isEmpty();
            assertThat(plan.waitingFor()).containsExactly("c");
        }
    }

    @Nested
    class Routes {
        private final List<Route> desired = List.of(Route.of("r1.example.com"), Route.of("r2.example.com", 9933));

        @Test
        void neverWrittenRoutesAreComparedWithTheLoadedOnes() {
            FakeHarper sim = new FakeHarper().mesh("a", "b");
            sim.node("a").loaded = List.of(Route.of("r1.example.com"), Route.of("old.example.com"));
            sim.node("b").loaded = desired;

            Plan plan = plan(sim, List.of(full("a"), full("b")), Set.of(), desired, false);

            // One edit per restart: each starts from the loaded routes, so a set after a delete would undo it.
            assertThat(plan.operations()).containsExactly(new DeleteRoutes("a", List.of(Route.of("old.example.com"))));
            assertThat(plan.routesPendingRestart()).containsExactly("a");
            sim.apply(plan);
            assertThat(plan(sim, List.of(full("a"), full("b")), Set.of(), desired, false).operations())
                    .as("nothing more until a restart").isEmpty();

            sim.restart("a");
            Plan afterRestart = plan(sim, List.of(full("a"), full("b")), Set.of(), desired, false);
            assertThat(afterRestart.operations()).containsExactly(new SetRoutes("a", List.of(Route.of("r2.example.com", 9933))));
            sim.apply(afterRestart);
            sim.restart("a");
            Plan done = plan(sim, List.of(full("a"), full("b")), Set.of(), desired, false);
            assertThat(done.operations()).isEmpty();
            assertThat(done.routesPendingRestart()).isEmpty();
        }

        @Test
        void writtenRoutesWinOverLoadedOnesWhichShowOnlyAfterARestart() {
            FakeHarper sim = new FakeHarper().mesh("a");
            sim.node("a").loaded = List.of();
            sim.node("a").written = List.of(desired.get(1), desired.get(0));
            sim.node("a").config = new ArrayList<>(sim.node("a").written);

            Plan plan = plan(sim, List.of(full("a")), Set.of(), desired, false);

            assertThat(plan.operations()).isEmpty();
            assertThat(plan.routesPendingRestart()).containsExactly("a");
            sim.restart("a");
            assertThat(plan(sim, List.of(full("a")), Set.of(), desired, false).routesPendingRestart()).isEmpty();
        }

        @Test
        void unknownRoutesAreSetAndRoutesNoLongerWantedAreDeleted() {
            FakeHarper sim = new FakeHarper().mesh("a");
            Plan set = plan(sim, List.of(full("a")), Set.of(), desired, false);
            assertThat(set.operations()).containsExactly(new SetRoutes("a", desired));
            sim.apply(set);

            Plan delete = plan(sim, List.of(full("a")), Set.of(), List.of(), false);

            assertThat(delete.operations()).containsExactly(new DeleteRoutes("a", desired));
            sim.apply(delete);
            assertThat(plan(sim, List.of(full("a")), Set.of(), List.of(), false).operations()).isEmpty();
        }

        @Test
        void aRouteChangingFormIsDeletedThenSet() {
            FakeHarper sim = new FakeHarper().mesh("a");
            sim.node("a").written = List.of(Route.of("r.example.com"));

            Plan plan = plan(sim, List.of(full("a")), Set.of(), List.of(Route.of("r.example.com", 9933)), false);

            // The set starts from the loaded routes (none), so it also drops the string form.
            assertThat(plan.operations()).containsExactly(new SetRoutes("a", List.of(Route.of("r.example.com", 9933))));
        }
    }

    @Nested
    class Identity {
        @Test
        void aMemberWithoutHostnameOrUrlIsReportedAndNeverSent() {
            FakeHarper sim = new FakeHarper().mesh("a", "b");
            sim.node("");
            DesiredMember nameless = new DesiredMember("", new AddNodeRequest(null, null, false, null, null, null), List.of());

            Plan plan = plan(sim, List.of(full("a"), full("b"), nameless), Set.of(), List.of(), false);

            assertThat(plan.operations()).isEmpty();
            assertThat(plan.invalid()).containsEntry("", "has no name");
        }

        @Test
        void invalidDeclarationsAreReportedWithTheirReason() {
            FakeHarper sim = new FakeHarper();
            for (String name : List.of("a", "b", "c", "d", "e")) sim.node(name);
            List<DesiredMember> desired = List.of(
                    full("a"),
                    new DesiredMember("b", new AddNodeRequest(null, null, false, null, null, null), List.of()),
                    new DesiredMember("c", connection("c"), List.of(new Subscription("data", "dog", true, null))),
                    partial("d", sub("dog", true, false), sub("dog", false, true)),
                    full("e"), full("e"));

            Plan plan = plan(sim, desired, Set.of(), List.of(), false);

            assertThat(plan.operations()).isEmpty();
            assertThat(plan.invalid()).containsOnlyKeys("b", "c", "d", "e");
            assertThat(plan.invalid().get("b")).isEqualTo("has neither hostname nor url");
            assertThat(plan.invalid().get("c")).contains("lacks publish");
            assertThat(plan.invalid().get("d")).contains("data.dog twice");
            assertThat(plan.invalid().get("e")).isEqualTo("declared 2 times");
        }

        @Test
        void aMemberReportingAnotherNodeNameIsReportedNotAddedOverAndOver() {
            FakeHarper sim = new FakeHarper().mesh("a", "b", "10.0.0.3");
            Map<String, ObservedMember> observed = new java.util.HashMap<>(sim.observeAll());
            ObservedMember asSeen = sim.observe("10.0.0.3");
            observed.put("c", new ObservedMember("c", asSeen.status(), null, null));
            PlanInput input = new PlanInput(List.of(full("a"), full("b"), full("c")), observed, Set.of(), List.of(), true);

            Plan plan = ReplicationPlanner.plan(input);

            assertThat(plan.operations()).isEmpty();
            assertThat(plan.invalid()).containsEntry("c", "reports node_name 10.0.0.3");
            assertThat(plan.strays()).isEmpty();
        }

        @Test
        void membersDeclaredByUrlOnlyAreNamedByTheirHostAndFormAMesh() {
            // 4.7.29 lists a node added by url under the url's host; MemberResolver names such a member so
            List<DesiredMember> desired = new ArrayList<>();
            FakeHarper sim = new FakeHarper();
            for (String host : List.of("a.example.com", "b.example.com", "c.example.com")) {
                sim.node(host);
                desired.add(new DesiredMember(host, AddNodeRequest.url("wss://" + host + ":9933").withVerifyTls(false)
                        .withAuthorization(NodeAuthorization.basic("admin", "secret")), List.of()));
            }

            Plan plan = plan(sim, desired, Set.of(), List.of(), false);

            assertThat(plan.invalid()).isEmpty();
            assertThat(plan.operations()).singleElement().isInstanceOfSatisfying(ConfigureCluster.class, c -> {
                assertThat(c.target()).isEqualTo("a.example.com");
                assertThat(c.connections()).extracting(AddNodeRequest::url)
                        .containsExactly("wss://b.example.com:9933", "wss://c.example.com:9933");
            });
            sim.apply(plan);
            assertThat(plan(sim, desired, Set.of(), List.of(), false).operations()).isEmpty();
        }

        @Test
        void aUrlMemberNamedOtherwiseThanItsHostIsReported() {
            FakeHarper sim = new FakeHarper().mesh("a", "b");
            DesiredMember byWholeUrl = new DesiredMember("wss://b:9933", AddNodeRequest.url("wss://b:9933"), List.of());
            DesiredMember noHost = new DesiredMember("wss//c", AddNodeRequest.url("wss//c"), List.of());

            Plan plan = plan(sim, List.of(full("a"), byWholeUrl, noHost), Set.of(), List.of(), false);

            assertThat(plan.invalid()).containsEntry("wss://b:9933", "is named wss://b:9933 but HarperDB names its connection b")
                    .containsEntry("wss//c", "has a url without a host: wss//c");
        }

        @Test
        void noOperationShowsACredential() {
            FakeHarper sim = new FakeHarper().mesh("a", "b", "x");
            sim.node("c");
            DesiredMember x = partial("x", RECEIVE_DOG.get(0));

            Plan plan = plan(sim, full("a"), full("b"), full("c"), x);

            assertThat(plan.operations()).isNotEmpty();
            assertThat(plan.toString()).doesNotContain("secret").contains("password=***");
        }
    }

    @Nested
    class WholePlans {
        @Test
        void operationsComeInOrderRemovalsRecordsAddsUpdatesRoutes() {
            List<Subscription> old = RECEIVE_DOG;
            FakeHarper sim = new FakeHarper().mesh("a", "b", "leaver", "stray", "z")
                    .partialLink("a", "y", reversed(old)).partialLink("b", "y", reversed(old));
            sim.node("c");
            DesiredMember y = partial("y", sub("dog", true, true));
            DesiredMember z = partial("z", sub("cat", true, false));
            List<DesiredMember> desired = List.of(full("a"), full("b"), full("c"), y, z);
            List<Route> routes = List.of(Route.of("r.example.com"));

            Plan plan = plan(sim, desired, Set.of("leaver"), routes, true);

            List<String> kinds = new ArrayList<>();
            for (PlannedOperation op : plan.operations()) kinds.add(op.getClass().getSimpleName() + ":" + op.target());
            assertThat(kinds).startsWith("RemoveNode:a", "RemoveNode:a", "RemoveNode:a", "DeleteNodeRecords:z", "AddNode:a");
            assertThat(plan.operations()).map(Fixtures::phase).isSorted();
            assertThat(plan.operations()).filteredOn(op -> op instanceof SetRoutes).hasSize(5);
            // y's changed link goes as update_node to a and b, each in a round where its target has no
            // other link call (rule 10)
            List<String> updated = new ArrayList<>();
            for (int round = 0; round < 6 && !plan.isEmpty(); round++) {
                plan.operations().stream().filter(op -> op instanceof UpdateNode).forEach(op -> updated.add(op.target()));
                sim.apply(plan);
                plan = plan(sim, desired, Set.of("leaver"), routes, true);
            }
            assertThat(updated).containsExactlyInAnyOrder("a", "b");
            assertThat(plan.operations()).isEmpty();
        }

        @Test
        void theSamePlanWhateverTheOrderOfTheInput() {
            FakeHarper sim = new FakeHarper().mesh("a", "b");
            for (String name : List.of("c", "x", "y")) sim.node(name);
            List<DesiredMember> desired = new ArrayList<>(List.of(full("a"), full("b"), full("c"),
                    partial("x", sub("dog", true, false)), partial("y", sub("dog", false, true))));
            Plan first = plan(sim, desired, Set.of(), List.of(), false);

            java.util.Collections.reverse(desired);
            Plan second = plan(sim, desired, Set.of(), List.of(), false);

            assertThat(second).isEqualTo(first);
            assertThat(first.operations()).isNotEmpty();
        }
    }

    private static ClusterStatus status(String name, PeerConnection... peers) {
        return new ClusterStatus(name, "wss://" + name + ":9933", true, List.of(peers));
    }
}

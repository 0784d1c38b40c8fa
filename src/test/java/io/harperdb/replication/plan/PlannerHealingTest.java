package io.harperdb.replication.plan;

import static io.harperdb.replication.plan.Fixtures.full;
import static io.harperdb.replication.plan.Fixtures.partial;
import static io.harperdb.replication.plan.Fixtures.sub;
import static org.assertj.core.api.Assertions.assertThat;

import io.harperdb.replication.client.AddNodeRequest;
import io.harperdb.replication.model.CaInfo;
import io.harperdb.replication.model.ClusterStatus;
import io.harperdb.replication.model.DatabaseSocket;
import io.harperdb.replication.model.PeerConnection;
import io.harperdb.replication.plan.PlannedOperation.AddNode;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Set;
import javax.security.auth.x500.X500Principal;
import org.junit.jupiter.api.Test;

/**
 * The planner's healing section (docs/planner.md, "Healing"): a link between two full members that stays
 * down while both answer and nothing else is to be done gets one add_node after {@link Healing#AFTER}, then
 * one every {@link Healing#EVERY}; a member that still receives nothing over it while the other end does has its
 * workers restarted {@link Healing#RESTART_AFTER} after an add_node, at most every {@link Healing#RESTART_EVERY};
 * decided by time from since when it is down, never by counting rounds.
 */
class PlannerHealingTest {
    private static final Instant T0 = Instant.parse("2025-01-01T00:00:00Z");
    private final DesiredMember a = full("a");
    private final DesiredMember b = full("b");

    /** One round at {@code now}, handed the links down of the previous one. */
    private Plan round(Instant now, List<LinkDown> linksDown, Map<String, ObservedMember> observed, DesiredMember... desired) {
        PlanInput input = new PlanInput(List.of(desired), observed, Set.of(), List.of(), false).healing(now, linksDown);
        Plan plan = ReplicationPlanner.plan(input);
        Fixtures.assertSendable(plan, input);
        return plan;
    }

    @Test
    void aLinkDownThirtySecondsGetsOneAddNodeThenOneEveryFiveMinutes() {
        List<LinkDown> down = List.of();
        Instant now = T0;
        // many rounds in the first 30 s (events bring rounds early): none heals sooner
        for (int second = 0; second < 30; second += 2) {
            now = T0.plusSeconds(second);
            Plan plan = round(now, down, meshDown(), a, b);
            assertThat(plan.operations()).as("at %ds", second).isEmpty();
            down = plan.linksDown();
            assertThat(down).singleElement().isEqualTo(new LinkDown("a", "b", T0, null));
        }
        Plan healing = round(T0.plus(Healing.AFTER), down, meshDown(), a, b);
        assertThat(healing.operations()).containsExactly(new AddNode("a", connectionOf(b)));
        down = healing.linksDown();
        assertThat(down).containsExactly(new LinkDown("a", "b", T0, T0.plus(Healing.AFTER)));

        Instant retry = T0.plus(Healing.AFTER).plus(Healing.EVERY);
        assertThat(round(retry.minusSeconds(1), down, meshDown(), a, b).operations()).isEmpty();
        assertThat(round(retry, down, meshDown(), a, b).operations()).hasSize(1);
    }

    @Test
    void aLinkRefusedBecauseAMembersCertificateCameFromANewCaIsMendedAtOnceThenAsAnyOther() {
        // a's record of b holds the old CA; b now serves a certificate the new CA issued (a change of spec.tls's CA,
        // b restarted on it): a refuses it until add_node exchanges the CAs again, so waiting 30 s gains nothing
        X500Principal oldCa = new X500Principal("CN=harperdb-operator CA default/demo");
        X500Principal newCa = new X500Principal("CN=users CA, O=Example");
        Map<String, ObservedMember> refused = withCas(Map.of("a", oldCa, "b", newCa), Map.of(), "CN=harperdb-operator CA default/demo");

        Plan first = round(T0, List.of(), refused, a, b);

        assertThat(first.operations()).containsExactly(new AddNode("a", connectionOf(b)));
        assertThat(first.linksDown()).containsExactly(new LinkDown("a", "b", T0, T0));
        // mended once: if it stays down, the next add_node waits as any other link's
        assertThat(round(T0.plus(Healing.AFTER), first.linksDown(), refused, a, b).operations()).isEmpty();
        assertThat(round(T0.plus(Healing.EVERY), first.linksDown(), refused, a, b).operations()).hasSize(1);
    }

    @Test
    void aLinkDownBetweenMembersHoldingEachOthersCaOrWithoutKnownCasWaitsThirtySeconds() {
        X500Principal ca = new X500Principal("CN=users CA, O=Example");
        Map<String, ObservedMember> trusted = withCas(Map.of("a", ca, "b", ca), Map.of(), "O=Example\nCN=users CA");
        Map<String, ObservedMember> issuerUnknown = withCas(Map.of(), Map.of(), "CN=another CA");
        Map<String, ObservedMember> caUnknown = withCas(Map.of("a", ca, "b", new X500Principal("CN=another CA")), Map.of(), null);
        Map<String, ObservedMember> caUnreadable = withCas(Map.of("a", ca, "b", new X500Principal("CN=another CA")), Map.of(), "not a name");

        for (Map<String, ObservedMember> observed : List.of(trusted, issuerUnknown, caUnknown, caUnreadable)) {
            Plan first = round(T0, List.of(), observed, a, b);
            assertThat(first.operations()).as("%s", observed).isEmpty();
            assertThat(round(T0.plus(Healing.AFTER), first.linksDown(), observed, a, b).operations()).hasSize(1);
        }
    }

    /**
     * a and b not connected; each serves a certificate of the issuer given (none: plain http) and holds, for the other,
     * the CA whose subject is given in Node's form (one name a line; the default when not given).
     */
    private static Map<String, ObservedMember> withCas(Map<String, X500Principal> issuers, Map<String, String> holdsForOther,
                                                       String defaultHeld) {
        Map<String, ObservedMember> observed = new java.util.HashMap<>();
        for (String self : List.of("a", "b")) {
            String other = self.equals("a") ? "b" : "a";
            String held = holdsForOther.getOrDefault(self, defaultHeld);
            PeerConnection down = peer(other, false);
            PeerConnection record = new PeerConnection(down.name(), down.url(), down.replicates(), down.subscriptions(),
                    down.databaseSockets(), held == null ? null : new CaInfo(held, held, "1A"));
            observed.put(self, new ObservedMember(self, status(self, record), null, null, issuers.get(self)));
        }
        return observed;
    }

    @Test
    void aLinkThatComesBackStartsAgain() {
        List<LinkDown> down = round(T0, List.of(), meshDown(), a, b).linksDown();
        Plan up = round(T0.plusSeconds(10), down, mesh(true), a, b);
        assertThat(up.operations()).isEmpty();
        assertThat(up.linksDown()).isEmpty();
        Plan downAgain = round(T0.plusSeconds(40), up.linksDown(), meshDown(), a, b);
        assertThat(downAgain.operations()).as("down again only now").isEmpty();
        assertThat(downAgain.linksDown()).containsExactly(new LinkDown("a", "b", T0.plusSeconds(40), null));
    }

    @Test
    void aPairWithoutRecordsIsMendedToo() {
        // a deletion replicated late took the records away; gossip did not bring them back
        Map<String, ObservedMember> unrecorded = Map.of(
                "a", ObservedMember.reachable("a", new ClusterStatus("a", "wss://a:9933", true, List.of())),
                "b", ObservedMember.reachable("b", new ClusterStatus("b", "wss://b:9933", true, List.of())));
        // two lone members are bootstrapped first: configure_cluster, no healing that round
        Plan bootstrap = round(T0, List.of(), unrecorded, a, b);
        assertThat(bootstrap.operations()).singleElement().isInstanceOf(PlannedOperation.ConfigureCluster.class);
        assertThat(bootstrap.linksDown()).isEmpty();
        // with a third member meshed with both, the pair a-b without records is a gap the planner sees no other way
        DesiredMember c = full("c");
        Map<String, ObservedMember> gap = Map.of(
                "a", ObservedMember.reachable("a", status("a", peer("c", true))),
                "b", ObservedMember.reachable("b", status("b", peer("c", true))),
                "c", ObservedMember.reachable("c", status("c", peer("a", true), peer("b", true))));
        Plan first = round(T0, List.of(), gap, a, b, c);
        assertThat(first.operations()).isEmpty();
        assertThat(round(T0.plus(Healing.AFTER), first.linksDown(), gap, a, b, c).operations())
                .containsExactly(new AddNode("a", connectionOf(b)));
    }

    @Test
    void nothingIsSentForAMemberThePlannerJudgedInvalid() {
        // issue 8: the healer sent add_node wss://... for a url-only member the planner had refused
        DesiredMember misnamed = new DesiredMember("b", Fixtures.connection("b-elsewhere"), List.of());
        List<LinkDown> down = List.of(new LinkDown("a", "b", T0, null));
        Plan plan = round(T0.plus(Duration.ofHours(1)), down, meshDown(), a, misnamed);
        assertThat(plan.invalid()).containsKey("b");
        assertThat(plan.operations()).isEmpty();
        assertThat(plan.linksDown()).isEmpty();
    }

    @Test
    void partialMembersAreLeftToTheRestOfThePlanner() {
        DesiredMember partialB = partial("b", sub("dog", true, false));
        Plan plan = round(T0.plus(Duration.ofHours(1)), List.of(new LinkDown("a", "b", T0, null)), meshDown(), a, partialB);
        assertThat(plan.operations()).noneMatch(op -> op instanceof AddNode add && add.request().subscriptions() == null);
        assertThat(plan.linksDown()).isEmpty();
    }

    @Test
    void nothingIsTrackedWhileTheRestOfThePlanHasOperationsOrWithoutAClock() {
        DesiredMember c = full("c");    // a newcomer: its add_node is this round's work
        Map<String, ObservedMember> observed = Map.of(
                "a", meshDown().get("a"), "b", meshDown().get("b"),
                "c", ObservedMember.reachable("c", new ClusterStatus("c", "wss://c:9933", true, List.of())));
        Plan busy = round(T0.plus(Duration.ofHours(1)), List.of(new LinkDown("a", "b", T0, null)), observed, a, b, c);
        assertThat(busy.operations()).singleElement().isEqualTo(new AddNode("a", connectionOf(c)));
        assertThat(busy.linksDown()).as("the timer starts again once the planner is idle").isEmpty();

        Plan noClock = ReplicationPlanner.plan(new PlanInput(List.of(a, b), meshDown(), Set.of(), List.of(), false));
        assertThat(noClock.operations()).isEmpty();
        assertThat(noClock.linksDown()).isEmpty();
    }

    @Test
    void aPodEventDoesNotBringHealingSooner() {
        // rounds every 100 ms for 29 s: as many as events could bring; still nothing before 30 s
        List<LinkDown> down = List.of();
        for (long ms = 0; ms < Healing.AFTER.toMillis(); ms += 100) {
            Plan plan = round(T0.plusMillis(ms), down, meshDown(), a, b);
            assertThat(plan.operations()).isEmpty();
            down = plan.linksDown();
        }
        assertThat(round(T0.plus(Healing.AFTER), down, meshDown(), a, b).operations()).hasSize(1);
    }

    @Test
    void aPartialLinkMadeAsPlannedThatStaysDownGetsTheAddNodeThatMadeItAgain() {
        // TableSubscriptionsIT under load: hq's link to a store, records as planned, never connected
        DesiredMember store = partial("store", sub("dog", true, false));
        Map<String, ObservedMember> down = sockets(new FakeHarper().converged(List.of(a, store), List.of()).observeAll(), Set.of());

        Plan first = round(T0, List.of(), down, a, store);
        assertThat(first.operations()).isEmpty();
        assertThat(first.linksDown()).containsExactly(new LinkDown("a", "store", T0, null));
        assertThat(round(T0.plus(Healing.AFTER).minusSeconds(1), first.linksDown(), down, a, store).operations()).isEmpty();

        Plan healing = round(T0.plus(Healing.AFTER), first.linksDown(), down, a, store);
        // the full member is the target and gets the partial member's subscriptions reversed, as when it was made
        assertThat(healing.operations()).containsExactly(
                new AddNode("a", store.connection().withSubscriptions(Fixtures.reversed(store.subscriptions()))));
        assertThat(healing.linksDown()).containsExactly(new LinkDown("a", "store", T0, T0.plus(Healing.AFTER)));
    }

    @Test
    void aPartialLinkConnectedOnOneEndIsNotDown() {
        // a link that carries one way has sockets only on its receiving end
        DesiredMember store = partial("store", sub("dog", true, false));
        Map<String, ObservedMember> oneWay = sockets(new FakeHarper().converged(List.of(a, store), List.of()).observeAll(), Set.of("store"));

        Plan plan = round(T0.plus(Duration.ofHours(1)), List.of(new LinkDown("a", "store", T0, null)), oneWay, a, store);
        assertThat(plan.operations()).isEmpty();
        assertThat(plan.linksDown()).isEmpty();
    }

    @Test
    void twoLinksDownToOneTargetAreMendedOneRoundAfterTheOther() {
        // on 4.7.29 two add_node calls to one instance in quick succession left its connections dead (row 21)
        DesiredMember east = partial("east", sub("dog", true, false));
        DesiredMember west = partial("west", sub("dog", true, false));
        Map<String, ObservedMember> down = sockets(new FakeHarper().converged(List.of(a, east, west), List.of()).observeAll(), Set.of());
        List<LinkDown> since = round(T0, List.of(), down, a, east, west).linksDown();
        assertThat(since).hasSize(2);

        Plan one = round(T0.plus(Healing.AFTER), since, down, a, east, west);
        assertThat(one.operations()).singleElement().satisfies(op -> assertThat(op.target()).isEqualTo("a"));
        Plan other = round(T0.plus(Healing.AFTER).plusSeconds(2), one.linksDown(), down, a, east, west);
        assertThat(other.operations()).singleElement().satisfies(op -> assertThat(op.target()).isEqualTo("a"));
        assertThat(List.of(one.operations().get(0), other.operations().get(0)))
                .extracting(op -> ((AddNode) op).request().validated().nodeName())
                .containsExactlyInAnyOrder("east", "west");
    }

    @Test
    void aMemberThatReceivesNothingGetsTheAddNodeThenItsWorkersRestartAtMostEveryHalfHour() {
        // b's own connection to a is down for good while a's to b is up (row 29): b misses a's writes
        List<LinkDown> down = round(T0, List.of(), oneWay("b"), a, b).linksDown();
        assertThat(down).containsExactly(new LinkDown("a", "b", T0, null));

        Plan mend = round(T0.plus(Healing.AFTER), down, oneWay("b"), a, b);
        assertThat(mend.operations()).as("sent to the end that receives nothing").containsExactly(new AddNode("b", connectionOf(a)));
        Instant added = T0.plus(Healing.AFTER);
        assertThat(round(added.plus(Healing.RESTART_AFTER).minusSeconds(1), mend.linksDown(), oneWay("b"), a, b).operations()).isEmpty();

        Instant restartAt = added.plus(Healing.RESTART_AFTER);
        Plan restart = round(restartAt, mend.linksDown(), oneWay("b"), a, b);
        assertThat(restart.operations()).singleElement().isInstanceOfSatisfying(PlannedOperation.RestartWorkers.class, r -> {
            assertThat(r.target()).isEqualTo("b");
            assertThat(r.because()).contains("received nothing from a");
        });
        assertThat(restart.linksDown()).containsExactly(new LinkDown("a", "b", T0, added, restartAt));
        // the add_node goes on every 5 minutes; the next restart only after an add_node 30 minutes on
        List<LinkDown> links = restart.linksDown();
        for (Instant t = added.plus(Healing.EVERY); !t.isAfter(added.plus(Healing.RESTART_EVERY)); t = t.plus(Healing.EVERY)) {
            Plan again = round(t, links, oneWay("b"), a, b);
            assertThat(again.operations()).as("at %s", t).containsExactly(new AddNode("b", connectionOf(a)));
            Plan after = round(t.plus(Healing.RESTART_AFTER), again.linksDown(), oneWay("b"), a, b);
            if (t.plus(Healing.RESTART_AFTER).isBefore(restartAt.plus(Healing.RESTART_EVERY))) {
                assertThat(after.operations()).as("at %s", t.plus(Healing.RESTART_AFTER)).isEmpty();
            } else {
                assertThat(after.operations()).singleElement().isInstanceOf(PlannedOperation.RestartWorkers.class);
            }
            links = after.linksDown();
        }
        assertThat(links).singleElement().satisfies(l -> assertThat(l.lastRestart()).isEqualTo(added.plus(Healing.RESTART_EVERY).plus(Healing.RESTART_AFTER)));
    }

    @Test
    void aMemberDeafToTwoPeersRestartsOnceForBoth() {
        DesiredMember c = full("c");
        // c receives nothing from a nor from b; a and b receive from everyone
        Map<String, ObservedMember> observed = Map.of(
                "a", ObservedMember.reachable("a", status("a", peer("b", true), peer("c", true))),
                "b", ObservedMember.reachable("b", status("b", peer("a", true), peer("c", true))),
                "c", ObservedMember.reachable("c", status("c", peer("a", false), peer("b", false))));
        List<LinkDown> down = round(T0, List.of(), observed, a, b, c).linksDown();
        assertThat(down).hasSize(2);
        Plan first = round(T0.plus(Healing.AFTER), down, observed, a, b, c);
        assertThat(first.operations()).as("one link call per target a round").containsExactly(new AddNode("c", connectionOf(a)));
        Plan second = round(T0.plus(Healing.AFTER).plusSeconds(2), first.linksDown(), observed, a, b, c);
        assertThat(second.operations()).containsExactly(new AddNode("c", connectionOf(b)));

        Instant restartAt = T0.plus(Healing.AFTER).plusSeconds(2).plus(Healing.RESTART_AFTER);
        Plan restart = round(restartAt, second.linksDown(), observed, a, b, c);
        assertThat(restart.operations()).singleElement().isInstanceOf(PlannedOperation.RestartWorkers.class)
                .extracting(PlannedOperation::target).isEqualTo("c");
        assertThat(round(restartAt.plusSeconds(2), restart.linksDown(), observed, a, b, c).operations()).isEmpty();
    }

    @Test
    void aLinkDownAtBothEndsIsNeverARestart() {
        Plan mend = round(T0.plus(Healing.AFTER), List.of(new LinkDown("a", "b", T0, null)), meshDown(), a, b);
        Plan later = round(T0.plus(Healing.AFTER).plus(Healing.RESTART_AFTER), mend.linksDown(), meshDown(), a, b);
        assertThat(later.operations()).isEmpty();
        assertThat(later.linksDown()).singleElement().satisfies(l -> assertThat(l.lastRestart()).isNull());
    }

    @Test
    void aMemberThatReceivesNothingFromADrainingMemberHasItsWorkersRestartedOnlyAfterAMinute() {
        // the drain waits for a's connection to the leaving member d; nothing is added about d, so no add_node
        Map<String, ObservedMember> observed = Map.of(
                "a", ObservedMember.reachable("a", status("a", peer("b", true), peer("d", false))),
                "b", ObservedMember.reachable("b", status("b", peer("a", true), peer("d", true))),
                "d", ObservedMember.reachable("d", status("d", peer("a", true), peer("b", true))));
        java.util.function.BiFunction<Instant, List<LinkDown>, Plan> draining = (now, down) -> {
            PlanInput input = new PlanInput(List.of(a, b), observed, Set.of(), List.of(), false).healing(now, down)
                    .withDraining(Set.of("d"));
            Plan plan = ReplicationPlanner.plan(input);
            Fixtures.assertSendable(plan, input);
            return plan;
        };
        Plan first = draining.apply(T0, List.of());
        assertThat(first.operations()).isEmpty();
        assertThat(first.linksDown()).containsExactly(new LinkDown("a", "d", T0, null));
        Instant due = T0.plus(Healing.AFTER).plus(Healing.RESTART_AFTER);
        Plan early = draining.apply(due.minusSeconds(1), first.linksDown());
        assertThat(early.operations()).as("no add_node about a leaving member, no restart yet").isEmpty();

        Plan restart = draining.apply(due, early.linksDown());
        assertThat(restart.operations()).singleElement().isInstanceOfSatisfying(PlannedOperation.RestartWorkers.class, r -> {
            assertThat(r.target()).isEqualTo("a");
            assertThat(r.because()).contains("received nothing from d").contains("d is leaving");
        });
        assertThat(draining.apply(due.plusSeconds(2), restart.linksDown()).operations()).isEmpty();
        assertThat(draining.apply(due.plus(Healing.RESTART_EVERY), restart.linksDown()).operations())
                .singleElement().isInstanceOf(PlannedOperation.RestartWorkers.class);
    }

    @Test
    void aDrainingMemberThatReceivesNothingIsLeftAlone() {
        // d is leaving: what it does not receive does not matter
        Map<String, ObservedMember> observed = Map.of(
                "a", ObservedMember.reachable("a", status("a", peer("b", true), peer("d", true))),
                "b", ObservedMember.reachable("b", status("b", peer("a", true), peer("d", true))),
                "d", ObservedMember.reachable("d", status("d", peer("a", false), peer("b", false))));
        PlanInput input = new PlanInput(List.of(a, b), observed, Set.of(), List.of(), false)
                .healing(T0.plus(Duration.ofHours(1)), List.of(new LinkDown("a", "d", T0, null))).withDraining(Set.of("d"));
        Plan plan = ReplicationPlanner.plan(input);
        assertThat(plan.operations()).isEmpty();
        assertThat(plan.linksDown()).isEmpty();
    }

    /** a and b list each other fully; {@code deaf}'s own socket to the other is down, the other's up. */
    private static Map<String, ObservedMember> oneWay(String deaf) {
        return Map.of("a", ObservedMember.reachable("a", status("a", peer("b", !"a".equals(deaf)))),
                "b", ObservedMember.reachable("b", status("b", peer("a", !"b".equals(deaf)))));
    }

    /** {@code observed} with every database socket connected on the members in {@code connectedOn} only. */
    private static Map<String, ObservedMember> sockets(Map<String, ObservedMember> observed, Set<String> connectedOn) {
        Map<String, ObservedMember> result = new java.util.HashMap<>();
        observed.forEach((name, member) -> {
            ClusterStatus s = member.status();
            List<PeerConnection> peers = s.peers().stream().map(p -> new PeerConnection(p.name(), p.url(), p.replicates(),
                    p.subscriptions(), List.of(new DatabaseSocket("data", connectedOn.contains(name), null, null, null, null, null,
                            null, null, null, null, null)))).toList();
            result.put(name, new ObservedMember(name, new ClusterStatus(s.nodeName(), s.url(), s.isEnabled(), peers),
                    member.loadedRoutes(), member.writtenRoutes()));
        });
        return result;
    }

    private static AddNodeRequest connectionOf(DesiredMember m) {
        return m.connection().withSubscriptions(null);
    }

    private static Map<String, ObservedMember> meshDown() {
        return mesh(false);
    }

    /** a and b list each other fully; every socket connected or not. */
    private static Map<String, ObservedMember> mesh(boolean connected) {
        return Map.of("a", ObservedMember.reachable("a", status("a", peer("b", connected))),
                "b", ObservedMember.reachable("b", status("b", peer("a", connected))));
    }

    private static ClusterStatus status(String self, PeerConnection... peers) {
        return new ClusterStatus(self, "wss://" + self + ":9933", true, List.of(peers));
    }

    private static PeerConnection peer(String name, boolean connected) {
        DatabaseSocket socket = new DatabaseSocket("system", connected, null, null, null, null, null, null, null, null, null, null);
        return new PeerConnection(name, "wss://" + name + ":9933", true, null, List.of(socket));
    }
}

package io.harperdb.operator.reconciler;

import static org.assertj.core.api.Assertions.assertThat;

import io.harperdb.replication.model.ClusterStatus;
import io.harperdb.replication.model.DatabaseSocket;
import io.harperdb.replication.model.PeerConnection;
import io.harperdb.replication.model.Subscription;
import io.harperdb.replication.plan.PlannedOperation;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

class LinkHealerTest {
    private final ClusterMember a = member("a", List.of());
    private final ClusterMember b = member("b", List.of());

    @Test
    void aLinkDownFiveRoundsInARowGetsOneAddNodeThenEveryTenRounds() {
        LinkHealer healer = new LinkHealer();
        ClusterHealth down = health(false);

        for (int round = 1; round < 5; round++) {
            assertThat(healer.heal(List.of(a, b), down)).as("round %d", round).isEmpty();
        }
        List<PlannedOperation> fifth = healer.heal(List.of(a, b), down);
        assertThat(fifth).containsExactly(new PlannedOperation.AddNode("a", b.connection()));
        for (int round = 6; round < 15; round++) {
            assertThat(healer.heal(List.of(a, b), down)).as("round %d", round).isEmpty();
        }
        assertThat(healer.heal(List.of(a, b), down)).hasSize(1);
    }

    @Test
    void aLinkThatComesBackStartsTheCountAgain() {
        LinkHealer healer = new LinkHealer();
        healer.heal(List.of(a, b), health(false));
        healer.heal(List.of(a, b), health(false));
        assertThat(healer.heal(List.of(a, b), health(true))).isEmpty();
        assertThat(healer.downLinks()).isEmpty();
        assertThat(healer.heal(List.of(a, b), health(false))).isEmpty();
        assertThat(healer.heal(List.of(a, b), health(false))).isEmpty();
    }

    @Test
    void aPairWithoutRecordsIsMendedToo() {
        // a deletion replicated late took the records away; gossip did not bring them back
        LinkHealer healer = new LinkHealer();
        ClusterHealth unrecorded = new ClusterHealth(List.of(a, b), Map.of(
                "a", MemberObservation.answered("a", new ClusterStatus("a", "wss://a:9933", true, List.of()), List.of()),
                "b", MemberObservation.answered("b", new ClusterStatus("b", "wss://b:9933", true, List.of()), List.of())), Set.of());
        for (int round = 1; round < 5; round++) {
            assertThat(healer.heal(List.of(a, b), unrecorded)).isEmpty();
        }
        assertThat(healer.heal(List.of(a, b), unrecorded)).containsExactly(new PlannedOperation.AddNode("a", b.connection()));
    }

    @Test
    void nothingIsSentForAMemberThePlannerJudgedInvalid() {
        // issue 8: the healer sent add_node wss://... for a url-only member the planner had refused
        LinkHealer healer = new LinkHealer();
        for (int round = 0; round < 30; round++) {
            assertThat(healer.heal(List.of(a, b), health(false, Set.of("b")))).as("round %d", round).isEmpty();
        }
        assertThat(healer.downLinks()).isEmpty();
    }

    @Test
    void partialMembersAreLeftToThePlanner() {
        LinkHealer healer = new LinkHealer();
        ClusterMember partial = member("b", List.of(Subscription.of("data", "dog", true, false)));
        for (int round = 0; round < 12; round++) {
            assertThat(healer.heal(List.of(a, partial), health(false))).isEmpty();
        }
    }

    private ClusterHealth health(boolean connected) {
        return health(connected, Set.of());
    }

    private ClusterHealth health(boolean connected, Set<String> invalid) {
        return new ClusterHealth(List.of(a, b), Map.of(
                "a", MemberObservation.answered("a", status("a", "b", connected), List.of()),
                "b", MemberObservation.answered("b", status("b", "a", connected), List.of())), invalid);
    }

    private static ClusterStatus status(String self, String peer, boolean connected) {
        DatabaseSocket socket = new DatabaseSocket("system", connected, null, null, null, null, null, null, null, null, null, null);
        return new ClusterStatus(self, "wss://" + self + ":9933", true,
                List.of(new PeerConnection(peer, "wss://" + peer + ":9933", true, null, List.of(socket))));
    }

    private static ClusterMember member(String name, List<Subscription> subscriptions) {
        return new ClusterMember(name, name, null, "http://" + name + ":9925", false, false, subscriptions,
                new MemberCredentials("admin", "pw"), null, name);
    }
}

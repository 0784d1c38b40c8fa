package io.harperdb.operator.reconciler;

import static org.assertj.core.api.Assertions.assertThat;

import io.harperdb.replication.model.ClusterStatus;
import io.harperdb.replication.model.DatabaseSocket;
import io.harperdb.replication.model.PeerConnection;
import io.harperdb.replication.model.Subscription;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** Links are judged from each side that receives over them (compatibility rows 11, 21 and 29). */
class ClusterHealthTest {
    private static final List<Subscription> BOTH_WAYS = List.of(Subscription.of("data", "products", true, true),
            Subscription.of("data", "orders", true, true));
    private static final List<Subscription> STORE = List.of(Subscription.of("data", "products", true, false),
            Subscription.of("data", "orders", false, true));
    private static final List<Subscription> RECEIVES_ONLY = List.of(Subscription.of("data", "products", true, false));

    @Test
    void aPartialLinkIsDownWhileTheSideThatShouldReceiveShowsNoSockets() {
        // what 4.7.29 showed after two add_node calls to hq 0.5 s apart: the store's side connected, hq's dead
        ClusterMember hq = member("hq", BOTH_WAYS);
        ClusterMember store = member("store", STORE);
        ClusterHealth health = health(List.of(hq, store), Map.of("hq", false, "store", true));

        assertThat(health.linked("hq", "store")).isFalse();
        assertThat(health.linked("store", "hq")).isFalse();
        assertThat(health.ready("hq")).isFalse();
        assertThat(health.problems()).containsExactly("link hq <-> store is not connected: hq receives nothing from store");
    }

    @Test
    void aPartialLinkCarryingBothWaysIsUpWhenBothSidesShowSockets() {
        ClusterHealth health = health(List.of(member("hq", BOTH_WAYS), member("store", STORE)), Map.of("hq", true, "store", true));

        assertThat(health.linked("hq", "store")).isTrue();
        assertThat(health.readyCount()).isEqualTo(2);
    }

    @Test
    void aReceiveOnlyMemberIsJudgedFromItsOwnSide() {
        // the full peer shows the link without sockets; the partial member's own side shows them
        ClusterMember a = member("a", List.of());
        ClusterMember x = member("x", RECEIVES_ONLY);

        assertThat(health(List.of(a, x), Map.of("a", false, "x", true)).linked("a", "x")).isTrue();
        assertThat(health(List.of(a, x), Map.of("a", true, "x", false)).linked("a", "x")).isFalse();
    }

    @Test
    void twoFullMembersAreLinkedOnlyWhenBothSidesShowSockets() {
        // each side's sockets are its own connection, over which it receives the other's writes: on 4.7.29 b's
        // can die for good while a's stays up (row 29), and b then misses every write made on a
        ClusterMember a = member("a", List.of());
        ClusterMember b = member("b", List.of());

        assertThat(health(List.of(a, b), Map.of("a", true, "b", true)).linked("a", "b")).isTrue();
        ClusterHealth oneWay = health(List.of(a, b), Map.of("a", true, "b", false));
        assertThat(oneWay.linked("a", "b")).isFalse();
        assertThat(oneWay.readyCount()).isZero();
        assertThat(oneWay.problems()).containsExactly("link a <-> b is not connected: b receives nothing from a");
        ClusterHealth neither = health(List.of(a, b), Map.of("a", false, "b", false));
        assertThat(neither.linked("a", "b")).isFalse();
        assertThat(neither.problems()).containsExactly("link a <-> b is not connected");
    }

    @Test
    void aMemberNamedBothIsNamedAsTheEndThatReceivesNothing() {
        // the deaf ends are a list, not a sentinel name a member could also have
        ClusterMember both = member("both", List.of());
        ClusterMember b = member("b", List.of());

        assertThat(health(List.of(both, b), Map.of("both", false, "b", true)).problems())
                .containsExactly("link both <-> b is not connected: both receives nothing from b");
    }

    private static ClusterHealth health(List<ClusterMember> members, Map<String, Boolean> connectedSide) {
        ClusterMember first = members.get(0);
        ClusterMember second = members.get(1);
        return new ClusterHealth(members, Map.of(
                first.name(), MemberObservation.answered(first.name(), status(first.name(), second.name(), connectedSide.get(first.name())), List.of()),
                second.name(), MemberObservation.answered(second.name(), status(second.name(), first.name(), connectedSide.get(second.name())), List.of())),
                Set.of());
    }

    /** A side that shows the link connected has a connected socket; the other side none (as 4.7.29 shows it). */
    private static ClusterStatus status(String self, String peer, boolean connected) {
        List<DatabaseSocket> sockets = connected
                ? List.of(new DatabaseSocket("data", true, null, null, null, null, null, null, null, null, null, null))
                : List.of();
        return new ClusterStatus(self, "wss://" + self + ":9933", true,
                List.of(new PeerConnection(peer, "wss://" + peer + ":9933", false, null, sockets)));
    }

    private static ClusterMember member(String name, List<Subscription> subscriptions) {
        return new ClusterMember(name, name, null, "http://" + name + ":9925", false, false, subscriptions,
                new MemberCredentials("admin", "pw"), null, name);
    }
}

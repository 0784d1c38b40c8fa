package io.harperdb.operator.reconciler;

import static org.assertj.core.api.Assertions.assertThat;

import io.harperdb.replication.client.AddNodeRequest;
import io.harperdb.replication.client.NodeAuthorization;
import io.harperdb.replication.model.Subscription;
import io.harperdb.replication.plan.PlannedOperation;
import io.harperdb.replication.plan.PlannedOperation.AddNode;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

class LinkCallSpacingTest {
    private static final Instant T0 = Instant.parse("2026-01-01T00:00:00Z");
    private static final String UID = "uid-1";
    private static final List<Subscription> VIEW = List.of(Subscription.of("data", "orders", true, false));

    @Test
    void aPartialLinkCallToATargetWaitsFiveSecondsAfterTheLastLinkCallToIt() {
        LinkCallSpacing spacing = new LinkCallSpacing();
        PlannedOperation first = partial("hq", "store-1");
        assertThat(spacing.admit(UID, List.of(first), T0)).containsExactly(first);
        spacing.sent(UID, List.of(first), T0);

        PlannedOperation second = partial("hq", "store-2");
        PlannedOperation elsewhere = partial("store-1", "store-2");
        assertThat(spacing.admit(UID, List.of(second, elsewhere), T0.plusMillis(1100))).containsExactly(elsewhere);
        assertThat(spacing.admit(UID, List.of(second), T0.plusMillis(4900))).isEmpty();
        assertThat(spacing.admit(UID, List.of(second), T0.plus(LinkCallSpacing.SPACING))).containsExactly(second);
    }

    @Test
    void fullNewcomersAreNeverHeld() {
        LinkCallSpacing spacing = new LinkCallSpacing();
        PlannedOperation a = new AddNode("m0", request("n1", List.of()));
        PlannedOperation b = new AddNode("m0", request("n2", List.of()));
        spacing.sent(UID, List.of(a), T0);
        assertThat(spacing.admit(UID, List.of(b), T0.plusMillis(100))).containsExactly(b);
    }

    /** Keyed by the cluster's UID: a recreated cluster (a new UID) is not held; entries expire after the spacing. */
    @Test
    void anotherClusterIsNotHeldAndNothingOutlivesTheSpacing() {
        LinkCallSpacing spacing = new LinkCallSpacing();
        PlannedOperation call = partial("hq", "store-1");
        spacing.sent(UID, List.of(call), T0);

        assertThat(spacing.admit("uid-2", List.of(call), T0.plusMillis(100))).containsExactly(call);
        assertThat(spacing.size()).isEqualTo(1);
        spacing.admit("uid-2", List.of(), T0.plus(LinkCallSpacing.SPACING));
        assertThat(spacing.size()).isZero();
    }

    private static PlannedOperation partial(String target, String named) {
        return new AddNode(target, request(named, VIEW));
    }

    private static AddNodeRequest request(String named, List<Subscription> subscriptions) {
        return new AddNodeRequest(named, null, false, NodeAuthorization.basic("admin", "pw"), null, subscriptions);
    }
}

package io.harperdb.replication.plan;

import static org.assertj.core.api.Assertions.assertThat;

import io.harperdb.replication.client.AddNodeRequest;
import io.harperdb.replication.client.NodeAuthorization;
import io.harperdb.replication.model.Subscription;
import io.harperdb.replication.plan.PlannedOperation.AddNode;
import io.harperdb.replication.plan.PlannedOperation.ConfigureCluster;
import io.harperdb.replication.plan.PlannedOperation.DeleteNodeRecords;
import io.harperdb.replication.plan.PlannedOperation.DeleteRoutes;
import io.harperdb.replication.plan.PlannedOperation.RemoveNode;
import io.harperdb.replication.plan.PlannedOperation.SetRoutes;
import io.harperdb.replication.plan.PlannedOperation.UpdateNode;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/** Members, subscriptions and the checks every plan must pass. */
final class Fixtures {
    private Fixtures() {
    }

    static AddNodeRequest connection(String hostname) {
        return AddNodeRequest.hostname(hostname).withVerifyTls(false)
                .withAuthorization(NodeAuthorization.basic("admin", "secret-" + hostname));
    }

    static DesiredMember full(String name) {
        return DesiredMember.full(connection(name));
    }

    static DesiredMember partial(String name, Subscription... subscriptions) {
        return DesiredMember.partial(connection(name), List.of(subscriptions));
    }

    static DesiredMember urlOnly(String url, Subscription... subscriptions) {
        AddNodeRequest connection = AddNodeRequest.url(url).withVerifyTls(true)
                .withAuthorization(NodeAuthorization.basic("admin", "secret-url"));
        return DesiredMember.partial(connection, List.of(subscriptions));
    }

    static Subscription sub(String table, boolean subscribe, boolean publish) {
        return Subscription.of("data", table, subscribe, publish);
    }

    static List<Subscription> reversed(List<Subscription> subscriptions) {
        return subscriptions.stream().map(Subscription::reversed).toList();
    }

    /** The order of operation kinds a plan must keep (rule 10). */
    static int phase(PlannedOperation op) {
        if (op instanceof RemoveNode) return 0;
        if (op instanceof DeleteNodeRecords) return 1;
        if (op instanceof ConfigureCluster || op instanceof AddNode) return 2;
        if (op instanceof UpdateNode) return 3;
        if (op instanceof DeleteRoutes || op instanceof SetRoutes) return 4;
        if (op instanceof PlannedOperation.RestartWorkers) return 5;
        throw new AssertionError("unknown " + op);
    }

    /**
     * What every plan must satisfy, whatever the input: each operation goes to a reachable desired
     * member that is not leaving, names a node by a non-blank identity (a reachable desired member for
     * add_node and update_node), phases are in order, and no operation shows a secret.
     */
    static void assertSendable(Plan plan, PlanInput input) {
        Set<String> targets = new HashSet<>();
        for (DesiredMember m : input.desired()) {
            ObservedMember seen = input.observed().get(m.name());
            if (!input.leaving().contains(m.name()) && !plan.invalid().containsKey(m.name())
                    && seen != null && seen.status() != null) {
                targets.add(m.name());
            }
        }
        int lastPhase = 0;
        List<String> removed = new ArrayList<>();
        for (PlannedOperation op : plan.operations()) {
            assertThat(targets).as("target of %s", op).contains(op.target());
            assertThat(phase(op)).as("phase of %s", op).isGreaterThanOrEqualTo(lastPhase);
            lastPhase = phase(op);
            assertThat(op.toString()).doesNotContain("secret");
            for (String named : namedBy(op)) {
                assertThat(named).as("identity named by %s", op).isNotNull().isNotBlank().isNotEqualTo(op.target());
                if (!(op instanceof RemoveNode) && !(op instanceof DeleteNodeRecords)) {
                    assertThat(targets).as("node named by %s", op).contains(named);
                }
            }
            if (op instanceof RemoveNode r) {
                assertThat(removed).as("removed twice").doesNotContain(r.hostname());
                removed.add(r.hostname());
            }
        }
        for (String waiting : plan.waitingFor()) assertThat(targets).doesNotContain(waiting);
    }

    static List<String> namedBy(PlannedOperation op) {
        // may hold nulls: that is what the caller checks
        List<String> named = new ArrayList<>();
        if (op instanceof AddNode a) named.add(a.request().nodeName());
        if (op instanceof ConfigureCluster c) c.connections().forEach(r -> named.add(r.nodeName()));
        if (op instanceof UpdateNode u) named.add(u.request().hostname());
        if (op instanceof RemoveNode r) named.add(r.hostname());
        if (op instanceof DeleteNodeRecords d) named.addAll(d.ids());
        return named;
    }
}

package io.harperdb.replication.plan;

import io.harperdb.replication.client.AddNodeRequest;
import io.harperdb.replication.model.Subscription;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/**
 * A member the cluster should have.
 *
 * @param name          its HarperDB node name: the replication hostname, or the url's host when it has no
 *                      hostname (must equal {@code connection.nodeName()})
 * @param connection    the add_node template that reaches it (hostname or url, verify_tls, its admin
 *                      credentials, retain_authorization); its subscriptions are ignored
 * @param subscriptions empty = full replication; else the member's OWN view: {@code subscribe} = it
 *                      receives the table's changes from its peers, {@code publish} = it sends its own
 */
public record DesiredMember(String name, AddNodeRequest connection, List<Subscription> subscriptions) {

    public DesiredMember {
        // Not List.copyOf: a null entry is reported by the planner as a problem, not thrown here.
        subscriptions = subscriptions == null ? List.of() : Collections.unmodifiableList(new ArrayList<>(subscriptions));
    }

    public static DesiredMember full(AddNodeRequest connection) {
        return new DesiredMember(connection.nodeName(), connection, List.of());
    }

    public static DesiredMember partial(AddNodeRequest connection, List<Subscription> subscriptions) {
        return new DesiredMember(connection.nodeName(), connection, subscriptions);
    }

    public boolean isFullReplication() {
        return subscriptions.isEmpty();
    }
}

package io.harperdb.operator.reconciler;

import io.harperdb.replication.plan.PlannedOperation;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Mends links between full members that stay down while both answer and the planner has nothing to
 * do. Seen on 4.7.29: after a restart, or a remove and re-add, a member no longer trusted its peer's
 * certificate and never reconnected; and a deletion replicated late took a fresh record away, so the
 * mesh had a gap that gossip did not fill. add_node is an upsert that exchanges certificates and
 * records again, so one is sent for a link down {@link #ROUNDS_BEFORE_HEALING} rounds in a row (long
 * enough for gossip to spread a newcomer: one add_node per newcomer stays the rule), and again every
 * {@link #ROUNDS_BETWEEN_ATTEMPTS} rounds while it stays down. Only between full members: a partial
 * link may carry nothing one way and is judged by the planner; and never for a member the planner
 * judged invalid (its health says so). One instance per cluster.
 */
public final class LinkHealer {
    static final int ROUNDS_BEFORE_HEALING = 5;
    static final int ROUNDS_BETWEEN_ATTEMPTS = 10;

    private final Map<String, Integer> roundsDown = new HashMap<>();

    /** add_node operations for the links to heal this round; remembers which links are down. */
    public List<PlannedOperation> heal(List<ClusterMember> members, ClusterHealth health) {
        List<PlannedOperation> heals = new ArrayList<>();
        Map<String, Integer> stillDown = new HashMap<>();
        for (int i = 0; i < members.size(); i++) {
            for (int j = i + 1; j < members.size(); j++) {
                ClusterMember a = members.get(i);
                ClusterMember b = members.get(j);
                // never about a member the planner refused: nothing bypasses its checks
                if (!health.valid(a.name()) || !health.valid(b.name())
                        || !a.subscriptions().isEmpty() || !b.subscriptions().isEmpty() || !a.hasCredentials() || !b.hasCredentials()
                        || !health.reachable(a.name()) || !health.reachable(b.name())
                        || health.linked(a.name(), b.name())) {
                    continue;
                }
                String key = a.name() + "|" + b.name();
                int rounds = roundsDown.getOrDefault(key, 0) + 1;
                stillDown.put(key, rounds);
                if (rounds >= ROUNDS_BEFORE_HEALING && (rounds - ROUNDS_BEFORE_HEALING) % ROUNDS_BETWEEN_ATTEMPTS == 0) {
                    heals.add(new PlannedOperation.AddNode(a.name(), b.connection()));
                }
            }
        }
        roundsDown.clear();
        roundsDown.putAll(stillDown);
        return heals;
    }

    /** Links counted as down, for tests and status. */
    Set<String> downLinks() {
        return Set.copyOf(roundsDown.keySet());
    }
}

package io.harperdb.operator.reconciler;

import io.harperdb.replication.plan.PlannedOperation;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Spaces the partial-link calls sent to one member. The planner plans at most one per target per round
 * (docs/planner.md rule 10), but rounds can follow each other within a second (a status write or a node
 * event reconciles at once), and on 4.7.29 two add_node calls sent to one instance about 0.5 s, and
 * again 1.1 s, apart left that instance's own connections dead (compatibility row 21). So a partial
 * link's add_node or update_node waits until {@link #SPACING} has passed since the last link call
 * (add_node, update_node, configure_cluster) sent to the same target; the planner plans it again next
 * round. Full newcomers' add_node calls are never held.
 *
 * <p>Not per-cluster memory in the reconciler's sense: one instance for the operator, keyed by the
 * cluster's UID (a recreated cluster starts clean), and an entry lives only {@link #SPACING}: every
 * call drops the expired ones, so a deleted cluster leaves nothing behind for long.
 */
public final class LinkCallSpacing {
    static final Duration SPACING = Duration.ofSeconds(5);

    private record Target(String clusterUid, String member) {
    }

    private final Map<Target, Instant> lastCall = new ConcurrentHashMap<>();

    /** The operations to send now for the cluster {@code clusterUid}: those of {@code planned} not held back. */
    public List<PlannedOperation> admit(String clusterUid, List<PlannedOperation> planned, Instant now) {
        lastCall.values().removeIf(t -> !t.plus(SPACING).isAfter(now));
        List<PlannedOperation> admitted = new ArrayList<>(planned.size());
        for (PlannedOperation op : planned) {
            if (op.isPartialLinkCall() && lastCall.containsKey(new Target(clusterUid, op.target()))) {
                continue;
            }
            admitted.add(op);
        }
        return admitted;
    }

    /** Remembers when link calls went to their targets. */
    public void sent(String clusterUid, List<PlannedOperation> sent, Instant now) {
        for (PlannedOperation op : sent) {
            if (op.isLinkCall()) {
                lastCall.put(new Target(clusterUid, op.target()), now);
            }
        }
    }

    /** Entries held, for tests. */
    int size() {
        return lastCall.size();
    }
}

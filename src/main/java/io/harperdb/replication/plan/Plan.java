package io.harperdb.replication.plan;

import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The planner's answer.
 *
 * @param operations           to send in this order
 * @param strays               observed peers that no desired or leaving member names and no resource declares
 *                             elsewhere ({@link PlanInput#declaredElsewhere()}): added by hand
 * @param waitingFor           desired members that could not be read, so nothing is sent to or about them
 * @param routesPendingRestart members whose loaded routes differ from the desired ones: their config takes
 *                             effect only when they restart
 * @param rejoining            members detached and re-linked because they change between full and partial
 *                             replication (see {@link PlannedOperation.DeleteNodeRecords})
 * @param invalid              declared members left out of the plan, with the reason (no identity, bad
 *                             subscriptions, declared twice)
 * @param linksDown            links between full members that are down while nothing else is to be done, with
 *                             since when (see "Healing" in docs/planner.md); hand them to the next round's input
 */
public record Plan(List<PlannedOperation> operations, Set<String> strays, Set<String> waitingFor,
                   Set<String> routesPendingRestart, Set<String> rejoining, Map<String, String> invalid,
                   List<LinkDown> linksDown) {

    public Plan {
        linksDown = linksDown == null ? List.of() : List.copyOf(linksDown);
    }

    /** A plan that tracks no link down. */
    public Plan(List<PlannedOperation> operations, Set<String> strays, Set<String> waitingFor,
                Set<String> routesPendingRestart, Set<String> rejoining, Map<String, String> invalid) {
        this(operations, strays, waitingFor, routesPendingRestart, rejoining, invalid, List.of());
    }

    /** Nothing to send. */
    public boolean isEmpty() {
        return operations.isEmpty();
    }
}

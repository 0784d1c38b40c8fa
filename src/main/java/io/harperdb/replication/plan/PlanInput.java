package io.harperdb.replication.plan;

import io.harperdb.replication.client.Route;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Everything the planner looks at.
 *
 * @param desired           the members the cluster should have
 * @param observed          what was seen of each member, by name; a desired member missing here is unreachable
 * @param leaving           members to remove (scale-down, deleted HarperNode); wins over {@code desired}
 * @param desiredRoutes     {@code spec.replication.routes}, for every member
 * @param pruneUnknownNodes remove observed peers that no resource declares ({@code spec.replication.pruneUnknownNodes})
 */
public record PlanInput(List<DesiredMember> desired, Map<String, ObservedMember> observed, Set<String> leaving,
                        List<Route> desiredRoutes, boolean pruneUnknownNodes) {

    public PlanInput {
        desired = desired == null ? List.of() : List.copyOf(desired);
        observed = observed == null ? Map.of() : Map.copyOf(observed);
        leaving = leaving == null ? Set.of() : Set.copyOf(leaving);
        desiredRoutes = desiredRoutes == null ? List.of() : List.copyOf(desiredRoutes);
    }
}

package io.harperdb.replication.plan;

import io.harperdb.replication.client.Route;
import java.time.Instant;
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
 * @param now               the round's clock, for healing; null = no healing (nothing is tracked or mended)
 * @param linksDown         the links the previous plan reported down ({@link Plan#linksDown()}), with since when
 * @param draining          members that leave but are not removed yet (their writes still travel to the others):
 *                          declared, so never strays, and neither added, linked nor removed
 */
public record PlanInput(List<DesiredMember> desired, Map<String, ObservedMember> observed, Set<String> leaving,
                        List<Route> desiredRoutes, boolean pruneUnknownNodes, Instant now, List<LinkDown> linksDown,
                        Set<String> draining) {

    public PlanInput {
        desired = desired == null ? List.of() : List.copyOf(desired);
        observed = observed == null ? Map.of() : Map.copyOf(observed);
        leaving = leaving == null ? Set.of() : Set.copyOf(leaving);
        desiredRoutes = desiredRoutes == null ? List.of() : List.copyOf(desiredRoutes);
        linksDown = linksDown == null ? List.of() : List.copyOf(linksDown);
        draining = draining == null ? Set.of() : Set.copyOf(draining);
    }

    public PlanInput(List<DesiredMember> desired, Map<String, ObservedMember> observed, Set<String> leaving,
                     List<Route> desiredRoutes, boolean pruneUnknownNodes, Instant now, List<LinkDown> linksDown) {
        this(desired, observed, leaving, desiredRoutes, pruneUnknownNodes, now, linksDown, Set.of());
    }

    /** Without a clock: no healing. */
    public PlanInput(List<DesiredMember> desired, Map<String, ObservedMember> observed, Set<String> leaving,
                     List<Route> desiredRoutes, boolean pruneUnknownNodes) {
        this(desired, observed, leaving, desiredRoutes, pruneUnknownNodes, null, List.of());
    }

    /** This input at {@code now}, with the links down that the previous round reported. */
    public PlanInput healing(Instant now, List<LinkDown> linksDown) {
        return new PlanInput(desired, observed, leaving, desiredRoutes, pruneUnknownNodes, now, linksDown, draining);
    }

    /** This input with {@code draining} members (see the parameter). */
    public PlanInput withDraining(Set<String> draining) {
        return new PlanInput(desired, observed, leaving, desiredRoutes, pruneUnknownNodes, now, linksDown, draining);
    }
}

package io.harperdb.replication.plan;

import io.harperdb.replication.client.Route;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Everything the planner looks at.
 *
 * @param desired            the members the cluster should have
 * @param observed           what was seen of each member, by name; a desired member missing here is unreachable
 * @param leaving            members to remove (scale-down, deleted HarperNode); wins over {@code desired}
 * @param desiredRoutes      {@code spec.replication.routes}, for every member
 * @param pruneUnknownNodes  remove observed peers that no resource declares ({@code spec.replication.pruneUnknownNodes})
 * @param now                the round's clock, for healing; null = no healing (nothing is tracked or mended)
 * @param linksDown          the links the previous plan reported down ({@link Plan#linksDown()}), with since when
 * @param declaredElsewhere  names that resources declare without being desired members here (a declaration the
 *                           caller left out: invalid, unreachable, or another cluster's): never strays, never pruned
 * @param strayBefore        the strays the previous round reported: with {@code pruneUnknownNodes}, only these are
 *                           removed (a peer first seen as a stray may be declared by a resource the caller has not
 *                           seen yet); null: any stray is removed at once
 * @param draining           members that leave but are not removed yet (their writes still travel to the others):
 *                           declared, so never strays, and neither added, linked nor removed
 */
public record PlanInput(List<DesiredMember> desired, Map<String, ObservedMember> observed, Set<String> leaving,
                        List<Route> desiredRoutes, boolean pruneUnknownNodes, Instant now, List<LinkDown> linksDown,
                        Set<String> declaredElsewhere, Set<String> strayBefore, Set<String> draining) {

    public PlanInput {
        desired = desired == null ? List.of() : List.copyOf(desired);
        observed = observed == null ? Map.of() : Map.copyOf(observed);
        leaving = leaving == null ? Set.of() : Set.copyOf(leaving);
        desiredRoutes = desiredRoutes == null ? List.of() : List.copyOf(desiredRoutes);
        linksDown = linksDown == null ? List.of() : List.copyOf(linksDown);
        declaredElsewhere = declaredElsewhere == null ? Set.of() : Set.copyOf(declaredElsewhere);
        strayBefore = strayBefore == null ? null : Set.copyOf(strayBefore);
        draining = draining == null ? Set.of() : Set.copyOf(draining);
    }

    public PlanInput(List<DesiredMember> desired, Map<String, ObservedMember> observed, Set<String> leaving,
                     List<Route> desiredRoutes, boolean pruneUnknownNodes, Instant now, List<LinkDown> linksDown) {
        this(desired, observed, leaving, desiredRoutes, pruneUnknownNodes, now, linksDown, Set.of(), null, Set.of());
    }

    /** Without a clock: no healing; nothing declared elsewhere. */
    public PlanInput(List<DesiredMember> desired, Map<String, ObservedMember> observed, Set<String> leaving,
                     List<Route> desiredRoutes, boolean pruneUnknownNodes) {
        this(desired, observed, leaving, desiredRoutes, pruneUnknownNodes, null, List.of(), Set.of(), null, Set.of());
    }

    /** This input at {@code now}, with the links down that the previous round reported. */
    public PlanInput healing(Instant now, List<LinkDown> linksDown) {
        return new PlanInput(desired, observed, leaving, desiredRoutes, pruneUnknownNodes, now, linksDown, declaredElsewhere, strayBefore, draining);
    }

    /** This input with these names declared by resources that are not desired members here. */
    public PlanInput declaredElsewhere(Set<String> names) {
        return new PlanInput(desired, observed, leaving, desiredRoutes, pruneUnknownNodes, now, linksDown, names, strayBefore, draining);
    }

    /** This input where only these strays, reported by the previous round, may be pruned. */
    public PlanInput strayBefore(Set<String> names) {
        return new PlanInput(desired, observed, leaving, desiredRoutes, pruneUnknownNodes, now, linksDown, declaredElsewhere, names, draining);
    }

    /** This input with {@code draining} members (see the parameter). */
    public PlanInput withDraining(Set<String> draining) {
        return new PlanInput(desired, observed, leaving, desiredRoutes, pruneUnknownNodes, now, linksDown, declaredElsewhere, strayBefore, draining);
    }

    /** Whether this stray is removed: pruning is on, and the previous round already saw it a stray. */
    public boolean prunes(String stray) {
        return pruneUnknownNodes && (strayBefore == null || strayBefore.contains(stray));
    }
}

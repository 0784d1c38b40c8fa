package io.harperdb.operator.reconciler;

import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * When the StatefulSet may shrink: the leaving pods are removed from the mesh first (remove_node), and the
 * StatefulSet drops them only once no remaining member's {@code hdb_nodes} records name them. Pure.
 */
public final class ScaleDown {
    private ScaleDown() {
    }

    /**
     * The leaving members that a reachable staying member still records. When staying members exist but none
     * answers, every leaving member counts as still recorded: nothing shows that they are gone.
     */
    public static Set<String> stillRecorded(List<ClusterMember> staying, List<ClusterMember> leaving,
                                            Map<String, MemberObservation> observations) {
        Set<String> recorded = new TreeSet<>();
        List<MemberObservation> answered = staying.stream().map(m -> observations.get(m.name()))
                .filter(o -> o != null && o.reachable()).toList();
        if (answered.isEmpty() && !staying.isEmpty()) {
            leaving.forEach(m -> recorded.add(m.name()));
            return recorded;
        }
        for (ClusterMember gone : leaving) {
            if (answered.stream().anyMatch(o -> o.status().peer(gone.name()).isPresent())) {
                recorded.add(gone.name());
            }
        }
        return recorded;
    }

    /**
     * The StatefulSet's replicas: the spec's at once when growing, or when no leaving member is recorded any
     * longer; else the current count, so that the leaving pods keep running until they are out of the mesh.
     */
    public static int replicas(int desired, int current, boolean leavingStillRecorded) {
        return desired >= current || !leavingStillRecorded ? desired : current;
    }
}

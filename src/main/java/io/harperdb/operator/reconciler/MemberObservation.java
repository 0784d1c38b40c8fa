package io.harperdb.operator.reconciler;

import io.harperdb.replication.client.Outcome;
import io.harperdb.replication.client.Route;
import io.harperdb.replication.model.ClusterStatus;
import java.util.List;

/**
 * What one member answered when observed: its cluster_status and loaded routes, or why it could not
 * be read (failure and its message; null when it answered).
 */
public record MemberObservation(String member, ClusterStatus status, List<Route> loadedRoutes,
                                Outcome failure, String failureMessage) {

    public static MemberObservation answered(String member, ClusterStatus status, List<Route> routes) {
        return new MemberObservation(member, status, routes, null, null);
    }

    public static MemberObservation failed(String member, Outcome failure, String message) {
        return new MemberObservation(member, null, null, failure, message);
    }

    public boolean reachable() {
        return status != null;
    }
}

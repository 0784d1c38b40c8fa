package io.harperdb.operator.reconciler;

import io.harperdb.replication.client.Outcome;
import io.harperdb.replication.client.Route;
import io.harperdb.replication.model.ClusterStatus;
import java.util.List;
import javax.security.auth.x500.X500Principal;

/**
 * What one member answered when observed: its cluster_status, loaded routes and the issuer of the certificate it served
 * (null over plain http), or why it could not be read (failure and its message; null when it answered).
 */
public record MemberObservation(String member, ClusterStatus status, List<Route> loadedRoutes,
                                Outcome failure, String failureMessage, X500Principal certificateIssuer) {

    public static MemberObservation answered(String member, ClusterStatus status, List<Route> routes) {
        return answered(member, status, routes, null);
    }

    public static MemberObservation answered(String member, ClusterStatus status, List<Route> routes,
                                             X500Principal certificateIssuer) {
        return new MemberObservation(member, status, routes, null, null, certificateIssuer);
    }

    public static MemberObservation failed(String member, Outcome failure, String message) {
        return new MemberObservation(member, null, null, failure, message, null);
    }

    public boolean reachable() {
        return status != null;
    }
}

package io.harperdb.replication.plan;

import io.harperdb.replication.client.Route;
import io.harperdb.replication.model.ClusterStatus;
import java.util.List;
import javax.security.auth.x500.X500Principal;

/**
 * What was seen of one member.
 *
 * @param name          its HarperDB node name
 * @param status        its {@code cluster_status}; null when it could not be read (unreachable)
 * @param loadedRoutes  its {@code cluster_get_routes}: the routes loaded at its last start; null if unknown
 * @param writtenRoutes the routes the operator last wrote to its config (kept in the resource status);
 *                      null if never written
 * @param certificateIssuer the issuer of the certificate it serves, as its last answer showed; null if unknown (plain http)
 */
public record ObservedMember(String name, ClusterStatus status, List<Route> loadedRoutes, List<Route> writtenRoutes,
                             X500Principal certificateIssuer) {

    public ObservedMember {
        loadedRoutes = loadedRoutes == null ? null : List.copyOf(loadedRoutes);
        writtenRoutes = writtenRoutes == null ? null : List.copyOf(writtenRoutes);
    }

    /** A member whose certificate's issuer is not known. */
    public ObservedMember(String name, ClusterStatus status, List<Route> loadedRoutes, List<Route> writtenRoutes) {
        this(name, status, loadedRoutes, writtenRoutes, null);
    }

    public static ObservedMember reachable(String name, ClusterStatus status) {
        return new ObservedMember(name, status, null, null);
    }

    public static ObservedMember unreachable(String name) {
        return new ObservedMember(name, null, null, null);
    }

    public boolean isReachable() {
        return status != null;
    }
}

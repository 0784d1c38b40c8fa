package io.harperdb.replication.client;

import java.util.List;

/**
 * The answer to {@code cluster_set_routes} or {@code cluster_delete_routes}: the routes changed and
 * those skipped (already present, or absent). The change is written to harperdb-config.yaml and
 * takes effect when the instance restarts.
 */
public record RouteChange(String message, List<Route> changed, List<Route> skipped) {
}

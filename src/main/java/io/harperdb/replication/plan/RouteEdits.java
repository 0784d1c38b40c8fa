package io.harperdb.replication.plan;

import io.harperdb.replication.client.Route;
import io.harperdb.replication.plan.PlannedOperation.DeleteRoutes;
import io.harperdb.replication.plan.PlannedOperation.RouteEdit;
import io.harperdb.replication.plan.PlannedOperation.SetRoutes;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * How HarperDB 4.7.29 edits {@code replication.routes}, seen on real instances: both
 * {@code cluster_set_routes} and {@code cluster_delete_routes} start from the routes the instance
 * LOADED at its last start, not from its config file. So set writes {@code loaded ∪ given}, delete
 * writes {@code loaded − given}, and a second edit before a restart replaces the first. One edit per
 * restart therefore; a change that both adds and removes routes takes two restarts.
 */
public final class RouteEdits {
    private RouteEdits() {
    }

    /** The routes in the config file after {@code edit}, for an instance that loaded {@code loaded}. */
    public static List<Route> configAfter(List<Route> loaded, RouteEdit edit) {
        return edit.configAfter(loaded);
    }

    /**
     * The one edit that brings the config of a member closer to {@code desired}, or null when its
     * config (what was written, else what is loaded) already is {@code desired} or this very edit was
     * already written and waits for a restart. Removals go first: a route to a decommissioned peer
     * should not outlive the next restart.
     */
    static RouteEdit next(String member, List<Route> loaded, List<Route> written, List<Route> desired) {
        Set<Route> want = new LinkedHashSet<>(desired);
        Set<Route> load = new LinkedHashSet<>(loaded == null ? List.of() : loaded);
        Set<Route> config = written != null ? new LinkedHashSet<>(written) : load;
        if (config.equals(want)) {
            return null;
        }
        List<Route> toRemove = load.stream().filter(r -> !want.contains(r)).toList();
        List<Route> toAdd = want.stream().filter(r -> !load.contains(r)).toList();
        RouteEdit edit;
        if (!toRemove.isEmpty()) {
            edit = new DeleteRoutes(member, toRemove);
        } else if (!toAdd.isEmpty()) {
            edit = new SetRoutes(member, toAdd);
        } else {
            // Loaded is what we want, but something else was written since: undo it.
            List<Route> extra = new ArrayList<>(config);
            extra.removeAll(want);
            edit = extra.isEmpty() ? new SetRoutes(member, List.copyOf(want)) : new DeleteRoutes(member, extra);
        }
        return new LinkedHashSet<>(configAfter(loaded, edit)).equals(config) ? null : edit;
    }
}

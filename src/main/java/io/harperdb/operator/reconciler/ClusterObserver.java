package io.harperdb.operator.reconciler;

import io.harperdb.replication.client.HarperClient;
import io.harperdb.replication.client.HarperOperationException;
import io.harperdb.replication.client.Outcome;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;

/**
 * Reads cluster_status, the hdb_nodes records and cluster_get_routes of every member in parallel, so that one slow or
 * unreachable member costs one timeout, not one per member. Members without credentials are not
 * called; members without a name (neither hostname nor url) are left out: nothing can be sent to or
 * about them, and a null key would break every map built from the result.
 */
public class ClusterObserver {
    private final HarperClientFactory clients;
    private final ExecutorService executor;

    public ClusterObserver(HarperClientFactory clients, ExecutorService executor) {
        this.clients = clients;
        this.executor = executor;
    }

    public Map<String, MemberObservation> observe(List<ClusterMember> members) {
        Map<String, CompletableFuture<MemberObservation>> pending = new LinkedHashMap<>();
        for (ClusterMember member : members) {
            if (member.name() == null) {
                continue;
            }
            pending.put(member.name(), CompletableFuture.supplyAsync(() -> observe(member), executor));
        }
        Map<String, MemberObservation> result = new LinkedHashMap<>();
        pending.forEach((name, future) -> result.put(name, future.join()));
        return result;
    }

    private MemberObservation observe(ClusterMember member) {
        if (!member.hasCredentials()) {
            return MemberObservation.failed(member.name(), Outcome.UNAUTHORIZED, member.credentialsProblem());
        }
        try {
            HarperClient client = clients.clientFor(member);
            // Membership from the persisted records, link states from cluster_status (which lags removals).
            return MemberObservation.answered(member.name(),
                    client.clusterStatus().withMembership(client.nodeRecords()), client.getRoutes());
        } catch (HarperOperationException e) {
            return MemberObservation.failed(member.name(), e.outcome(), e.getMessage());
        } catch (RuntimeException e) {
            return MemberObservation.failed(member.name(), Outcome.UNREACHABLE, e.getMessage());
        }
    }
}

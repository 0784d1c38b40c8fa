package io.harperdb.operator.api;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import io.fabric8.generator.annotation.Size;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicyPeer;

import java.util.List;
import java.util.Objects;

/** A NetworkPolicy in front of a cluster's managed pods (spec.instances); opt-in. */
@JsonInclude(JsonInclude.Include.NON_NULL)
@JsonIgnoreProperties(ignoreUnknown = true)
@JsonPropertyOrder({"enabled", "operationsClients", "replicationPeers"})
public class ClusterNetworkPolicy {
    /** Peers listed per port; a NetworkPolicy's rules stay readable, and its object small. */
    public static final int MAX_PEERS = 32;

    @JsonPropertyDescription("Whether the operator keeps a NetworkPolicy (named after the cluster) that lets only the cluster's "
            + "own pods reach the replication port 9933 and only the operator's pods (and operationsClients) reach the "
            + "Operations API ports 9924 (https) and 9925; the HTTP port 9926 and the sidecar's 9950 stay open. Absent = the operator's default "
            + "(the chart's networkPolicy.enabled, off unless set). Needs a network plugin that enforces NetworkPolicies")
    private Boolean enabled;

    @Size(max = MAX_PEERS)
    @JsonPropertyDescription("Who else may reach the Operations API (ports 9924 and 9925), as NetworkPolicy peers (podSelector, "
            + "namespaceSelector, ipBlock)")
    private List<NetworkPolicyPeer> operationsClients;

    @Size(max = MAX_PEERS)
    @JsonPropertyDescription("Who else may reach the replication port (9933), as NetworkPolicy peers: the addresses of "
            + "HarperNodes outside the cluster (ipBlock), which connect to the managed pods")
    private List<NetworkPolicyPeer> replicationPeers;

    public Boolean getEnabled() {
        return enabled;
    }

    public void setEnabled(Boolean enabled) {
        this.enabled = enabled;
    }

    public List<NetworkPolicyPeer> getOperationsClients() {
        return operationsClients;
    }

    public void setOperationsClients(List<NetworkPolicyPeer> operationsClients) {
        this.operationsClients = operationsClients;
    }

    public List<NetworkPolicyPeer> getReplicationPeers() {
        return replicationPeers;
    }

    public void setReplicationPeers(List<NetworkPolicyPeer> replicationPeers) {
        this.replicationPeers = replicationPeers;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof ClusterNetworkPolicy p && Objects.equals(enabled, p.enabled)
                && Objects.equals(operationsClients, p.operationsClients) && Objects.equals(replicationPeers, p.replicationPeers);
    }

    @Override
    public int hashCode() {
        return Objects.hash(enabled, operationsClients, replicationPeers);
    }
}

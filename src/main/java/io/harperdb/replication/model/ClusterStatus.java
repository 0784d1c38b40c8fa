package io.harperdb.replication.model;

import com.fasterxml.jackson.annotation.JsonIgnore;
import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;

/** One node's answer to {@code cluster_status}: its own identity and its links to its peers. */
@JsonIgnoreProperties(ignoreUnknown = true)
@JsonInclude(JsonInclude.Include.NON_NULL)
public record ClusterStatus(
        @JsonProperty("node_name") String nodeName,
        @JsonProperty("url") String url,
        @JsonProperty("is_enabled") Boolean isEnabled,
        @JsonProperty("connections") List<PeerConnection> connections) {

    @JsonIgnore
    public List<PeerConnection> peers() {
        return connections == null ? List.of() : connections;
    }

    public Optional<PeerConnection> peer(String name) {
        return peers().stream().filter(p -> name.equals(p.name())).findFirst();
    }

    /**
     * This status without the figures that change on every read, with peers and sockets in a stable
     * order: two reads of an unchanged cluster give equal values.
     */
    public ClusterStatus withoutVolatileFigures() {
        return new ClusterStatus(nodeName, url, isEnabled,
                peers().stream()
                        .map(PeerConnection::withoutVolatileFigures)
                        .sorted(Comparator.comparing(p -> String.valueOf(p.name())))
                        .toList());
    }

    /**
     * This node's view with its persisted membership: one peer per {@code hdb_nodes} record other than
     * its own, with the record's replicates and subscriptions, and the sockets {@code cluster_status}
     * reports for it (none when it lists no link), and the CA it reports for it. Peers without a record (removed, but still in the
     * runtime state) are dropped.
     */
    public ClusterStatus withMembership(List<NodeRecord> records) {
        List<PeerConnection> members = new java.util.ArrayList<>();
        for (NodeRecord record : records) {
            if (record.name() == null || record.name().equals(nodeName)) {
                continue;
            }
            Optional<PeerConnection> link = peer(record.name());
            List<DatabaseSocket> sockets = link.map(PeerConnection::sockets).orElse(List.of());
            // the CA of this poll's cluster_status, not of the records (read less often)
            CaInfo ca = link.map(PeerConnection::caInfo).orElse(null);
            members.add(new PeerConnection(record.name(), record.url(), record.replicates(), record.subscriptions(), sockets, ca));
        }
        return new ClusterStatus(nodeName, url, isEnabled, members);
    }

    /** Equal topology, subscriptions and connection states; volatile figures are ignored. */
    public boolean sameTopologyAs(ClusterStatus other) {
        return other != null && withoutVolatileFigures().equals(other.withoutVolatileFigures());
    }
}

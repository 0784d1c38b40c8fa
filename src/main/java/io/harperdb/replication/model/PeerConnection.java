package io.harperdb.replication.model;

import com.fasterxml.jackson.annotation.JsonIgnore;
import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import java.util.Comparator;
import java.util.List;

/**
 * A node's link to one peer, as its {@code cluster_status} reports it; {@code caInfo} is the CA it verifies the
 * peer's certificate against (null when not reported).
 */
@JsonIgnoreProperties(ignoreUnknown = true)
@JsonInclude(JsonInclude.Include.NON_NULL)
public record PeerConnection(
        @JsonProperty("name") String name,
        @JsonProperty("url") String url,
        @JsonProperty("replicates") Boolean replicates,
        @JsonProperty("subscriptions") List<Subscription> subscriptions,
        @JsonProperty("database_sockets") List<DatabaseSocket> databaseSockets,
        @JsonProperty("ca_info") CaInfo caInfo) {

    /** A link whose CA is not known (before 4.7, or not read). */
    public PeerConnection(String name, String url, Boolean replicates, List<Subscription> subscriptions,
                          List<DatabaseSocket> databaseSockets) {
        this(name, url, replicates, subscriptions, databaseSockets, null);
    }

    @JsonIgnore
    public List<DatabaseSocket> sockets() {
        return databaseSockets == null ? List.of() : databaseSockets;
    }

    /**
     * Every database socket of this link is connected. A link without sockets is not connected:
     * HarperDB lists a peer whose link is down, or one it only publishes to, without sockets.
     */
    @JsonIgnore
    public boolean isConnected() {
        List<DatabaseSocket> sockets = sockets();
        // a loop, not a stream: the planner asks this of every record of every member each poll
        for (DatabaseSocket socket : sockets) {
            if (!socket.isConnected()) return false;
        }
        return !sockets.isEmpty();
    }

    PeerConnection withoutVolatileFigures() {
        return new PeerConnection(name, url, replicates, subscriptions,
                sockets().stream()
                        .map(DatabaseSocket::withoutVolatileFigures)
                        .sorted(Comparator.comparing(s -> String.valueOf(s.database())))
                        .toList(), caInfo);
    }
}

package io.harperdb.replication.model;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import java.util.List;

/**
 * A record of {@code system.hdb_nodes}: the persisted membership. It replicates to every member and,
 * unlike {@code cluster_status} (runtime state, seen to lag a remove_node by over a minute), changes
 * as soon as an operation succeeds. A node keeps a record of itself too.
 */
@JsonIgnoreProperties(ignoreUnknown = true)
@JsonInclude(JsonInclude.Include.NON_NULL)
public record NodeRecord(
        @JsonProperty("name") String name,
        @JsonProperty("url") String url,
        @JsonProperty("replicates") Boolean replicates,
        @JsonProperty("subscriptions") List<Subscription> subscriptions) {
}

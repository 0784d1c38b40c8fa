package io.harperdb.replication.client;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import io.harperdb.replication.model.Subscription;
import java.util.List;

/** The body of {@code update_node}: new subscriptions for a known node (HarperDB upserts). */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record UpdateNodeRequest(
        @JsonProperty("hostname") String hostname,
        @JsonProperty("subscriptions") List<Subscription> subscriptions) {

    public UpdateNodeRequest {
        subscriptions = subscriptions == null ? null : List.copyOf(subscriptions);
    }

    public UpdateNodeRequest validated() {
        if (hostname == null || hostname.isBlank()) {
            throw new InvalidRequestException("update_node needs the hostname of the node to update");
        }
        if (subscriptions == null) {
            throw new InvalidRequestException("update_node of " + hostname + " needs subscriptions");
        }
        RequestValidation.requireCompleteSubscriptions(subscriptions);
        return this;
    }
}

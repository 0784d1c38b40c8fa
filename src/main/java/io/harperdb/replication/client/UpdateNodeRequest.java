package io.harperdb.replication.client;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import io.harperdb.replication.model.Subscription;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/** The body of {@code update_node}: new subscriptions for a known node (HarperDB upserts). */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record UpdateNodeRequest(
        @JsonProperty("hostname") String hostname,
        @JsonProperty("subscriptions") List<Subscription> subscriptions) {

    public UpdateNodeRequest {
        // a copy that keeps null entries, so that validated() refuses them with a clear message
        subscriptions = subscriptions == null ? null : Collections.unmodifiableList(new ArrayList<>(subscriptions));
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

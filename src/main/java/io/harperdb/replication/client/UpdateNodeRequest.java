package io.harperdb.replication.client;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import io.harperdb.replication.model.Subscription;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/**
 * The body of {@code update_node}: new subscriptions for a known node (HarperDB upserts). On 4.7.29
 * update_node runs add_node's code: it calls the named node (which rewrites its own record, reversed)
 * and then rewrites the receiving node's record. So it takes the same connection fields as add_node
 * ({@link #of(AddNodeRequest, List)}): without {@code verify_tls: false} and the named node's
 * authorization that call can fail on self-signed certificates. {@link #toString()} hides the
 * authorization.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record UpdateNodeRequest(
        @JsonProperty("hostname") String hostname,
        @JsonProperty("url") String url,
        @JsonProperty("verify_tls") Boolean verifyTls,
        @JsonProperty("authorization") NodeAuthorization authorization,
        @JsonProperty("retain_authorization") Boolean retainAuthorization,
        @JsonProperty("subscriptions") List<Subscription> subscriptions) {

    public UpdateNodeRequest {
        // a copy that keeps null entries, so that validated() refuses them with a clear message
        subscriptions = subscriptions == null ? null : Collections.unmodifiableList(new ArrayList<>(subscriptions));
    }

    /** Only the node's name and its new subscriptions. */
    public UpdateNodeRequest(String hostname, List<Subscription> subscriptions) {
        this(hostname, null, null, null, null, subscriptions);
    }

    /** The node {@code connection} reaches (named by its node name), with the same connection fields, and these subscriptions. */
    public static UpdateNodeRequest of(AddNodeRequest connection, List<Subscription> subscriptions) {
        return new UpdateNodeRequest(connection.nodeName(), connection.url(), connection.verifyTls(),
                connection.authorization(), connection.retainAuthorization(), subscriptions);
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

    @Override
    public String toString() {
        return "UpdateNodeRequest[" + hostname + (url == null ? "" : ", url=" + url) + ", verifyTls=" + verifyTls
                + ", authorization=" + (authorization == null ? "none" : authorization)
                + ", retainAuthorization=" + retainAuthorization + ", subscriptions=" + subscriptions + "]";
    }
}

package io.harperdb.replication.client;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import io.harperdb.replication.model.Subscription;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/**
 * The body of {@code add_node} (also each entry of {@code configure_cluster}): the node to connect
 * to, named by hostname or url. {@code subscriptions} null or empty means full replication.
 * {@link #toString()} hides the authorization.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record AddNodeRequest(
        @JsonProperty("hostname") String hostname,
        @JsonProperty("url") String url,
        @JsonProperty("verify_tls") Boolean verifyTls,
        @JsonProperty("authorization") NodeAuthorization authorization,
        @JsonProperty("retain_authorization") Boolean retainAuthorization,
        @JsonProperty("subscriptions") List<Subscription> subscriptions) {

    public static AddNodeRequest hostname(String hostname) {
        return new AddNodeRequest(hostname, null, null, null, null, null);
    }

    public static AddNodeRequest url(String url) {
        return new AddNodeRequest(null, url, null, null, null, null);
    }

    public AddNodeRequest withVerifyTls(boolean verify) {
        return new AddNodeRequest(hostname, url, verify, authorization, retainAuthorization, subscriptions);
    }

    public AddNodeRequest withAuthorization(NodeAuthorization auth) {
        return new AddNodeRequest(hostname, url, verifyTls, auth, retainAuthorization, subscriptions);
    }

    public AddNodeRequest withRetainAuthorization(boolean retain) {
        return new AddNodeRequest(hostname, url, verifyTls, authorization, retain, subscriptions);
    }

    public AddNodeRequest withSubscriptions(List<Subscription> subs) {
        return new AddNodeRequest(hostname, url, verifyTls, authorization, retainAuthorization,
                // a copy that keeps null entries, so that validated() refuses them with a clear message
                subs == null ? null : Collections.unmodifiableList(new ArrayList<>(subs)));
    }

    /** The node's identity as HarperDB names it: the hostname, or else the url. */
    public String identity() {
        return hostname != null && !hostname.isBlank() ? hostname : url;
    }

    /** Refuses what HarperDB would accept and break on (a node without identity stores "undefined"). */
    public AddNodeRequest validated() {
        RequestValidation.requireIdentity(hostname, url);
        RequestValidation.requireCompleteSubscriptions(subscriptions);
        return this;
    }

    @Override
    public String toString() {
        return "AddNodeRequest[" + identity() + ", verifyTls=" + verifyTls
                + ", authorization=" + (authorization == null ? "none" : authorization)
                + ", retainAuthorization=" + retainAuthorization + ", subscriptions=" + subscriptions + "]";
    }
}

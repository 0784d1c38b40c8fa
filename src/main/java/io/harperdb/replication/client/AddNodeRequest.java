package io.harperdb.replication.client;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import io.harperdb.replication.model.Subscription;
import java.net.URI;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;

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

    /** What the request names the node by: the hostname, or else the url. */
    public String identity() {
        return hostname != null && !hostname.isBlank() ? hostname : url;
    }

    /**
     * The name HarperDB gives the node: the hostname, or else the url's host. Seen on 4.7.29: a node added
     * by url only is listed under its host in cluster_status and system.hdb_nodes (add_node takes
     * {@code new URL(url).hostname}, and the record is stored under the name the node answers with, its
     * own replication hostname). Null when there is neither, or the url has no host.
     */
    public String nodeName() {
        return hostname != null && !hostname.isBlank() ? hostname : hostOf(url);
    }

    /** The host of a replication url as HarperDB reads it (WHATWG URL: lower case); null when it has none. */
    public static String hostOf(String url) {
        if (url == null || url.isBlank()) {
            return null;
        }
        try {
            String host = URI.create(url).getHost();
            return host == null || host.isBlank() ? null : host.toLowerCase(Locale.ROOT);
        } catch (IllegalArgumentException e) {
            return null;
        }
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

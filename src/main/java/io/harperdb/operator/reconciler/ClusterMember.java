package io.harperdb.operator.reconciler;

import io.harperdb.replication.client.AddNodeRequest;
import io.harperdb.replication.client.NodeAuthorization;
import io.harperdb.replication.model.Subscription;
import java.util.List;

/**
 * One member of a cluster as the operator sees it, whatever declared it (a HarperNode or a managed
 * pod): its replication identity, where its Operations API answers, and its credentials, or why
 * they could not be had.
 *
 * @param name               its HarperDB node name: the replication hostname, or the url's host when it has none
 * @param subscriptions      its own subscriptions; empty = full replication
 * @param credentials        null when {@code credentialsProblem} says why
 * @param credentialsProblem null when the credentials were read
 * @param resourceName       the Kubernetes resource that declares it (HarperNode or pod name)
 * @param trust              how the operator verifies the certificate of its Operations API
 */
public record ClusterMember(String name, String hostname, String url, String operationsUrl, boolean verifyTls,
                            boolean retainAuthorization, List<Subscription> subscriptions,
                            MemberCredentials credentials, String credentialsProblem, String resourceName,
                            OperationsTrust trust) {

    /** A member whose Operations API is trusted as {@code verifyTls} says (system CAs, or any certificate). */
    public ClusterMember(String name, String hostname, String url, String operationsUrl, boolean verifyTls,
                         boolean retainAuthorization, List<Subscription> subscriptions,
                         MemberCredentials credentials, String credentialsProblem, String resourceName) {
        this(name, hostname, url, operationsUrl, verifyTls, retainAuthorization, subscriptions, credentials,
                credentialsProblem, resourceName, OperationsTrust.managed(verifyTls));
    }

    public ClusterMember {
        trust = trust == null ? OperationsTrust.managed(verifyTls) : trust;
    }

    public boolean hasCredentials() {
        return credentials != null;
    }

    /** Whether the operator can call it: it has credentials and a usable trust for its certificate. */
    public boolean contactable() {
        return credentials != null && trust.problem() == null;
    }

    /** Why it cannot be called ({@link #contactable()} is false), or null. */
    public String contactProblem() {
        return credentials == null ? credentialsProblem : trust.problem();
    }

    /** The add_node body that reaches this member, without subscriptions (the planner adds them). */
    public AddNodeRequest connection() {
        AddNodeRequest request = hostname != null && !hostname.isBlank()
                ? AddNodeRequest.hostname(hostname)
                : AddNodeRequest.url(url);
        request = request.withVerifyTls(verifyTls);
        if (credentials != null) {
            request = request.withAuthorization(NodeAuthorization.basic(credentials.username(), credentials.password()));
        }
        return retainAuthorization ? request.withRetainAuthorization(true) : request;
    }
}

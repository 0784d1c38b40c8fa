package io.harperdb.operator.api;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import io.fabric8.generator.annotation.Default;
import io.fabric8.generator.annotation.Pattern;
import io.fabric8.generator.annotation.Required;
import io.fabric8.generator.annotation.Size;
import io.fabric8.generator.annotation.ValidationRule;

import java.util.List;
import java.util.Objects;

/** The desired state of a HarperNode: one member of a HarperCluster. */
@JsonInclude(JsonInclude.Include.NON_NULL)
@JsonIgnoreProperties(ignoreUnknown = true)
@JsonPropertyOrder({"clusterRef", "hostname", "url", "operationsUrl", "verifyTls", "caBundleSecret",
        "authorizationSecret",
        "retainAuthorization", "subscriptions"})
// HarperDB accepts an add_node without either and then stores a node named "undefined".
@ValidationRule(value = "has(self.hostname) || has(self.url)", message = "hostname or url is required")
public class HarperNodeSpec {

    @Required
    @Pattern(ApiPatterns.DNS1123_SUBDOMAIN)
    @Size(max = 253)
    // Moving a node to another cluster is a remove_node and an add_node: delete and create the HarperNode.
    @ValidationRule(value = "self == oldSelf", message = "clusterRef is immutable")
    @JsonPropertyDescription("Name of the HarperCluster in the same namespace that this node is a member of; immutable")
    private String clusterRef;

    @Pattern(ApiPatterns.HOSTNAME)
    @Size(max = 253)
    @JsonPropertyDescription("The node's replication hostname (its HarperDB node name); this or url is required")
    private String hostname;

    @Size(max = 2048)
    @Pattern(ApiPatterns.URL)
    @ValidationRule(value = "self.startsWith('wss://') || self.startsWith('ws://')",
            message = "url must start with wss:// or ws://")
    @JsonPropertyDescription("The node's replication URL, such as wss://east-1.example.com:9933; this or hostname is required")
    private String url;

    @Size(max = 2048)
    @Pattern(ApiPatterns.URL)
    @ValidationRule(value = "self.startsWith('https://') || self.startsWith('http://')",
            message = "operationsUrl must start with https:// or http://")
    @JsonPropertyDescription("Where the node's Operations API answers, such as https://east-1.example.com:9925")
    private String operationsUrl;

    @JsonPropertyDescription("Whether the node's certificate is verified, by its peers (add_node's verify_tls) and by the "
            + "operator on its https operationsUrl; absent = the cluster's tls.verify. false makes the operator accept any "
            + "certificate and check no hostname, and the HarperNode's TlsVerificationDisabled condition says so")
    private Boolean verifyTls;

    @JsonPropertyDescription("Secret key with the PEM CA certificates that the operator trusts for this node's https "
            + "operationsUrl (the hostname is checked too); absent = the system's trusted CAs. Unused when verifyTls is false")
    private CaBundleSecret caBundleSecret;

    @JsonPropertyDescription("Secret with keys username and password of a super_user on the node")
    private SecretReference authorizationSecret;

    @Default("false")
    @JsonPropertyDescription("Whether HarperDB keeps the authorization for later connections (retain_authorization)")
    private Boolean retainAuthorization = false;

    @Size(max = Subscription.MAX_PER_LIST)
    @ValidationRule(value = Subscription.UNIQUE_TABLES_RULE, message = Subscription.UNIQUE_TABLES_MESSAGE)
    @JsonPropertyDescription("This node's own subscriptions; absent = the cluster's replication.subscriptions")
    private List<Subscription> subscriptions;

    public String getClusterRef() {
        return clusterRef;
    }

    public void setClusterRef(String clusterRef) {
        this.clusterRef = clusterRef;
    }

    public String getHostname() {
        return hostname;
    }

    public void setHostname(String hostname) {
        this.hostname = hostname;
    }

    public String getUrl() {
        return url;
    }

    public void setUrl(String url) {
        this.url = url;
    }

    public String getOperationsUrl() {
        return operationsUrl;
    }

    public void setOperationsUrl(String operationsUrl) {
        this.operationsUrl = operationsUrl;
    }

    public Boolean getVerifyTls() {
        return verifyTls;
    }

    public void setVerifyTls(Boolean verifyTls) {
        this.verifyTls = verifyTls;
    }

    public CaBundleSecret getCaBundleSecret() {
        return caBundleSecret;
    }

    public void setCaBundleSecret(CaBundleSecret caBundleSecret) {
        this.caBundleSecret = caBundleSecret;
    }

    public SecretReference getAuthorizationSecret() {
        return authorizationSecret;
    }

    public void setAuthorizationSecret(SecretReference authorizationSecret) {
        this.authorizationSecret = authorizationSecret;
    }

    public Boolean getRetainAuthorization() {
        return retainAuthorization;
    }

    public void setRetainAuthorization(Boolean retainAuthorization) {
        this.retainAuthorization = retainAuthorization;
    }

    public List<Subscription> getSubscriptions() {
        return subscriptions;
    }

    public void setSubscriptions(List<Subscription> subscriptions) {
        this.subscriptions = subscriptions;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof HarperNodeSpec s && Objects.equals(clusterRef, s.clusterRef)
                && Objects.equals(hostname, s.hostname) && Objects.equals(url, s.url)
                && Objects.equals(operationsUrl, s.operationsUrl) && Objects.equals(verifyTls, s.verifyTls)
                && Objects.equals(caBundleSecret, s.caBundleSecret)
                && Objects.equals(authorizationSecret, s.authorizationSecret)
                && Objects.equals(retainAuthorization, s.retainAuthorization)
                && Objects.equals(subscriptions, s.subscriptions);
    }

    @Override
    public int hashCode() {
        return Objects.hash(clusterRef, hostname, url, operationsUrl, verifyTls, caBundleSecret,
                authorizationSecret, retainAuthorization, subscriptions);
    }
}

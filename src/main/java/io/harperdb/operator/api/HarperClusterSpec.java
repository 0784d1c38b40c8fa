package io.harperdb.operator.api;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import io.fabric8.generator.annotation.Default;
import io.fabric8.generator.annotation.Pattern;
import io.fabric8.generator.annotation.Size;
import io.fabric8.generator.annotation.ValidationRule;

import java.util.Objects;

/** The desired state of a HarperCluster. */
@JsonInclude(JsonInclude.Include.NON_NULL)
@JsonIgnoreProperties(ignoreUnknown = true)
@JsonPropertyOrder({"instances", "adminSecret", "tls", "networkPolicy", "replication", "pollInterval"})
public class HarperClusterSpec {

    public static final String DEFAULT_POLL_INTERVAL = "30s";

    @JsonPropertyDescription("HarperDB pods that the operator runs (a StatefulSet); "
            + "absent for a cluster made of HarperNodes only")
    private Instances instances;

    @Pattern(ApiPatterns.DNS1123_SUBDOMAIN)
    @Size(max = 253)
    @JsonPropertyDescription("Secret with keys username and password of a HarperDB super_user; generated when absent, but only before any instance was installed (docs/admin-secret.md)")
    private String adminSecret;

    @Default("{}")
    @JsonPropertyDescription("TLS between members")
    private Tls tls = new Tls();

    @JsonPropertyDescription("A NetworkPolicy in front of the managed pods (spec.instances): who may reach replication "
            + "and the Operations API")
    private ClusterNetworkPolicy networkPolicy;

    @Default("{}")
    @JsonPropertyDescription("How the members replicate")
    private Replication replication = new Replication();

    @Default(DEFAULT_POLL_INTERVAL)
    @Pattern(ApiPatterns.DURATION)
    @Size(max = 64)
    // A shorter interval would make the operator poll every member's cluster_status in a tight loop.
    @ValidationRule(value = "duration(self) >= duration('1s')", message = "pollInterval must be at least 1s")
    @JsonPropertyDescription("How often cluster_status is read when nothing changes, such as 30s, 1m or 1m30s")
    private String pollInterval = DEFAULT_POLL_INTERVAL;

    public Instances getInstances() {
        return instances;
    }

    public void setInstances(Instances instances) {
        this.instances = instances;
    }

    public String getAdminSecret() {
        return adminSecret;
    }

    public void setAdminSecret(String adminSecret) {
        this.adminSecret = adminSecret;
    }

    public Tls getTls() {
        return tls;
    }

    public void setTls(Tls tls) {
        this.tls = tls;
    }

    public ClusterNetworkPolicy getNetworkPolicy() {
        return networkPolicy;
    }

    public void setNetworkPolicy(ClusterNetworkPolicy networkPolicy) {
        this.networkPolicy = networkPolicy;
    }

    public Replication getReplication() {
        return replication;
    }

    public void setReplication(Replication replication) {
        this.replication = replication;
    }

    /** A duration in the syntax of {@link ApiPatterns#DURATION}, such as "30s" or "1m30s". */
    public String getPollInterval() {
        return pollInterval;
    }

    public void setPollInterval(String pollInterval) {
        this.pollInterval = pollInterval;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof HarperClusterSpec s && Objects.equals(instances, s.instances)
                && Objects.equals(adminSecret, s.adminSecret) && Objects.equals(tls, s.tls)
                && Objects.equals(networkPolicy, s.networkPolicy) && Objects.equals(replication, s.replication) && Objects.equals(pollInterval, s.pollInterval);
    }

    @Override
    public int hashCode() {
        return Objects.hash(instances, adminSecret, tls, networkPolicy, replication, pollInterval);
    }
}

package io.harperdb.operator.api;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import io.fabric8.generator.annotation.Default;
import io.fabric8.generator.annotation.Pattern;
import io.fabric8.generator.annotation.Required;
import io.fabric8.generator.annotation.Size;

import java.util.Objects;

/** A cert-manager issuer, as a cert-manager Certificate's spec.issuerRef names it. */
@JsonInclude(JsonInclude.Include.NON_NULL)
@JsonIgnoreProperties(ignoreUnknown = true)
@JsonPropertyOrder({"name", "kind", "group"})
public class IssuerRef {
    public static final String ISSUER = "Issuer";
    public static final String CLUSTER_ISSUER = "ClusterIssuer";
    public static final String CERT_MANAGER_GROUP = "cert-manager.io";

    @Required
    @Pattern(ApiPatterns.DNS1123_SUBDOMAIN)
    @Size(max = 253)
    @JsonPropertyDescription("Name of the Issuer (in the cluster's namespace) or ClusterIssuer")
    private String name;

    @Default(ISSUER)
    @Pattern("^(Issuer|ClusterIssuer)$")
    @Size(max = 13)
    @JsonPropertyDescription("Issuer (in the cluster's namespace, the default) or ClusterIssuer")
    private String kind = ISSUER;

    @Default(CERT_MANAGER_GROUP)
    @Pattern(ApiPatterns.DNS1123_SUBDOMAIN)
    @Size(max = 253)
    @JsonPropertyDescription("API group of the issuer: cert-manager.io (the default), or an external issuer's group")
    private String group = CERT_MANAGER_GROUP;

    public IssuerRef() {
    }

    public IssuerRef(String name, String kind, String group) {
        this.name = name;
        this.kind = kind;
        this.group = group;
    }

    public String getName() {
        return name;
    }

    public void setName(String name) {
        this.name = name;
    }

    public String getKind() {
        return kind;
    }

    public void setKind(String kind) {
        this.kind = kind;
    }

    public String getGroup() {
        return group;
    }

    public void setGroup(String group) {
        this.group = group;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof IssuerRef r && Objects.equals(name, r.name) && Objects.equals(kind, r.kind) && Objects.equals(group, r.group);
    }

    @Override
    public int hashCode() {
        return Objects.hash(name, kind, group);
    }

    @Override
    public String toString() {
        return kind + " " + name + " (" + group + ")";
    }
}

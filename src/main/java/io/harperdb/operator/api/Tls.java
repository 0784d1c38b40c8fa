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

/**
 * TLS between the members of a HarperCluster. The operator runs a CA per cluster and gives each managed
 * member a certificate for its replication hostname, so verification works by default.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
@JsonIgnoreProperties(ignoreUnknown = true)
@JsonPropertyOrder({"verify", "certificateValidity", "renewBefore", "caValidity", "caSecret", "issuerRef"})
@ValidationRule(value = "duration(self.renewBefore) < duration(self.certificateValidity)",
        message = "tls.renewBefore must be shorter than tls.certificateValidity")
@ValidationRule(value = "duration(self.certificateValidity) <= duration(self.caValidity)",
        message = "tls.certificateValidity must not be longer than tls.caValidity")
@ValidationRule(value = "!(has(self.caSecret) && has(self.issuerRef))",
        message = "tls.caSecret and tls.issuerRef are mutually exclusive: the members' certificates come from one of them")
public class Tls {
    /** 365 days. */
    public static final String DEFAULT_CERTIFICATE_VALIDITY = "8760h";
    /** 30 days. */
    public static final String DEFAULT_RENEW_BEFORE = "720h";
    /** 10 years: the CA is not rotated by the operator (see docs/reference.md). */
    public static final String DEFAULT_CA_VALIDITY = "87600h";

    @Default("true")
    @JsonPropertyDescription("Whether members verify each other's certificates (HarperDB's verify_tls). Managed members have "
            + "certificates from the cluster's operator CA, so this works for them; an external member needs a certificate "
            + "from a CA its peers trust")
    private Boolean verify = true;

    @Default(DEFAULT_CERTIFICATE_VALIDITY)
    @Pattern(ApiPatterns.DURATION)
    @Size(max = 64)
    @ValidationRule(value = "duration(self) >= duration('1m')", message = "tls.certificateValidity must be at least 1m")
    @JsonPropertyDescription("How long a managed member's certificate is valid, such as 8760h (365 days, the default)")
    private String certificateValidity = DEFAULT_CERTIFICATE_VALIDITY;

    @Default(DEFAULT_RENEW_BEFORE)
    @Pattern(ApiPatterns.DURATION)
    @Size(max = 64)
    @JsonPropertyDescription("How long before its expiry a member's certificate is renewed (the pods then restart one at a time), "
            + "such as 720h (30 days, the default)")
    private String renewBefore = DEFAULT_RENEW_BEFORE;

    @Default(DEFAULT_CA_VALIDITY)
    @Pattern(ApiPatterns.DURATION)
    @Size(max = 64)
    @JsonPropertyDescription("How long the cluster's CA, made when the cluster is first reconciled, is valid, such as 87600h "
            + "(10 years, the default); applies to a new CA only")
    private String caValidity = DEFAULT_CA_VALIDITY;

    @Pattern(ApiPatterns.DNS1123_SUBDOMAIN)
    @Size(max = 253)
    @JsonPropertyDescription("A Secret of the cluster's namespace holding your CA (keys tls.crt and tls.key, PEM, as cert-manager's CA "
            + "Issuer reads): the operator signs the members' certificates with it instead of making a CA of its own. "
            + "The operator only reads it. Changing it (or removing it) re-issues the certificates, and the pods restart one at a time, twice")
    private String caSecret;

    @JsonPropertyDescription("A cert-manager Issuer or ClusterIssuer: the operator creates a cert-manager Certificate per member "
            + "(<cluster>-<ordinal>, Secret <cluster>-<ordinal>-tls) and mounts what cert-manager issues. Needs cert-manager installed")
    private IssuerRef issuerRef;

    public String getCaSecret() {
        return caSecret;
    }

    public void setCaSecret(String caSecret) {
        this.caSecret = caSecret;
    }

    public IssuerRef getIssuerRef() {
        return issuerRef;
    }

    public void setIssuerRef(IssuerRef issuerRef) {
        this.issuerRef = issuerRef;
    }

    public Boolean getVerify() {
        return verify;
    }

    public void setVerify(Boolean verify) {
        this.verify = verify;
    }

    public String getCertificateValidity() {
        return certificateValidity;
    }

    public void setCertificateValidity(String certificateValidity) {
        this.certificateValidity = certificateValidity;
    }

    public String getRenewBefore() {
        return renewBefore;
    }

    public void setRenewBefore(String renewBefore) {
        this.renewBefore = renewBefore;
    }

    public String getCaValidity() {
        return caValidity;
    }

    public void setCaValidity(String caValidity) {
        this.caValidity = caValidity;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Tls t && Objects.equals(verify, t.verify) && Objects.equals(certificateValidity, t.certificateValidity)
                && Objects.equals(renewBefore, t.renewBefore) && Objects.equals(caValidity, t.caValidity)
                && Objects.equals(caSecret, t.caSecret) && Objects.equals(issuerRef, t.issuerRef);
    }

    @Override
    public int hashCode() {
        return Objects.hash(verify, certificateValidity, renewBefore, caValidity, caSecret, issuerRef);
    }
}

package io.harperdb.operator.api;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;

import java.util.Objects;

/** The certificates of a cluster's managed members, as the operator last issued them. */
@JsonInclude(JsonInclude.Include.NON_NULL)
@JsonIgnoreProperties(ignoreUnknown = true)
@JsonPropertyOrder({"issuer", "caExpiry", "certificatesExpiry", "certificatesIssued"})
public class TlsStatus {
    public static final String OPERATOR = "operator";
    public static final String CA_SECRET = "caSecret";
    public static final String CERT_MANAGER = "cert-manager";

    @JsonPropertyDescription("Where the members' certificates come from: operator (the cluster's CA, Secret <cluster>-ca), caSecret "
            + "(spec.tls.caSecret) or cert-manager (spec.tls.issuerRef)")
    private String issuer;

    @JsonPropertyDescription("When the CA that signs the members' certificates expires (RFC 3339): Secret <cluster>-ca, or "
            + "spec.tls.caSecret's, or the one cert-manager's Secrets name (ca.crt); the operator does not renew it")
    private String caExpiry;

    @JsonPropertyDescription("When the first of the members' certificates (Secret <cluster>-tls) expires (RFC 3339); "
            + "they are renewed spec.tls.renewBefore ahead")
    private String certificatesExpiry;

    @JsonPropertyDescription("The batch of the members' certificates the pods are to run (the time of the last renewal)")
    private String certificatesIssued;

    public String getIssuer() {
        return issuer;
    }

    public void setIssuer(String issuer) {
        this.issuer = issuer;
    }

    public String getCaExpiry() {
        return caExpiry;
    }

    public void setCaExpiry(String caExpiry) {
        this.caExpiry = caExpiry;
    }

    public String getCertificatesExpiry() {
        return certificatesExpiry;
    }

    public void setCertificatesExpiry(String certificatesExpiry) {
        this.certificatesExpiry = certificatesExpiry;
    }

    public String getCertificatesIssued() {
        return certificatesIssued;
    }

    public void setCertificatesIssued(String certificatesIssued) {
        this.certificatesIssued = certificatesIssued;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof TlsStatus t && Objects.equals(issuer, t.issuer) && Objects.equals(caExpiry, t.caExpiry) && Objects.equals(certificatesExpiry, t.certificatesExpiry)
                && Objects.equals(certificatesIssued, t.certificatesIssued);
    }

    @Override
    public int hashCode() {
        return Objects.hash(issuer, caExpiry, certificatesExpiry, certificatesIssued);
    }
}

package io.harperdb.operator.api;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Default;

import java.util.Objects;

/** TLS between the members of a HarperCluster. */
@JsonInclude(JsonInclude.Include.NON_NULL)
@JsonIgnoreProperties(ignoreUnknown = true)
public class Tls {

    /**
     * Off by default: HarperDB's instances serve their own self-signed certificates, and add_node with
     * verify_tls true fails against those ("self-signed certificate in certificate chain"). Verification
     * needs every member to have a certificate from a common CA.
     */
    @Default("false")
    @JsonPropertyDescription("Whether members verify each other's certificates (HarperDB's verify_tls). "
            + "Needs a certificate from a common CA on every member: HarperDB's own certificates are self-signed, "
            + "and members that verify them cannot join each other")
    private Boolean verify = false;

    public Boolean getVerify() {
        return verify;
    }

    public void setVerify(Boolean verify) {
        this.verify = verify;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Tls t && Objects.equals(verify, t.verify);
    }

    @Override
    public int hashCode() {
        return Objects.hashCode(verify);
    }
}

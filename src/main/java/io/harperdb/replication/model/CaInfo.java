package io.harperdb.replication.model;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import java.util.Optional;
import javax.security.auth.x500.X500Principal;

/**
 * The certificate authority a node holds for a peer ({@code ca_info} of a {@code cluster_status} connection and of an
 * {@code hdb_nodes} record, 4.7): the CA that add_node stored for the peer, against which the peer's certificate is
 * verified. Names are as Node.js prints them: one {@code KEY=value} per line, in the certificate's order.
 */
@JsonIgnoreProperties(ignoreUnknown = true)
@JsonInclude(JsonInclude.Include.NON_NULL)
public record CaInfo(
        @JsonProperty("issuer") String issuer,
        @JsonProperty("subject") String subject,
        @JsonProperty("serialNumber") String serialNumber) {

    /**
     * Whether this CA is the one named {@code name} (the issuer of a certificate the peer serves); empty when either
     * name cannot be read, so that nothing is decided on a name this code misreads.
     */
    public Optional<Boolean> isNamed(X500Principal name) {
        if (name == null) return Optional.empty();
        return principal(subject).map(mine -> mine.equals(name));
    }

    /** Node's form (most significant first, a line each) as a principal: RFC 2253 lists the same names in reverse. */
    static Optional<X500Principal> principal(String nodeForm) {
        if (nodeForm == null || nodeForm.isBlank()) return Optional.empty();
        String[] names = nodeForm.strip().split("\n");
        StringBuilder rfc2253 = new StringBuilder();
        for (int i = names.length - 1; i >= 0; i--) {
            if (rfc2253.length() > 0) rfc2253.append(',');
            rfc2253.append(names[i].strip());
        }
        try {
            return Optional.of(new X500Principal(rfc2253.toString()));
        } catch (IllegalArgumentException e) {
            return Optional.empty();
        }
    }
}

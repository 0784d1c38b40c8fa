package io.harperdb.replication.client;

import com.fasterxml.jackson.databind.JsonNode;
import javax.security.auth.x500.X500Principal;

/**
 * A successful answer: HarperDB's {@code message} (when it sent one), the whole body, and the issuer of the certificate
 * the member served for it (null over plain http).
 */
public record OperationReply(String message, JsonNode body, X500Principal certificateIssuer) {

    public OperationReply(String message, JsonNode body) {
        this(message, body, null);
    }
}

package io.harperdb.replication.client;

import com.fasterxml.jackson.databind.JsonNode;

/** A successful answer: HarperDB's {@code message} (when it sent one) and the whole body. */
public record OperationReply(String message, JsonNode body) {
}

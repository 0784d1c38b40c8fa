package io.harperdb.replication.client;

/** A request that HarperDB would accept and break on; refused before anything is sent. */
public class InvalidRequestException extends IllegalArgumentException {
    public InvalidRequestException(String message) {
        super(message);
    }
}

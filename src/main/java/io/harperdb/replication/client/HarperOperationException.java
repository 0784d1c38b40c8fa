package io.harperdb.replication.client;

/**
 * An operation that did not succeed. The message names the operation, the member and HarperDB's own
 * message; it never carries a password or an Authorization header.
 */
public class HarperOperationException extends RuntimeException {
    private final String operation;
    private final String member;
    private final Outcome outcome;
    private final int httpStatus;
    private final String serverMessage;

    public HarperOperationException(String operation, String member, Outcome outcome, int httpStatus,
                                    String serverMessage, Throwable cause) {
        super(operation + " on " + member + " failed: " + outcome
                + (httpStatus > 0 ? " (HTTP " + httpStatus + ")" : "")
                + (serverMessage == null || serverMessage.isBlank() ? "" : ": " + serverMessage), cause);
        this.operation = operation;
        this.member = member;
        this.outcome = outcome;
        this.httpStatus = httpStatus;
        this.serverMessage = serverMessage;
    }

    public String operation() {
        return operation;
    }

    public String member() {
        return member;
    }

    public Outcome outcome() {
        return outcome;
    }

    /** The HTTP status, or 0 when there was no answer. */
    public int httpStatus() {
        return httpStatus;
    }

    /** HarperDB's own message ({@code error} or {@code message}), when it sent one. */
    public String serverMessage() {
        return serverMessage;
    }
}

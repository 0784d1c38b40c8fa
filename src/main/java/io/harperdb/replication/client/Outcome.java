package io.harperdb.replication.client;

/** How HarperDB answered an operation. */
public enum Outcome {
    /** 2xx with a body that reports success. */
    SUCCESS,
    /** 2xx whose message says the operation failed on the target node (e.g. "error updating target node"). */
    TARGET_FAILURE,
    /** 400: HarperDB refused the request, with its message. */
    REFUSED,
    /** 401: wrong credentials. */
    UNAUTHORIZED,
    /** 403: the user is not a super_user. */
    FORBIDDEN,
    /** 5xx, or another status HarperDB does not document. */
    SERVER_ERROR,
    /** No connection could be made. */
    UNREACHABLE,
    /** Connected, but no answer in time. */
    TIMED_OUT,
    /** An answer that is not the JSON HarperDB sends. */
    MALFORMED_REPLY;

    /** Whether sending the same operation again later could succeed without a change of input. */
    public boolean isTransient() {
        return this == SERVER_ERROR || this == UNREACHABLE || this == TIMED_OUT || this == TARGET_FAILURE;
    }
}

package io.harperdb.operator.reconciler;

import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Supplier;

/**
 * The HarperDB version each member reports, read at a slow cadence: once when a member first answers, then every
 * {@link #REFRESH}, and again after it was seen not answering (a restart, perhaps on another image). Keyed by the
 * member's Operations API url; kept in the operator's memory only (a restarted operator reads each once more).
 */
final class MemberVersions {
    static final Duration REFRESH = Duration.ofMinutes(10);

    private record Read(String version, Instant at) {
    }

    private final Map<String, Read> reads = new ConcurrentHashMap<>();

    /**
     * The member's version: the one read within {@link #REFRESH}, else read now with {@code read}; null when it
     * could not be read (also kept until the next refresh, so a member that does not tell is not asked every round).
     */
    String version(String operationsUrl, Instant now, Supplier<String> read) {
        if (operationsUrl == null) {
            return null;
        }
        Read last = reads.get(operationsUrl);
        if (last != null && now.isBefore(last.at().plus(REFRESH))) {
            return last.version();
        }
        String version;
        try {
            version = read.get();
        } catch (RuntimeException e) {
            version = null;
        }
        reads.put(operationsUrl, new Read(version, now));
        return version;
    }

    /** The last version read, without reading; null when none. */
    String known(String operationsUrl) {
        Read last = operationsUrl == null ? null : reads.get(operationsUrl);
        return last == null ? null : last.version();
    }

    /** The member did not answer: its version is read again once it does. */
    void forget(String operationsUrl) {
        if (operationsUrl != null) {
            reads.remove(operationsUrl);
        }
    }
}

package io.harperdb.operator.api;

/**
 * Regular expressions of the CRD schemas ({@code pattern}). They are anchored because both the API
 * server and JSON-schema validators match a pattern anywhere in the value. They stay within the
 * syntax that Go's RE2 and java.util.regex share.
 */
public final class ApiPatterns {

    /** A Kubernetes object name such as a Secret's or a HarperCluster's (RFC 1123 subdomain). */
    public static final String DNS1123_SUBDOMAIN = "^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$";

    /** A DNS name or an IPv4 address, as HarperDB uses for a node's replication hostname. */
    public static final String HOSTNAME = "^[A-Za-z0-9]([-A-Za-z0-9]*[A-Za-z0-9])?(\\.[A-Za-z0-9]([-A-Za-z0-9]*[A-Za-z0-9])?)*$";

    /**
     * A duration such as "30s", "1m30s" or "500ms": the subset of Go's duration syntax that the
     * operator parses (whole numbers; units ms, s, m, h).
     */
    public static final String DURATION = "^([0-9]+(ms|s|m|h))+$";

    /** A resource quantity such as "10Gi" or "500M" (Kubernetes' quantity syntax, without sign). */
    public static final String QUANTITY = "^(([0-9]+(\\.[0-9]*)?)|(\\.[0-9]+))(([KMGTPE]i)|[numkMGTPE]|([eE](\\+|-)?(([0-9]+(\\.[0-9]*)?)|(\\.[0-9]+))))?$";

    /** A TCP port number, 1 to 65535. */
    static final String PORT = "([1-9][0-9]{0,3}|[1-5][0-9]{4}|6[0-4][0-9]{3}|65[0-4][0-9]{2}|655[0-2][0-9]|6553[0-5])";

    /** The string form of a replication route: "host", "host:port" or "wss://host:port". */
    public static final String ROUTE = "^(wss?://)?[A-Za-z0-9]([-A-Za-z0-9]*[A-Za-z0-9])?(\\.[A-Za-z0-9]([-A-Za-z0-9]*[A-Za-z0-9])?)*(:" + PORT + ")?$";

    /**
     * An absolute URL with a host and no white space: "scheme://host[:port][/path]". The scheme itself is
     * checked by a CEL rule with its own message; the operator checks both again for older CRDs.
     */
    public static final String URL = "^[A-Za-z][A-Za-z0-9+.-]*://[^\\s/?#@]+([/?#]\\S*)?$";

    private ApiPatterns() {
    }
}

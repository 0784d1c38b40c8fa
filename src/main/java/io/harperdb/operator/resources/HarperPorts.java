package io.harperdb.operator.resources;

/** The ports of a managed pod, and the names its containers and Services give them. */
public final class HarperPorts {
    /**
     * HarperDB's Operations API over plain HTTP: for /health (the kubelet's probes) and for calls from inside the pod
     * (the sidecar, over loopback). The operator sends it no credentials, except to a pod from a template older than
     * {@link #OPERATIONS_SECURE} until that pod is restarted.
     */
    public static final int OPERATIONS = 9925;
    /**
     * HarperDB's Operations API over HTTPS (operationsApi.network.securePort), serving the member's certificate from the
     * cluster's CA: where the operator sends operations, with the admin credentials.
     */
    public static final int OPERATIONS_SECURE = 9924;
    /** HarperDB's HTTP interface (REST, custom functions). */
    public static final int HTTP = 9926;
    /** HarperDB's replication (wss). */
    public static final int REPLICATION = 9933;
    /** The sidecar's /healthz, /readyz and /metrics. */
    public static final int SIDECAR = 9950;

    public static final String OPERATIONS_NAME = "operations";
    public static final String OPERATIONS_SECURE_NAME = "operations-tls";
    public static final String HTTP_NAME = "http";
    public static final String REPLICATION_NAME = "replication";
    public static final String SIDECAR_NAME = "sidecar";

    private HarperPorts() {
    }
}

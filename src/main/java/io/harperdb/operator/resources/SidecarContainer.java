package io.harperdb.operator.resources;

import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.ContainerBuilder;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.EnvVarBuilder;
import io.fabric8.kubernetes.api.model.IntOrString;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.api.model.Volume;
import io.fabric8.kubernetes.api.model.VolumeBuilder;
import io.fabric8.kubernetes.api.model.VolumeMountBuilder;
import io.harperdb.operator.api.HarperCluster;
import java.util.List;

/**
 * The replication sidecar beside HarperDB in each managed pod: the operator's own image and jar, with
 * the sidecar's main class. It reads the local admin credentials from the mounted admin Secret and
 * serves /healthz (the local HarperDB answers), /readyz (replication caught up; the pod's readiness)
 * and /metrics (Prometheus).
 *
 * <p>The environment variables here are the sidecar's configuration contract.
 */
public final class SidecarContainer {
    public static final String NAME = "replication-sidecar";
    public static final String MAIN_CLASS = ImageLayout.SIDECAR_MAIN_CLASS;
    /** The image's java with its jar (whose manifest names its libraries) and the sidecar's main class; no shell. */
    public static final List<String> COMMAND = ImageLayout.sidecarCommand();

    /** The local HarperDB's Operations API. */
    public static final String ENV_HARPERDB_URL = "HARPERDB_URL";
    /** A directory holding the files {@code username} and {@code password}. */
    public static final String ENV_CREDENTIALS_DIR = "HARPERDB_CREDENTIALS_DIR";
    /** The port of /healthz, /readyz and /metrics. */
    public static final String ENV_PORT = "SIDECAR_PORT";

    public static final String CREDENTIALS_VOLUME = "admin-credentials";
    public static final String CREDENTIALS_PATH = "/etc/harperdb/admin";
    static final String TMP_VOLUME = "sidecar-tmp";
    /** Small heap, serial GC, no JIT tiers beyond C1: a few MB of state and a few requests a minute. */
    static final String JAVA_OPTIONS = "-Xmx48m -Xss256k -XX:+UseSerialGC -XX:TieredStopAtLevel=1"
            + " -XX:ReservedCodeCacheSize=16m -XX:MaxDirectMemorySize=8m -XX:-UsePerfData -XX:+ExitOnOutOfMemoryError";
    /**
     * A JVM with a 48 MB heap uses some 60-90 MB in all (metaspace, code cache, stacks). The request
     * stays near that: memory used above its request is what makes a pod the first to be evicted when
     * its node runs short. No CPU limit: throttling would only slow its start.
     */
    static final String CPU_REQUEST = "10m";
    static final String MEMORY_REQUEST = "64Mi";
    static final String MEMORY_LIMIT = "128Mi";

    private SidecarContainer() {
    }

    static Container build(String image) {
        return new ContainerBuilder()
                .withName(NAME)
                .withImage(image)
                .withCommand(COMMAND)
                .addNewPort().withName(HarperPorts.SIDECAR_NAME).withContainerPort(HarperPorts.SIDECAR).withProtocol("TCP").endPort()
                .withEnv(env())
                .withNewResources()
                .addToRequests("cpu", new Quantity(CPU_REQUEST))
                .addToRequests("memory", new Quantity(MEMORY_REQUEST))
                .addToLimits("memory", new Quantity(MEMORY_LIMIT))
                .endResources()
                .withVolumeMounts(
                        new VolumeMountBuilder().withName(CREDENTIALS_VOLUME).withMountPath(CREDENTIALS_PATH).withReadOnly(true).build(),
                        new VolumeMountBuilder().withName(TMP_VOLUME).withMountPath("/tmp").build())
                .withNewReadinessProbe()
                .withNewHttpGet().withPath("/readyz").withPort(new IntOrString(HarperPorts.SIDECAR_NAME)).endHttpGet()
                .withPeriodSeconds(5).withTimeoutSeconds(3).withFailureThreshold(3)
                .endReadinessProbe()
                // Alive = it serves; not /healthz, which fails while HarperDB is down and would restart the sidecar for it.
                .withNewLivenessProbe()
                .withNewTcpSocket().withPort(new IntOrString(HarperPorts.SIDECAR_NAME)).endTcpSocket()
                .withPeriodSeconds(10).withTimeoutSeconds(3).withFailureThreshold(6)
                .endLivenessProbe()
                .withSecurityContext(PodSecurity.container(true))
                .build();
    }

    static List<EnvVar> env() {
        return List.of(
                // Its own HarperDB over the pod's loopback: the admin credentials never leave the pod, so plain http
                // suffices (the certificate names the pod's DNS name, not 127.0.0.1, and would need its own check).
                value(ENV_HARPERDB_URL, "http://127.0.0.1:" + HarperPorts.OPERATIONS),
                value(ENV_CREDENTIALS_DIR, CREDENTIALS_PATH),
                value(ENV_PORT, String.valueOf(HarperPorts.SIDECAR)),
                value("JAVA_TOOL_OPTIONS", JAVA_OPTIONS));
    }

    /** The pod volumes the sidecar mounts: the admin Secret's two keys as files, readable by the pod's group only. */
    static List<Volume> volumes(HarperCluster cluster) {
        return List.of(
                new VolumeBuilder().withName(CREDENTIALS_VOLUME)
                        .withNewSecret()
                        .withSecretName(ResourceNames.adminSecret(cluster))
                        .addNewItem().withKey(AdminSecret.USERNAME_KEY).withPath(AdminSecret.USERNAME_KEY).endItem()
                        .addNewItem().withKey(AdminSecret.PASSWORD_KEY).withPath(AdminSecret.PASSWORD_KEY).endItem()
                        .withDefaultMode(0440)
                        .endSecret()
                        .build(),
                new VolumeBuilder().withName(TMP_VOLUME)
                        .withNewEmptyDir().withSizeLimit(new Quantity("16Mi")).endEmptyDir()
                        .build());
    }

    private static EnvVar value(String name, String value) {
        return new EnvVarBuilder().withName(name).withValue(value).build();
    }
}

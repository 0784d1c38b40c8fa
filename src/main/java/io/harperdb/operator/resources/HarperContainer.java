package io.harperdb.operator.resources;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.ContainerBuilder;
import io.fabric8.kubernetes.api.model.ContainerPort;
import io.fabric8.kubernetes.api.model.ContainerPortBuilder;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.EnvVarBuilder;
import io.fabric8.kubernetes.api.model.IntOrString;
import io.fabric8.kubernetes.api.model.Probe;
import io.fabric8.kubernetes.api.model.ProbeBuilder;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.api.model.ResourceRequirements;
import io.fabric8.kubernetes.api.model.ResourceRequirementsBuilder;
import io.fabric8.kubernetes.api.model.VolumeMountBuilder;
import io.fabric8.kubernetes.api.model.apps.StatefulSet;
import io.harperdb.operator.api.HarperCluster;
import io.harperdb.operator.api.Instances;
import io.harperdb.operator.api.Replication;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The HarperDB container of a managed pod. HarperDB is configured by environment variables only: the
 * image's {@code harperdb} installs on first start from them (no prompts), and applies them again on
 * every start. Each variable below is a key of HarperDB 4.7's configuration (CONFIG_PARAM_MAP of the
 * npm package) or one of its install variables.
 */
public final class HarperContainer {
    public static final String NAME = "harperdb";
    public static final String DATA_VOLUME = "data";
    public static final String DATA_PATH = "/home/harperdb/hdb";
    public static final String HEALTH_PATH = "/health";
    /** The members' certificates ({@link MemberCertificates}), mounted read-only; not under the data volume. */
    public static final String TLS_VOLUME = "tls";
    public static final String TLS_PATH = "/etc/harperdb/tls";

    /** Set from the pod's name, so that the next variable can derive the pod's own hostname from it. */
    public static final String POD_NAME = "POD_NAME";
    public static final String REPLICATION_HOSTNAME = "REPLICATION_HOSTNAME";
    /** HarperDB's install variable of the super_user's password, read at install only. */
    static final String ADMIN_PASSWORD = "HDB_ADMIN_PASSWORD";

    private static final ObjectMapper JSON = new ObjectMapper();

    private HarperContainer() {
    }

    static Container build(HarperCluster cluster, Instances instances) {
        return new ContainerBuilder()
                .withName(NAME)
                .withImage(instances.getImage() == null ? Instances.DEFAULT_IMAGE : instances.getImage())
                .withPorts(ports())
                .withEnv(PodCustomization.env(env(cluster, instances), instances.getPodTemplate()))
                .withResources(copy(resources(instances)))
                .withVolumeMounts(PodCustomization.volumeMounts(List.of(new VolumeMountBuilder()
                        .withName(DATA_VOLUME).withMountPath(DATA_PATH).build(),
                        new VolumeMountBuilder().withName(TLS_VOLUME).withMountPath(TLS_PATH).withReadOnly(true).build()),
                        instances.getPodTemplate()))
                // An install (first start) or a large database's start can take minutes: the startup probe
                // holds liveness off for up to 10 minutes.
                .withStartupProbe(health(10, 60))
                .withLivenessProbe(health(10, 6))
                // Out of the client Service while HarperDB does not answer; with the sidecar, its /readyz
                // (replication caught up) must pass too.
                .withReadinessProbe(health(5, 3))
                .withSecurityContext(PodSecurity.container(false))
                .build();
    }

    /**
     * The Secret whose password the HarperDB container of {@code statefulSet}'s pods takes (at install), if any:
     * the record of the admin Secret the StatefulSet was last written with.
     */
    public static Optional<String> adminSecretOf(StatefulSet statefulSet) {
        if (statefulSet.getSpec() == null || statefulSet.getSpec().getTemplate() == null
                || statefulSet.getSpec().getTemplate().getSpec() == null) {
            return Optional.empty();
        }
        return statefulSet.getSpec().getTemplate().getSpec().getContainers().stream()
                .filter(c -> NAME.equals(c.getName()) && c.getEnv() != null)
                .flatMap(c -> c.getEnv().stream())
                .filter(e -> ADMIN_PASSWORD.equals(e.getName()) && e.getValueFrom() != null && e.getValueFrom().getSecretKeyRef() != null)
                .map(e -> e.getValueFrom().getSecretKeyRef().getName())
                .filter(name -> name != null && !name.isBlank())
                .findFirst();
    }

    /**
     * The pods whose HarperDB container declares no https Operations API port ({@code operations-tls}): made from a
     * template older than it, they serve the plain port only until they are restarted.
     */
    public static java.util.Set<String> plainOperationsOnly(List<io.fabric8.kubernetes.api.model.Pod> pods) {
        java.util.Set<String> plainOnly = new java.util.TreeSet<>();
        for (io.fabric8.kubernetes.api.model.Pod pod : pods) {
            if (pod.getSpec() == null || pod.getSpec().getContainers() == null) {
                continue;
            }
            pod.getSpec().getContainers().stream().filter(c -> NAME.equals(c.getName())).findFirst().ifPresent(c -> {
                boolean secure = c.getPorts() != null && c.getPorts().stream()
                        .anyMatch(p -> HarperPorts.OPERATIONS_SECURE_NAME.equals(p.getName()));
                if (!secure) {
                    plainOnly.add(pod.getMetadata().getName());
                }
            });
        }
        return plainOnly;
    }

    static List<ContainerPort> ports() {
        return List.of(
                port(HarperPorts.OPERATIONS_NAME, HarperPorts.OPERATIONS),
                port(HarperPorts.OPERATIONS_SECURE_NAME, HarperPorts.OPERATIONS_SECURE),
                port(HarperPorts.HTTP_NAME, HarperPorts.HTTP),
                port(HarperPorts.REPLICATION_NAME, HarperPorts.REPLICATION));
    }

    /**
     * The environment. Order matters: Kubernetes expands {@code $(VAR)} in a value only from variables
     * defined earlier in the list (an unresolved reference stays as written), so POD_NAME comes before
     * REPLICATION_HOSTNAME.
     */
    static List<EnvVar> env(HarperCluster cluster, Instances instances) {
        String adminSecret = ResourceNames.adminSecret(cluster);
        List<EnvVar> env = new ArrayList<>();
        env.add(new EnvVarBuilder().withName(POD_NAME)
                .withNewValueFrom().withNewFieldRef().withFieldPath("metadata.name").endFieldRef().endValueFrom().build());
        env.add(value(REPLICATION_HOSTNAME, "$(" + POD_NAME + ")" + ManagedMembers.hostnameSuffix(cluster)));
        env.add(value("REPLICATION_SECUREPORT", String.valueOf(HarperPorts.REPLICATION)));
        env.add(value("REPLICATION_DATABASES", databases(cluster.getSpec().getReplication())));
        // Install: accept the licence, create the super_user from the admin Secret (at install only).
        env.add(value("TC_AGREEMENT", "yes"));
        env.add(secret("HDB_ADMIN_USERNAME", adminSecret, AdminSecret.USERNAME_KEY));
        env.add(secret(ADMIN_PASSWORD, adminSecret, AdminSecret.PASSWORD_KEY));
        env.add(value("ROOTPATH", DATA_PATH));
        env.add(value("DEFAULTS_MODE", "prod"));
        // The Operations API on both: https (the member's certificate, below) for the operator, which sends the admin
        // credentials; plain http for the probes' /health and the sidecar's calls over the pod's loopback. Both
        // answer at once on 4.7.29 (docs/harperdb-compatibility.md). The HTTP interface stays plain; "null" turns
        // its secure port off, as its default (9926) is the plain port's number.
        env.add(value("OPERATIONSAPI_NETWORK_PORT", String.valueOf(HarperPorts.OPERATIONS)));
        env.add(value("OPERATIONSAPI_NETWORK_SECUREPORT", String.valueOf(HarperPorts.OPERATIONS_SECURE)));
        env.add(value("HTTP_PORT", String.valueOf(HarperPorts.HTTP)));
        env.add(value("HTTP_SECUREPORT", "null"));
        // Defaults that instances.config may change: the variable is left out when the config sets its key.
        Map<String, String> config = instances.getConfig();
        if (!HarperConfig.sets(config, "localStudio.enabled")) {
            env.add(value("LOCALSTUDIO_ENABLED", "false"));
        }
        // The pod's own certificate for its replication hostname and the cluster's CA (HarperDB's tls.certificate,
        // tls.privateKey and tls.certificateAuthority), from the Secret that holds every ordinal's: $(POD_NAME) picks.
        // Replication and the https Operations API both serve it.
        env.add(value("TLS_CERTIFICATE", TLS_PATH + "/$(" + POD_NAME + ")" + MemberCertificates.CERT_SUFFIX));
        env.add(value("TLS_PRIVATEKEY", TLS_PATH + "/$(" + POD_NAME + ")" + MemberCertificates.KEY_SUFFIX));
        env.add(value("TLS_CERTIFICATEAUTHORITY", TLS_PATH + "/" + MemberCertificates.TRUSTED_CA_KEY));
        // Logs to stdout too, for kubectl logs.
        if (!HarperConfig.sets(config, "logging.stdStreams")) {
            env.add(value("LOGGING_STDSTREAMS", "true"));
        }
        String threads = threads(resources(instances));
        if (threads != null && !HarperConfig.sets(config, "threads.count")) {
            env.add(value("THREADS_COUNT", threads));
        }
        // Always set, "{}" when empty: HarperDB then gives the keys that an earlier config set back their values.
        env.add(value(HarperConfig.SET_CONFIG_ENV, HarperConfig.json(config)));
        return env;
    }

    /**
     * HarperDB's replication.databases: "*" for all, else a JSON array, which HarperDB parses from a
     * variable's value ([...] is read as JSON).
     */
    static String databases(Replication replication) {
        List<String> databases = replication == null ? null : replication.getDatabases();
        if (databases == null || databases.isEmpty() || databases.contains("*")) {
            return "*";
        }
        try {
            return JSON.writeValueAsString(databases);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    /** The spec's resources, the default when absent (as the API server stores it); {} is none. */
    static ResourceRequirements resources(Instances instances) {
        return instances.getResources() == null ? Instances.defaultResources() : instances.getResources();
    }

    /**
     * HarperDB starts one worker thread per CPU it sees, and in a container it sees the node's CPUs: a
     * pod given 2 CPUs on a 64-CPU node would start 64 threads. So the threads follow the CPU limit (or
     * request), rounded up; with neither, HarperDB's own default stays.
     */
    static String threads(ResourceRequirements resources) {
        if (resources == null) {
            return null;
        }
        Quantity cpu = resources.getLimits() != null ? resources.getLimits().get("cpu") : null;
        if (cpu == null && resources.getRequests() != null) {
            cpu = resources.getRequests().get("cpu");
        }
        if (cpu == null) {
            return null;
        }
        BigDecimal cores = cpu.getNumericalAmount().setScale(0, RoundingMode.CEILING);
        return String.valueOf(Math.max(1, cores.intValueExact()));
    }

    private static Probe health(int periodSeconds, int failureThreshold) {
        return new ProbeBuilder()
                .withNewHttpGet().withPath(HEALTH_PATH).withPort(new IntOrString(HarperPorts.OPERATIONS_NAME)).endHttpGet()
                .withPeriodSeconds(periodSeconds)
                .withTimeoutSeconds(5)
                .withFailureThreshold(failureThreshold)
                .build();
    }

    private static ContainerPort port(String name, int port) {
        return new ContainerPortBuilder().withName(name).withContainerPort(port).withProtocol("TCP").build();
    }

    private static EnvVar value(String name, String value) {
        return new EnvVarBuilder().withName(name).withValue(value).build();
    }

    private static EnvVar secret(String name, String secret, String key) {
        return new EnvVarBuilder().withName(name)
                .withNewValueFrom().withNewSecretKeyRef().withName(secret).withKey(key).endSecretKeyRef().endValueFrom()
                .build();
    }

    private static ResourceRequirements copy(ResourceRequirements resources) {
        return resources == null ? null : new ResourceRequirementsBuilder(resources).build();
    }
}

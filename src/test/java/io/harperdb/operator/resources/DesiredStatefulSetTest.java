package io.harperdb.operator.resources;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.IntOrString;
import io.fabric8.kubernetes.api.model.PodSpec;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.api.model.SecurityContext;
import io.fabric8.kubernetes.api.model.apps.StatefulSet;
import io.harperdb.operator.api.HarperCluster;
import io.harperdb.operator.api.Sidecar;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

class DesiredStatefulSetTest {
    private final DesiredStatefulSet builder = new DesiredStatefulSet(Clusters.OPERATOR_IMAGE);

    @Test
    void podsAreNamedAfterTheClusterAndGovernedByTheHeadlessService() {
        StatefulSet sts = builder.build(Clusters.demo());

        assertThat(sts.getMetadata().getName()).isEqualTo("demo");
        assertThat(sts.getMetadata().getNamespace()).isEqualTo("ns");
        assertThat(sts.getSpec().getServiceName()).isEqualTo("demo-hdb");
        assertThat(sts.getSpec().getReplicas()).isEqualTo(3);
        assertThat(sts.getSpec().getSelector().getMatchLabels()).containsExactlyInAnyOrderEntriesOf(Map.of(
                "app.kubernetes.io/name", "harperdb", "app.kubernetes.io/instance", "demo"));
        assertThat(sts.getSpec().getTemplate().getMetadata().getLabels())
                .containsAllEntriesOf(sts.getSpec().getSelector().getMatchLabels())
                .containsEntry("app.kubernetes.io/managed-by", "harperdb-operator")
                .containsEntry("app.kubernetes.io/component", "database");
        assertThat(sts.getSpec().getPodManagementPolicy()).isEqualTo("Parallel");
        assertThat(sts.getSpec().getUpdateStrategy().getType()).isEqualTo("OnDelete");
    }

    @Test
    void ownedByTheClusterAsItsController() {
        StatefulSet sts = builder.build(Clusters.demo());

        assertThat(sts.getMetadata().getOwnerReferences()).singleElement().satisfies(ref -> {
            assertThat(ref.getApiVersion()).isEqualTo("harperdb.io/v1alpha1");
            assertThat(ref.getKind()).isEqualTo("HarperCluster");
            assertThat(ref.getName()).isEqualTo("demo");
            assertThat(ref.getUid()).isEqualTo(Clusters.UID);
            assertThat(ref.getController()).isTrue();
            assertThat(ref.getBlockOwnerDeletion()).isTrue();
        });
    }

    @Test
    void aClusterWithoutUidOrNamespaceOrInstancesHasNoStatefulSet() {
        HarperCluster noUid = Clusters.demo();
        noUid.getMetadata().setUid(null);
        HarperCluster noNamespace = Clusters.demo();
        noNamespace.getMetadata().setNamespace(null);
        HarperCluster noInstances = Clusters.demo();
        noInstances.getSpec().setInstances(null);

        assertThatThrownBy(() -> builder.build(noUid)).isInstanceOf(IllegalArgumentException.class).hasMessageContaining("uid");
        assertThatThrownBy(() -> builder.build(noNamespace)).isInstanceOf(IllegalArgumentException.class).hasMessageContaining("namespace");
        assertThatThrownBy(() -> builder.build(noInstances)).isInstanceOf(IllegalArgumentException.class).hasMessageContaining("no managed instances");
    }

    /** What the operator reads back to name, when the admin Secret is missing, the one the pods take. */
    @Test
    void theStatefulSetRecordsTheAdminSecretItsPodsTake() {
        HarperCluster cluster = Clusters.demo();
        assertThat(HarperContainer.adminSecretOf(builder.build(cluster))).contains(ResourceNames.adminSecret(cluster));
        cluster.getSpec().setAdminSecret("my-admin");
        assertThat(HarperContainer.adminSecretOf(builder.build(cluster))).contains("my-admin");
        assertThat(HarperContainer.adminSecretOf(new StatefulSet())).isEmpty();
    }

    @Test
    void podNameComesBeforeTheReplicationHostnameThatExpandsIt() {
        List<EnvVar> env = harper(builder.build(Clusters.demo())).getEnv();
        List<String> names = env.stream().map(EnvVar::getName).toList();

        assertThat(names.indexOf("POD_NAME")).isNotNegative().isLessThan(names.indexOf("REPLICATION_HOSTNAME"));
        assertThat(env(env, "POD_NAME").getValueFrom().getFieldRef().getFieldPath()).isEqualTo("metadata.name");
        assertThat(env(env, "REPLICATION_HOSTNAME").getValue()).isEqualTo("$(POD_NAME).demo-hdb.ns.svc");
    }

    @Test
    void eachPodsReplicationHostnameIsTheNodeNameTheOperatorExpects() {
        HarperCluster cluster = Clusters.demo();
        List<EnvVar> env = harper(builder.build(cluster)).getEnv();

        for (int ordinal = 0; ordinal < 3; ordinal++) {
            Map<String, String> expanded = expand(env, Map.of("metadata.name", ManagedMembers.podName(cluster, ordinal)));
            assertThat(expanded.get("REPLICATION_HOSTNAME")).isEqualTo(ManagedMembers.nodeName(cluster, ordinal))
                    .isEqualTo("demo-" + ordinal + ".demo-hdb.ns.svc");
        }
    }

    @Test
    void harperDbIsConfiguredByEnvironmentWithoutPrompts() {
        List<EnvVar> env = harper(builder.build(Clusters.demo())).getEnv();

        assertThat(plainValues(env)).containsAllEntriesOf(Map.ofEntries(
                Map.entry("TC_AGREEMENT", "yes"),
                Map.entry("ROOTPATH", "/home/harperdb/hdb"),
                Map.entry("DEFAULTS_MODE", "prod"),
                Map.entry("OPERATIONSAPI_NETWORK_PORT", "9925"),
                Map.entry("OPERATIONSAPI_NETWORK_SECUREPORT", "9924"),
                Map.entry("HTTP_PORT", "9926"),
                Map.entry("HTTP_SECUREPORT", "null"),
                Map.entry("REPLICATION_SECUREPORT", "9933"),
                Map.entry("REPLICATION_DATABASES", "*"),
                Map.entry("LOCALSTUDIO_ENABLED", "false")));
        assertThat(env(env, "HDB_ADMIN_USERNAME").getValueFrom().getSecretKeyRef())
                .satisfies(ref -> assertThat(ref.getName() + "/" + ref.getKey()).isEqualTo("demo-admin/username"));
        assertThat(env(env, "HDB_ADMIN_PASSWORD").getValueFrom().getSecretKeyRef())
                .satisfies(ref -> assertThat(ref.getName() + "/" + ref.getKey()).isEqualTo("demo-admin/password"));
        // one worker thread per CPU of the default resources' request
        assertThat(plainValues(env)).containsEntry("THREADS_COUNT", "1");
    }

    @Test
    void theNamedAdminSecretIsTheOneUsed() {
        List<EnvVar> env = harper(builder.build(Clusters.custom())).getEnv();

        assertThat(env(env, "HDB_ADMIN_PASSWORD").getValueFrom().getSecretKeyRef().getName()).isEqualTo("orders-root");
    }

    @Test
    void replicatedDatabasesAreAJsonListUnlessAll() {
        assertThat(HarperContainer.databases(Clusters.withDatabases(Clusters.demo(), "data", "dev").getSpec().getReplication()))
                .isEqualTo("[\"data\",\"dev\"]");
        assertThat(HarperContainer.databases(Clusters.withDatabases(Clusters.demo(), "data", "*").getSpec().getReplication()))
                .isEqualTo("*");
        assertThat(HarperContainer.databases(null)).isEqualTo("*");
    }

    @Test
    void threadsFollowTheCpuLimitOrRequestRoundedUp() {
        assertThat(HarperContainer.threads(Clusters.withResources(Clusters.demo(), "500m", "1Gi").getSpec().getInstances().getResources()))
                .isEqualTo("1");
        assertThat(HarperContainer.threads(Clusters.withResources(Clusters.demo(), "2", "1Gi").getSpec().getInstances().getResources()))
                .isEqualTo("2");
        // custom(): no CPU limit, a request of 1500m
        assertThat(plainValues(harper(builder.build(Clusters.custom())).getEnv())).containsEntry("THREADS_COUNT", "2");
    }

    @Test
    void resourcesComeFromTheSpec() {
        Container harper = harper(builder.build(Clusters.withResources(Clusters.demo(), "2", "8Gi")));

        assertThat(harper.getResources().getLimits()).containsEntry("cpu", new Quantity("2")).containsEntry("memory", new Quantity("8Gi"));
        // given resources replace the default entirely: no request of the default's is left
        assertThat(harper.getResources().getRequests()).isNullOrEmpty();
    }

    @Test
    void withoutResourcesTheContainerGetsTheDefaultAndEmptyOnesMeanNone() {
        Container defaulted = harper(builder.build(Clusters.demo()));
        assertThat(defaulted.getResources().getRequests()).containsOnly(
                Map.entry("cpu", new Quantity("1")), Map.entry("memory", new Quantity("1Gi")));
        // memory limited as requested; no CPU limit (throttling stalls a worker)
        assertThat(defaulted.getResources().getLimits()).containsOnly(Map.entry("memory", new Quantity("1Gi")));
        assertThat(plainValues(defaulted.getEnv())).containsEntry("THREADS_COUNT", "1");

        HarperCluster nulled = Clusters.demo();
        nulled.getSpec().getInstances().setResources(null);
        assertThat(harper(builder.build(nulled)).getResources()).isEqualTo(defaulted.getResources());

        HarperCluster none = PodTemplateTest.with("resources: {}");
        Container unbounded = harper(builder.build(none));
        assertThat(unbounded.getResources().getRequests()).isNullOrEmpty();
        assertThat(unbounded.getResources().getLimits()).isNullOrEmpty();
        assertThat(unbounded.getEnv()).noneMatch(e -> e.getName().equals("THREADS_COUNT"));
    }

    @Test
    void portsAreNamedAndTheDataVolumeIsMounted() {
        Container harper = harper(builder.build(Clusters.demo()));

        assertThat(harper.getImage()).isEqualTo("harperdb/harperdb:4.7.29");
        assertThat(harper.getPorts()).extracting(p -> p.getName() + "=" + p.getContainerPort())
                .containsExactly("operations=9925", "operations-tls=9924", "http=9926", "replication=9933");
        assertThat(harper.getVolumeMounts()).extracting(m -> m.getName() + ":" + m.getMountPath() + ":" + m.getReadOnly())
                .containsExactly("data:/home/harperdb/hdb:null", "tls:/etc/harperdb/tls:true");
    }

    @Test
    void probesAskHarperDbsHealthAndTheStartupProbeIsGenerous() {
        Container harper = harper(builder.build(Clusters.demo()));

        for (var probe : List.of(harper.getStartupProbe(), harper.getLivenessProbe(), harper.getReadinessProbe())) {
            assertThat(probe.getHttpGet().getPath()).isEqualTo("/health");
            assertThat(probe.getHttpGet().getPort()).isEqualTo(new IntOrString("operations"));
        }
        int startupSeconds = harper.getStartupProbe().getPeriodSeconds() * harper.getStartupProbe().getFailureThreshold();
        assertThat(startupSeconds).isGreaterThanOrEqualTo(600);
    }

    @Test
    void theSidecarsReadyzGatesThePodsReadiness() {
        Container sidecar = sidecar(builder.build(Clusters.demo())).orElseThrow();

        assertThat(sidecar.getReadinessProbe().getHttpGet().getPath()).isEqualTo("/readyz");
        assertThat(sidecar.getReadinessProbe().getHttpGet().getPort()).isEqualTo(new IntOrString("sidecar"));
        assertThat(sidecar.getPorts()).singleElement().satisfies(p -> {
            assertThat(p.getName()).isEqualTo("sidecar");
            assertThat(p.getContainerPort()).isEqualTo(9950);
        });
        // Its liveness does not depend on HarperDB, or a HarperDB outage would restart the sidecar too.
        assertThat(sidecar.getLivenessProbe().getHttpGet()).isNull();
        assertThat(sidecar.getLivenessProbe().getTcpSocket().getPort()).isEqualTo(new IntOrString("sidecar"));
    }

    @Test
    void theSidecarRunsTheOperatorsImageAndReadsTheAdminSecretAsFiles() {
        StatefulSet sts = builder.build(Clusters.demo());
        Container sidecar = sidecar(sts).orElseThrow();
        PodSpec pod = sts.getSpec().getTemplate().getSpec();

        assertThat(sidecar.getImage()).isEqualTo(Clusters.OPERATOR_IMAGE);
        // The image's jar (its manifest names /app/lib/*.jar); ImageLayoutTest checks this against the Dockerfile.
        assertThat(sidecar.getCommand()).containsExactly("java", "-cp", "/app/app.jar", "io.harperdb.replication.sidecar.SidecarMain");
        assertThat(plainValues(sidecar.getEnv()))
                .containsEntry("HARPERDB_URL", "http://127.0.0.1:9925")
                .containsEntry("HARPERDB_CREDENTIALS_DIR", "/etc/harperdb/admin")
                .containsEntry("SIDECAR_PORT", "9950");
        assertThat(plainValues(sidecar.getEnv()).get("JAVA_TOOL_OPTIONS")).contains("-Xmx48m", "-XX:+UseSerialGC");
        assertThat(sidecar.getEnv()).noneMatch(e -> e.getValueFrom() != null);
        assertThat(sidecar.getVolumeMounts()).anySatisfy(m -> {
            assertThat(m.getName()).isEqualTo("admin-credentials");
            assertThat(m.getMountPath()).isEqualTo("/etc/harperdb/admin");
            assertThat(m.getReadOnly()).isTrue();
        });
        assertThat(pod.getVolumes()).anySatisfy(v -> {
            assertThat(v.getName()).isEqualTo("admin-credentials");
            assertThat(v.getSecret().getSecretName()).isEqualTo("demo-admin");
            assertThat(v.getSecret().getItems()).extracting(i -> i.getKey()).containsExactly("username", "password");
        });
        assertThat(sidecar.getResources().getRequests()).containsEntry("memory", new Quantity("64Mi")).containsEntry("cpu", new Quantity("10m"));
        assertThat(sidecar.getResources().getLimits()).containsOnlyKeys("memory").containsEntry("memory", new Quantity("128Mi"));
    }

    @Test
    void aNewBatchOfCertificatesIsANewPodTemplate() {
        StatefulSet first = builder.build(Clusters.demo(), "2026-12-03T04:00:00Z");
        StatefulSet renewed = builder.build(Clusters.demo(), "2027-11-03T04:00:00Z");

        assertThat(first.getSpec().getTemplate().getMetadata().getAnnotations())
                .containsEntry(MemberCertificates.ISSUED_ANNOTATION, "2026-12-03T04:00:00Z");
        assertThat(TemplateHash.desired(renewed)).isNotEqualTo(TemplateHash.desired(first));
        assertThat(TemplateHash.desired(builder.build(Clusters.demo(), "2026-12-03T04:00:00Z"))).isEqualTo(TemplateHash.desired(first));
        assertThat(builder.build(Clusters.demo()).getSpec().getTemplate().getMetadata().getAnnotations())
                .doesNotContainKey(MemberCertificates.ISSUED_ANNOTATION);
    }

    @Test
    void aDisabledSidecarLeavesHarperDbAlone() {
        HarperCluster cluster = Clusters.demo();
        cluster.getSpec().getInstances().setSidecar(new Sidecar());
        cluster.getSpec().getInstances().getSidecar().setEnabled(false);
        StatefulSet sts = builder.build(cluster);

        assertThat(sts.getSpec().getTemplate().getSpec().getContainers()).extracting(Container::getName).containsExactly("harperdb");
        assertThat(sts.getSpec().getTemplate().getSpec().getVolumes()).extracting(v -> v.getName()).containsExactly("tls");
        assertThat(harper(sts).getReadinessProbe().getHttpGet().getPath()).isEqualTo("/health");
        // Without a sidecar the operator's image is not needed.
        assertThat(new DesiredStatefulSet(null).build(cluster).getSpec().getTemplate().getSpec().getContainers()).hasSize(1);
    }

    @Test
    void theSidecarIsOnUnlessDisabled() {
        HarperCluster cluster = Clusters.demo();
        cluster.getSpec().getInstances().setSidecar(null);

        assertThat(sidecar(builder.build(cluster))).isPresent();
        assertThatThrownBy(() -> new DesiredStatefulSet(null).build(cluster))
                .isInstanceOf(IllegalStateException.class).hasMessageContaining("OPERATOR_IMAGE");
    }

    /** A problem of the operator's configuration, which the reconciler reports as the cluster's condition. */
    @Test
    void anInvalidOperatorImageIsAConfigurationErrorThatSaysWhatToChange() {
        DesiredStatefulSet invalid = DesiredStatefulSet.fromEnvironment(Map.of("OPERATOR_IMAGE", "Not An Image"));

        assertThatThrownBy(() -> invalid.build(Clusters.demo()))
                .isInstanceOf(ConfigurationException.class)
                .hasMessageContaining("OPERATOR_IMAGE \"Not An Image\" is not an image reference")
                .hasMessageContaining("spec.instances.sidecar.enabled");
        HarperCluster withoutSidecar = Clusters.demo();
        withoutSidecar.getSpec().getInstances().setSidecar(new Sidecar());
        withoutSidecar.getSpec().getInstances().getSidecar().setEnabled(false);
        assertThat(invalid.build(withoutSidecar).getSpec().getTemplate().getSpec().getContainers()).hasSize(1);
    }

    @Test
    void everyContainerRunsRestricted() {
        StatefulSet sts = builder.build(Clusters.demo());
        PodSpec pod = sts.getSpec().getTemplate().getSpec();

        assertThat(pod.getSecurityContext().getRunAsNonRoot()).isTrue();
        assertThat(pod.getSecurityContext().getRunAsUser()).isEqualTo(1000L);
        assertThat(pod.getSecurityContext().getFsGroup()).isEqualTo(1000L);
        assertThat(pod.getSecurityContext().getSeccompProfile().getType()).isEqualTo("RuntimeDefault");
        assertThat(pod.getContainers()).hasSize(2).allSatisfy(c -> {
            SecurityContext sc = c.getSecurityContext();
            assertThat(sc.getAllowPrivilegeEscalation()).isFalse();
            assertThat(sc.getCapabilities().getDrop()).containsExactly("ALL");
            assertThat(sc.getCapabilities().getAdd()).isNullOrEmpty();
            assertThat(sc.getPrivileged()).isNotEqualTo(Boolean.TRUE);
        });
        assertThat(pod.getEnableServiceLinks()).isFalse();
        assertThat(pod.getAutomountServiceAccountToken()).isFalse();
    }

    @Test
    void eachPodClaimsAVolumeOfTheSpecsSizeAndClass() {
        var claim = builder.build(Clusters.custom()).getSpec().getVolumeClaimTemplates();

        assertThat(claim).singleElement().satisfies(c -> {
            assertThat(c.getMetadata().getName()).isEqualTo("data");
            assertThat(c.getSpec().getAccessModes()).containsExactly("ReadWriteOnce");
            assertThat(c.getSpec().getStorageClassName()).isEqualTo("fast-ssd");
            assertThat(c.getSpec().getResources().getRequests()).containsEntry("storage", new Quantity("50Gi"));
        });
        assertThat(builder.build(Clusters.demo()).getSpec().getVolumeClaimTemplates().get(0).getSpec().getStorageClassName())
                .as("absent: the cluster's default StorageClass").isNull();
    }

    @Test
    void claimsAreKeptOnScaleDownUnlessAskedAndAlwaysKeptOnDeletion() {
        var kept = builder.build(Clusters.demo()).getSpec().getPersistentVolumeClaimRetentionPolicy();
        var deleted = builder.build(Clusters.custom()).getSpec().getPersistentVolumeClaimRetentionPolicy();

        assertThat(kept.getWhenScaled()).isEqualTo("Retain");
        assertThat(kept.getWhenDeleted()).isEqualTo("Retain");
        assertThat(deleted.getWhenScaled()).isEqualTo("Delete");
        assertThat(deleted.getWhenDeleted()).isEqualTo("Retain");
    }

    @Test
    void theHarperDbContainerIsTheDefaultOneForKubectl() {
        assertThat(builder.build(Clusters.demo()).getSpec().getTemplate().getMetadata().getAnnotations())
                .containsEntry("kubectl.kubernetes.io/default-container", "harperdb");
    }

    static Container harper(StatefulSet sts) {
        return sts.getSpec().getTemplate().getSpec().getContainers().stream()
                .filter(c -> c.getName().equals("harperdb")).findFirst().orElseThrow();
    }

    static Optional<Container> sidecar(StatefulSet sts) {
        return sts.getSpec().getTemplate().getSpec().getContainers().stream()
                .filter(c -> c.getName().equals("replication-sidecar")).findFirst();
    }

    private static EnvVar env(List<EnvVar> env, String name) {
        return env.stream().filter(e -> e.getName().equals(name)).findFirst().orElseThrow(() -> new AssertionError("no " + name));
    }

    private static Map<String, String> plainValues(List<EnvVar> env) {
        Map<String, String> values = new HashMap<>();
        env.stream().filter(e -> e.getValue() != null).forEach(e -> values.put(e.getName(), e.getValue()));
        return values;
    }

    private static final Pattern REFERENCE = Pattern.compile("\\$\\$|\\$\\(([A-Za-z_][A-Za-z0-9_]*)\\)");

    /**
     * The kubelet's expansion of a container's environment: $(VAR) is replaced by the value of a variable
     * defined earlier in the list, an unresolved reference stays as written, $$ becomes $. Field
     * references take their value from {@code fields}.
     */
    static Map<String, String> expand(List<EnvVar> env, Map<String, String> fields) {
        Map<String, String> defined = new HashMap<>();
        for (EnvVar var : env) {
            String value;
            if (var.getValueFrom() != null) {
                value = var.getValueFrom().getFieldRef() == null ? null : fields.get(var.getValueFrom().getFieldRef().getFieldPath());
            } else {
                Matcher m = REFERENCE.matcher(var.getValue());
                StringBuilder out = new StringBuilder();
                while (m.find()) {
                    String replacement = m.group().equals("$$") ? "$"
                            : defined.getOrDefault(m.group(1), m.group());
                    m.appendReplacement(out, Matcher.quoteReplacement(replacement));
                }
                m.appendTail(out);
                value = out.toString();
            }
            if (value != null) {
                defined.put(var.getName(), value);
            }
        }
        return defined;
    }

    @Test
    void aRestartAskedForOnTheClusterChangesTheTemplateAndItsHash() {
        HarperCluster cluster = Clusters.demo();
        String before = TemplateHash.desired(builder.build(cluster));
        cluster.getMetadata().setAnnotations(new HashMap<>(Map.of(DesiredStatefulSet.RESTARTED_AT_ANNOTATION, "2026-12-03T04:00:00Z")));

        StatefulSet restarted = builder.build(cluster);

        assertThat(restarted.getSpec().getTemplate().getMetadata().getAnnotations())
                .containsEntry(DesiredStatefulSet.RESTARTED_AT_ANNOTATION, "2026-12-03T04:00:00Z");
        assertThat(TemplateHash.desired(restarted)).isNotEqualTo(before).isEqualTo(TemplateHash.desired(builder.build(cluster)));
        cluster.getMetadata().getAnnotations().put(DesiredStatefulSet.RESTARTED_AT_ANNOTATION, "2026-12-03T05:00:00Z");
        assertThat(TemplateHash.desired(builder.build(cluster))).isNotEqualTo(TemplateHash.desired(restarted)).isNotEqualTo(before);
        cluster.getMetadata().getAnnotations().put(DesiredStatefulSet.RESTARTED_AT_ANNOTATION, "");
        assertThat(TemplateHash.desired(builder.build(cluster))).as("empty = none").isEqualTo(before);
    }

    @Test
    void kubectlRolloutRestartOnTheStatefulSetIsKeptAndCountsInTheHash() {
        HarperCluster cluster = Clusters.demo();
        StatefulSet plain = builder.build(cluster);
        assertThat(DesiredStatefulSet.kubectlRestartedAt(plain)).isNull();

        StatefulSet kept = builder.build(cluster, null, "2026-12-03T04:00:00+00:00");

        assertThat(DesiredStatefulSet.kubectlRestartedAt(kept)).isEqualTo("2026-12-03T04:00:00+00:00");
        assertThat(TemplateHash.desired(kept)).isNotEqualTo(TemplateHash.desired(plain));
        assertThat(TemplateHash.desired(builder.build(cluster, null, "2026-12-03T04:00:00+00:00"))).isEqualTo(TemplateHash.desired(kept));
    }
}

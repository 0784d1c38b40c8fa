package io.harperdb.operator.helm;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.parallel.ResourceLock;
import com.marcnuri.helm.Helm;
import com.marcnuri.helm.LintResult;
import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.PodSpec;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.ServiceAccount;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.rbac.ClusterRole;
import io.fabric8.kubernetes.api.model.rbac.ClusterRoleBinding;
import io.fabric8.kubernetes.api.model.rbac.Role;
import io.fabric8.kubernetes.api.model.rbac.RoleBinding;
import io.fabric8.openshift.api.model.monitoring.v1.Endpoint;
import io.fabric8.openshift.api.model.monitoring.v1.ServiceMonitor;
import io.harperdb.operator.OperatorSettings;
import io.harperdb.operator.resources.DesiredStatefulSet;
import io.harperdb.operator.api.CrdValidator;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** helm lint --strict, helm template with default and other values, and values refused by values.schema.json. */
@ResourceLock("helm")    // helm-java's native library, one caller at a time
class HelmChartTest {
    static final Map<String, String> NON_DEFAULT = Map.of(
            "watchNamespaces[0]", "team-a",
            "watchNamespaces[1]", "team-b",
            "replicas", "2",
            "image.tag", "1.2.3",
            "metrics.serviceMonitor.enabled", "true",
            "metrics.serviceMonitor.labels.release", "prometheus");

    @Test
    void lintStrictPasses() {
        LintResult lint = OperatorChart.lintStrict();

        assertThat(lint.isFailed()).as("helm lint --strict: %s", lint.getMessages()).isFalse();
        assertThat(lint.getMessages()).allMatch(m -> m.startsWith("[INFO]"), "only informational messages");
    }

    @Test
    void defaultValuesRenderAHardenedOperatorWithAClusterRole() throws IOException {
        List<HasMetadata> documents = OperatorChart.render(Map.of());

        assertThat(documents).extracting(HasMetadata::getKind).containsExactlyInAnyOrder("ServiceAccount",
                "ClusterRole", "ClusterRole", "ClusterRole", "ClusterRoleBinding", "Role", "RoleBinding", "Service", "Deployment");
        assertThat(documents).allMatch(d -> d instanceof ClusterRole || d instanceof ClusterRoleBinding
                || OperatorChart.NAMESPACE.equals(d.getMetadata().getNamespace()), "namespaced in the release namespace");

        Deployment deployment = OperatorChart.single(documents, Deployment.class);
        assertThat(deployment.getSpec().getReplicas()).isEqualTo(1);
        Container operator = operatorContainer(deployment);
        assertThat(operator.getImage()).isEqualTo("ghcr.io/harperdb-operator/harperdb-operator:" + chartField("appVersion"));
        assertHardened(deployment);
        assertThat(operator.getArgs()).containsExactly("io.harperdb.operator.Main");
        // The replication sidecar of managed instances runs the operator's image.
        assertThat(environment(deployment)).containsEntry(DesiredStatefulSet.OPERATOR_IMAGE_ENV, operator.getImage());

        OperatorSettings settings = OperatorSettings.fromEnvironment(environment(deployment));
        assertThat(settings.watchesAllNamespaces()).isTrue();
        assertThat(settings.leaderElection()).isTrue();
        assertThat(settings.leaseName()).isEqualTo("harperdb-operator-lock");
        assertThat(settings.leaseNamespace()).isEqualTo(OperatorChart.NAMESPACE);

        assertThat(deployment.getSpec().getTemplate().getSpec().getServiceAccountName())
                .isEqualTo(OperatorChart.single(documents, ServiceAccount.class).getMetadata().getName());
        assertThat(ChartRbac.of(documents).grants()).anyMatch(g -> g.namespace() == null);
        assertMetricsServiceSelects(OperatorChart.single(documents, Service.class), deployment);
    }

    @Test
    void watchNamespacesReplicasAndServiceMonitor() {
        List<HasMetadata> documents = OperatorChart.render(NON_DEFAULT);

        Deployment deployment = OperatorChart.single(documents, Deployment.class);
        assertThat(deployment.getSpec().getReplicas()).isEqualTo(2);
        assertThat(operatorContainer(deployment).getImage()).isEqualTo("ghcr.io/harperdb-operator/harperdb-operator:1.2.3");
        assertHardened(deployment);
        OperatorSettings settings = OperatorSettings.fromEnvironment(environment(deployment));
        assertThat(settings.watchNamespaces()).containsExactlyInAnyOrder("team-a", "team-b");
        assertThat(settings.leaderElection()).isTrue();

        // nothing cluster-wide for the operator: a Role and its binding in each watched namespace, and the Lease's
        assertThat(OperatorChart.ofKind(documents, ClusterRoleBinding.class)).isEmpty();
        assertThat(OperatorChart.ofKind(documents, Role.class)).extracting(r -> r.getMetadata().getNamespace())
                .containsExactlyInAnyOrder("team-a", "team-b", OperatorChart.NAMESPACE);
        assertThat(OperatorChart.ofKind(documents, RoleBinding.class)).extracting(r -> r.getMetadata().getNamespace())
                .containsExactlyInAnyOrder("team-a", "team-b", OperatorChart.NAMESPACE);
        assertThat(ChartRbac.of(documents).grants()).allMatch(g -> g.namespace() != null, "every grant is namespaced");
        assertThat(OperatorChart.ofKind(documents, ClusterRole.class)).allMatch(r -> r.getMetadata().getName().endsWith("-edit")
                || r.getMetadata().getName().endsWith("-view"), "only the roles aggregated to admin, edit and view");

        Service service = OperatorChart.single(documents, Service.class);
        assertMetricsServiceSelects(service, deployment);
        ServiceMonitor monitor = OperatorChart.single(documents, ServiceMonitor.class);
        assertThat(monitor.getMetadata().getLabels()).containsEntry("release", "prometheus");
        assertThat(monitor.getSpec().getNamespaceSelector().getMatchNames()).containsExactly(OperatorChart.NAMESPACE);
        assertThat(service.getMetadata().getLabels()).containsAllEntriesOf(monitor.getSpec().getSelector().getMatchLabels());
        Endpoint endpoint = monitor.getSpec().getEndpoints().get(0);
        assertThat(endpoint.getPath()).isEqualTo("/metrics");
        assertThat(service.getSpec().getPorts()).anyMatch(p -> p.getName().equals(endpoint.getPort()));
    }

    @Test
    void noRuleUsesAWildcard() {
        assertThat(ChartRbac.of(OperatorChart.render(Map.of())).wildcardRules()).isEmpty();
        assertThat(ChartRbac.of(OperatorChart.render(NON_DEFAULT)).wildcardRules()).isEmpty();
    }

    static Stream<Arguments> badValues() {
        return Stream.of(
                Arguments.of(Map.of("replicas", "two"), "at '/replicas': got string, want integer"),
                Arguments.of(Map.of("replicas", "-1"), "/replicas"),
                Arguments.of(Map.of("image.pullPolicy", "Sometimes"), "at '/image/pullPolicy': value must be one of 'Always', 'IfNotPresent', 'Never'"),
                Arguments.of(Map.of("watchNamespaces", "team-a"), "at '/watchNamespaces': got string, want array"),
                Arguments.of(Map.of("watchNamespaces[0]", "Team_A"), "at '/watchNamespaces/0'"),
                Arguments.of(Map.of("httpPort", "70000"), "/httpPort"),
                Arguments.of(Map.of("metrics.serviceMonitor.interval", "soon"), "/metrics/serviceMonitor/interval"),
                Arguments.of(Map.of("replicaCount", "2"), "additional properties 'replicaCount' not allowed"),
                Arguments.of(Map.of("leaderElection.enable", "true"), "additional properties 'enable' not allowed"),
                Arguments.of(Map.of("replicas", "2", "leaderElection.enabled", "false"), "replicas > 1 needs leaderElection.enabled=true"),
                Arguments.of(Map.of("metrics.serviceMonitor.enabled", "true", "metrics.service.enabled", "false"),
                        "metrics.serviceMonitor.enabled needs metrics.service.enabled"),
                Arguments.of(Map.of("serviceAccount.create", "false"), "serviceAccount.name is required"));
    }

    @ParameterizedTest
    @MethodSource("badValues")
    void badValuesAreRefusedWithAClearMessage(Map<String, String> values, String message) {
        assertThatThrownBy(() -> OperatorChart.template(values)).hasMessageContaining(message);
    }

    /** "values.yaml documented line by line": every value has a comment, on its line's key or on an enclosing key. */
    @Test
    void everyValueIsDocumented() throws IOException {
        List<String> lines = Files.readAllLines(OperatorChart.DIR.resolve("values.yaml"));
        Pattern key = Pattern.compile("^(\\s*)([A-Za-z][A-Za-z0-9]*):(.*)$");
        Deque<int[]> documentedAncestors = new ArrayDeque<>();   // {indent, documented 0/1}
        List<String> undocumented = new ArrayList<>();
        for (int i = 0; i < lines.size(); i++) {
            Matcher m = key.matcher(lines.get(i));
            if (!m.matches()) {
                continue;
            }
            int indent = m.group(1).length();
            while (!documentedAncestors.isEmpty() && documentedAncestors.peek()[0] >= indent) {
                documentedAncestors.pop();
            }
            boolean commented = i > 0 && lines.get(i - 1).strip().startsWith("#");
            boolean inherited = documentedAncestors.stream().anyMatch(a -> a[1] == 1);
            boolean leaf = !m.group(3).isBlank();
            if (leaf && !commented && !inherited) {
                undocumented.add((i + 1) + ": " + lines.get(i).strip());
            }
            documentedAncestors.push(new int[] {indent, commented ? 1 : 0});
        }
        assertThat(undocumented).as("values without a comment").isEmpty();
    }

    /** The image's USER (Dockerfile) is the user the chart runs it as, and it runs the main class the chart names. */
    @Test
    void theImageMatchesTheChart() throws IOException {
        String dockerfile = Files.readString(Path.of("Dockerfile"));
        Matcher user = Pattern.compile("(?m)^USER (\\d+):(\\d+)\\s*$").matcher(dockerfile);
        assertThat(user.find()).as("a numeric USER uid:gid").isTrue();
        assertThat(Long.parseLong(user.group(1))).isPositive();
        assertThat(dockerfile).containsPattern("(?m)^FROM \\S+:17-jre\\S*$");

        PodSpec pod = OperatorChart.single(OperatorChart.render(Map.of()), Deployment.class).getSpec().getTemplate().getSpec();
        assertThat(pod.getSecurityContext().getRunAsUser()).isEqualTo(Long.parseLong(user.group(1)));
        assertThat(pod.getSecurityContext().getRunAsGroup()).isEqualTo(Long.parseLong(user.group(2)));
        assertThat(dockerfile).contains("ENTRYPOINT [\"java\", \"-cp\", \"/app/app.jar\"]").contains("CMD [\"io.harperdb.operator.Main\"]");
        assertThat(pod.getContainers().get(0).getArgs()).allSatisfy(mainClass -> assertThat(Class.forName(mainClass)).isNotNull());
    }

    /**
     * NOTES.txt (which helm template does not render) tells how to create a first cluster, with a manifest
     * that the CRDs accept: rendered here through a copy of the chart that puts it into a ConfigMap.
     */
    @Test
    void theNotesShowAFirstClusterThatTheCrdsAccept(@TempDir Path tmp) throws IOException {
        Path chart = tmp.resolve("chart");
        try (Stream<Path> files = Files.walk(OperatorChart.DIR)) {
            for (Path file : files.toList()) {
                Path target = chart.resolve(OperatorChart.DIR.relativize(file).toString());
                if (Files.isDirectory(file)) {
                    Files.createDirectories(target);
                } else {
                    Files.copy(file, target);
                }
            }
        }
        Files.copy(OperatorChart.DIR.resolve("templates/NOTES.txt"), chart.resolve("notes.tpl"));
        Files.writeString(chart.resolve("templates/rendered-notes.yaml"), """
                apiVersion: v1
                kind: ConfigMap
                metadata:
                  name: rendered-notes
                data:
                  notes: |
                {{ tpl (.Files.Get "notes.tpl") . | indent 4 }}
                """);
        String notes = OperatorChart.documents(new Helm(chart).template().withName(OperatorChart.RELEASE)
                        .withNamespace(OperatorChart.NAMESPACE).withKubeVersion(OperatorChart.KUBE_VERSION).call())
                .stream().filter(d -> d instanceof ConfigMap).map(d -> ((ConfigMap) d).getData().get("notes"))
                .findFirst().orElseThrow();

        assertThat(notes).contains("watching all namespaces", "kubectl get harperclusters", "kubectl describe harpercluster demo");
        Matcher manifest = Pattern.compile("<<'YAML'\\n(.*?)\\nYAML\\n", Pattern.DOTALL).matcher(notes);
        assertThat(manifest.find()).as("a manifest in:\n" + notes).isTrue();
        String cluster = manifest.group(1);
        assertThat(CrdValidator.forCrds(Path.of("crds")).validate(cluster)).isEmpty();
        assertThat(cluster).contains("kind: HarperCluster", "replicas: 3");
    }

    /** The container's environment as the pod sees it (the downward API's metadata.namespace resolved). */
    static Map<String, String> environment(Deployment deployment) {
        Map<String, String> env = new LinkedHashMap<>();
        for (EnvVar var : operatorContainer(deployment).getEnv()) {
            if (var.getValueFrom() == null) {
                env.put(var.getName(), var.getValue());
            } else if (var.getValueFrom().getFieldRef() != null && "metadata.namespace".equals(var.getValueFrom().getFieldRef().getFieldPath())) {
                env.put(var.getName(), deployment.getMetadata().getNamespace());
            } else {
                throw new AssertionError("unexpected valueFrom in " + var.getName());
            }
        }
        return env;
    }

    static Container operatorContainer(Deployment deployment) {
        List<Container> containers = deployment.getSpec().getTemplate().getSpec().getContainers();
        assertThat(containers).hasSize(1);
        return containers.get(0);
    }

    private static void assertHardened(Deployment deployment) {
        PodSpec pod = deployment.getSpec().getTemplate().getSpec();
        Container c = operatorContainer(deployment);
        assertThat(pod.getSecurityContext().getRunAsNonRoot()).isTrue();
        assertThat(pod.getSecurityContext().getRunAsUser()).isPositive();
        assertThat(pod.getSecurityContext().getSeccompProfile().getType()).isEqualTo("RuntimeDefault");
        assertThat(c.getSecurityContext().getRunAsNonRoot()).isTrue();
        assertThat(c.getSecurityContext().getReadOnlyRootFilesystem()).isTrue();
        assertThat(c.getSecurityContext().getAllowPrivilegeEscalation()).isFalse();
        assertThat(c.getSecurityContext().getCapabilities().getDrop()).containsExactly("ALL");
        assertThat(c.getSecurityContext().getCapabilities().getAdd()).isNullOrEmpty();
        assertThat(c.getSecurityContext().getPrivileged()).isNotEqualTo(Boolean.TRUE);
        for (String kind : Set.of("cpu", "memory")) {
            assertThat(c.getResources().getRequests()).containsKey(kind);
            assertThat(c.getResources().getLimits()).containsKey(kind);
        }
        // the JVM's temporary files: the only writable place
        assertThat(c.getVolumeMounts()).anyMatch(m -> m.getMountPath().equals("/tmp"));
        assertThat(pod.getVolumes()).anyMatch(v -> v.getEmptyDir() != null);

        // liveness and readiness on the operator's own endpoints, at the port it serves them on (HTTP_PORT)
        String httpPort = environment(deployment).get("HTTP_PORT");
        assertThat(c.getPorts()).anyMatch(p -> p.getName().equals("http") && p.getContainerPort().toString().equals(httpPort));
        assertThat(c.getLivenessProbe().getHttpGet().getPath()).isEqualTo("/healthz");
        assertThat(c.getLivenessProbe().getHttpGet().getPort().getStrVal()).isEqualTo("http");
        assertThat(c.getStartupProbe().getHttpGet().getPath()).isEqualTo("/healthz");
        assertThat(c.getReadinessProbe().getHttpGet().getPath()).isEqualTo("/readyz");
        assertThat(c.getReadinessProbe().getHttpGet().getPort().getStrVal()).isEqualTo("http");
    }

    private static void assertMetricsServiceSelects(Service service, Deployment deployment) {
        assertThat(deployment.getSpec().getTemplate().getMetadata().getLabels()).containsAllEntriesOf(service.getSpec().getSelector());
        assertThat(service.getSpec().getPorts()).singleElement().satisfies(p -> {
            assertThat(p.getName()).isEqualTo("http-metrics");
            assertThat(p.getTargetPort().getStrVal()).isEqualTo("http");
        });
    }

    static String chartField(String field) throws IOException {
        return Files.readAllLines(OperatorChart.DIR.resolve("Chart.yaml")).stream()
                .filter(l -> l.startsWith(field + ":"))
                .map(l -> l.substring(field.length() + 1).strip().replace("\"", ""))
                .findFirst().orElseThrow();
    }
}

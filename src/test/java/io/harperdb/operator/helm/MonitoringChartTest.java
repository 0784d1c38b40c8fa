package io.harperdb.operator.helm;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.parallel.ResourceLock;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.client.utils.Serialization;
import io.fabric8.openshift.api.model.monitoring.v1.PodMetricsEndpoint;
import io.fabric8.openshift.api.model.monitoring.v1.PodMonitor;
import io.fabric8.openshift.api.model.monitoring.v1.PrometheusRule;
import io.fabric8.openshift.api.model.monitoring.v1.Rule;
import io.fabric8.openshift.api.model.monitoring.v1.ServiceMonitor;
import io.harperdb.operator.reconciler.ExportedMetrics;
import io.harperdb.operator.resources.DesiredServices;
import io.harperdb.operator.resources.DesiredStatefulSet;
import io.harperdb.operator.resources.HarperPorts;
import io.harperdb.operator.resources.ResourceNames;
import io.harperdb.operator.api.HarperCluster;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;

/**
 * The chart's monitoring bundle (values monitoring.*): a PodMonitor that finds the managed pods' sidecar port, alert
 * rules and a Grafana dashboard that read only metrics this code exports. All opt-in.
 */
@ResourceLock("helm")    // helm-java's native library, one caller at a time
class MonitoringChartTest {
    static final Map<String, String> ALL_ON = Map.of(
            "monitoring.podMonitor.enabled", "true",
            "monitoring.podMonitor.labels.release", "prometheus",
            "monitoring.prometheusRules.enabled", "true",
            "monitoring.prometheusRules.labels.release", "prometheus",
            "monitoring.grafanaDashboard.enabled", "true",
            "metrics.serviceMonitor.enabled", "true");
    static final Path RULES = OperatorChart.DIR.resolve("files/prometheus-rules.yaml");
    static final Path DASHBOARD = OperatorChart.DIR.resolve("dashboards/harperdb.json");
    private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());
    private static final ObjectMapper JSON = new ObjectMapper();

    @Test
    void nothingOfItIsRenderedByDefault() {
        List<HasMetadata> documents = OperatorChart.render(Map.of());

        assertThat(OperatorChart.ofKind(documents, PodMonitor.class)).isEmpty();
        assertThat(OperatorChart.ofKind(documents, PrometheusRule.class)).isEmpty();
        assertThat(OperatorChart.ofKind(documents, ConfigMap.class)).isEmpty();
    }

    @Test
    void thePodMonitorScrapesTheSidecarOfEveryManagedPod() {
        PodMonitor monitor = OperatorChart.single(OperatorChart.render(ALL_ON), PodMonitor.class);

        assertThat(monitor.getMetadata().getLabels()).containsEntry("release", "prometheus");
        assertThat(monitor.getSpec().getNamespaceSelector().getAny()).isTrue();
        // the pods of any cluster: the labels every managed pod carries, none that names one cluster
        HarperCluster cluster = managedCluster();
        Map<String, String> podLabels = new DesiredStatefulSet("ghcr.io/x/operator:1").build(cluster)
                .getSpec().getTemplate().getMetadata().getLabels();
        assertThat(podLabels).containsAllEntriesOf(monitor.getSpec().getSelector().getMatchLabels());
        assertThat(monitor.getSpec().getSelector().getMatchLabels()).doesNotContainKey(ResourceNames.LABEL_INSTANCE);
        PodMetricsEndpoint endpoint = monitor.getSpec().getPodMetricsEndpoints().get(0);
        assertThat(endpoint.getPath()).isEqualTo("/metrics");
        assertThat(endpoint.getPort()).isEqualTo(HarperPorts.SIDECAR_NAME);
        Container sidecar = new DesiredStatefulSet("ghcr.io/x/operator:1").build(cluster).getSpec().getTemplate().getSpec()
                .getContainers().stream().filter(c -> c.getPorts() != null
                        && c.getPorts().stream().anyMatch(p -> endpoint.getPort().equals(p.getName()))).findFirst().orElseThrow();
        assertThat(sidecar.getPorts()).anyMatch(p -> p.getContainerPort() == HarperPorts.SIDECAR);
        // the alerts name the cluster: its pods' instance label becomes the label cluster
        assertThat(endpoint.getRelabelings()).anyMatch(r -> "cluster".equals(r.getTargetLabel())
                && r.getSourceLabels().equals(List.of("__meta_kubernetes_pod_label_app_kubernetes_io_instance")));
        assertThat(podLabels).containsEntry(ResourceNames.LABEL_INSTANCE, cluster.getMetadata().getName());
        // and the headless Service names the same port, for those who scrape by Service
        Service headless = DesiredServices.headless(cluster);
        assertThat(headless.getSpec().getPorts()).anyMatch(p -> p.getName().equals(HarperPorts.SIDECAR_NAME));
    }

    @Test
    void withWatchNamespacesThePodMonitorLooksOnlyThere() {
        PodMonitor monitor = OperatorChart.single(OperatorChart.render(Map.of("monitoring.podMonitor.enabled", "true",
                "watchNamespaces[0]", "team-a", "watchNamespaces[1]", "team-b")), PodMonitor.class);

        assertThat(monitor.getSpec().getNamespaceSelector().getAny()).isNotEqualTo(Boolean.TRUE);
        assertThat(monitor.getSpec().getNamespaceSelector().getMatchNames()).containsExactly("team-a", "team-b");
    }

    @Test
    void theOperatorsServiceMonitorKeepsTheClusterLabelsOfItsGauges() {
        ServiceMonitor monitor = OperatorChart.single(OperatorChart.render(ALL_ON), ServiceMonitor.class);

        // without honorLabels Prometheus renames the gauges' namespace to exported_namespace (the target's wins)
        assertThat(monitor.getSpec().getEndpoints().get(0).getHonorLabels()).isTrue();
    }

    @Test
    void thePrometheusRuleIsTheRulesFile() throws IOException {
        PrometheusRule rule = OperatorChart.single(OperatorChart.render(ALL_ON), PrometheusRule.class);

        assertThat(rule.getMetadata().getLabels()).containsEntry("release", "prometheus");
        assertThat(rule.getMetadata().getNamespace()).isEqualTo(OperatorChart.NAMESPACE);
        JsonNode file = YAML.readTree(RULES.toFile());
        JsonNode rendered = JSON.readTree(Serialization.asJson(rule.getSpec()));
        assertThat(rendered).isEqualTo(file);
    }

    @Test
    void theAlertsCoverWhatPlatformTeamsAskForAndAreComplete() throws IOException {
        List<Rule> rules = rules();

        assertThat(rules).extracting(Rule::getAlert).contains("HarperDBMemberNotReady", "HarperDBClusterMembersNotReady",
                "HarperDBReplicationSocketDown", "HarperDBReplicationBackPressureHigh", "HarperDBRoutesPendingRestart",
                "HarperDBCredentialsRefused", "HarperDBCertificateExpiresSoon");
        assertThat(rules).extracting(Rule::getAlert).doesNotHaveDuplicates();
        for (Rule rule : rules) {
            assertThat(rule.getFor()).as("%s waits before firing", rule.getAlert()).matches("\\d+[mh]");
            assertThat(rule.getLabels()).as(rule.getAlert()).containsKey("severity");
            assertThat(rule.getLabels().get("severity")).isIn("critical", "warning", "info");
            assertThat(rule.getAnnotations()).as(rule.getAlert()).containsKeys("summary", "description");
        }
    }

    @Test
    void everyAlertReadsOnlyMetricsTheOperatorOrTheSidecarExports() throws IOException {
        Set<String> exported = ExportedMetrics.all();
        assertThat(exported).contains("harperdb_operator_certificate_expiry_timestamp_seconds", "harperdb_replication_connected");

        Set<String> read = new TreeSet<>();
        for (Rule rule : rules()) {
            Set<String> names = PromQl.metricNames(rule.getExpr().getStrVal());
            assertThat(names).as("metrics of %s", rule.getAlert()).isNotEmpty();
            assertThat(exported).as("%s reads %s", rule.getAlert(), names).containsAll(names);
            read.addAll(names);
        }
        assertThat(read).contains("harperdb_operator_cluster_routes_pending_restart", "harperdb_operator_cluster_credentials_refused",
                "harperdb_replication_backpressure_percent", "harperdb_sidecar_ready");
    }

    @Test
    void theDashboardIsValidJsonAndEveryPanelReadsExportedMetrics() throws IOException {
        ConfigMap map = OperatorChart.single(OperatorChart.render(ALL_ON), ConfigMap.class);
        assertThat(map.getMetadata().getLabels()).containsEntry("grafana_dashboard", "1");
        JsonNode dashboard = JSON.readTree(map.getData().get("harperdb.json"));
        assertThat(dashboard).isEqualTo(JSON.readTree(DASHBOARD.toFile()));

        Set<String> exported = ExportedMetrics.all();
        List<String> expressions = new ArrayList<>();
        dashboard.path("panels").forEach(panel -> panel.path("targets").forEach(t -> expressions.add(t.path("expr").asText())));
        dashboard.path("templating").path("list").forEach(v -> {
            if (v.path("query").has("query")) {
                expressions.add(v.path("query").path("query").asText().replaceAll("^label_values\\((.*),\\s*\\w+\\)$", "$1"));
            }
        });
        assertThat(expressions).hasSizeGreaterThan(10);
        Set<String> read = new TreeSet<>();
        for (String expression : expressions) {
            Set<String> names = PromQl.metricNames(expression);
            assertThat(names).as(expression).isNotEmpty();
            assertThat(exported).as(expression).containsAll(names);
            read.addAll(names);
        }
        // every metric of the sidecar has a panel
        assertThat(read).containsAll(ExportedMetrics.sidecar());
    }

    @Test
    void theDashboardGoesWhereGrafanaLooks() {
        ConfigMap map = OperatorChart.single(OperatorChart.render(Map.of("monitoring.grafanaDashboard.enabled", "true",
                "monitoring.grafanaDashboard.namespace", "grafana", "monitoring.grafanaDashboard.annotations.grafana_folder", "HarperDB")),
                ConfigMap.class);

        assertThat(map.getMetadata().getNamespace()).isEqualTo("grafana");
        assertThat(map.getMetadata().getAnnotations()).containsEntry("grafana_folder", "HarperDB");
    }

    @Test
    void badMonitoringValuesAreRefused() {
        assertThatThrownBy(() -> OperatorChart.template(Map.of("monitoring.podMonitor.interval", "soon")))
                .hasMessageContaining("/monitoring/podMonitor/interval");
        assertThatThrownBy(() -> OperatorChart.template(Map.of("monitoring.prometheusRule.enabled", "true")))
                .hasMessageContaining("additional properties 'prometheusRule' not allowed");
    }

    static List<Rule> rules() throws IOException {
        PrometheusRule rule = OperatorChart.single(OperatorChart.render(ALL_ON), PrometheusRule.class);
        return rule.getSpec().getGroups().stream().flatMap(g -> g.getRules().stream()).toList();
    }

    private static HarperCluster managedCluster() {
        HarperCluster cluster = Serialization.unmarshal("""
                apiVersion: harperdb.io/v1alpha1
                kind: HarperCluster
                metadata: { name: demo, namespace: ns, uid: 5f0c1a8e-3b7d-4c2e-9a61-0d4b8e2f7c13 }
                spec:
                  instances: { replicas: 3, image: harperdb/harperdb:4.7.29, storage: { size: 10Gi } }
                """, HarperCluster.class);
        return cluster;
    }
}

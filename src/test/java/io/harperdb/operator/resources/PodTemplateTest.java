package io.harperdb.operator.resources;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.PodSpec;
import io.fabric8.kubernetes.api.model.PodTemplateSpec;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.Volume;
import io.fabric8.kubernetes.api.model.VolumeMount;
import io.fabric8.kubernetes.api.model.apps.StatefulSet;
import io.harperdb.operator.api.HarperCluster;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** instances.podTemplate and instances.clientService merged over what the operator builds. */
class PodTemplateTest {
    private final DesiredStatefulSet builder = new DesiredStatefulSet(Clusters.OPERATOR_IMAGE);

    /** The demo cluster with {@code instances} lines added (indented under instances). */
    static HarperCluster with(String instancesYaml) {
        return Clusters.read("""
                apiVersion: harperdb.io/v1alpha1
                kind: HarperCluster
                metadata: { name: demo, namespace: ns }
                spec:
                  instances:
                    replicas: 3
                """ + instancesYaml.indent(4));
    }

    private PodTemplateSpec template(HarperCluster cluster) {
        return builder.build(cluster).getSpec().getTemplate();
    }

    private PodSpec pod(HarperCluster cluster) {
        return template(cluster).getSpec();
    }

    private static Container harper(PodSpec pod) {
        return pod.getContainers().stream().filter(c -> c.getName().equals(HarperContainer.NAME)).findFirst().orElseThrow();
    }

    @Test
    void schedulingFieldsAreThePodsOwn() {
        PodSpec pod = pod(with("""
                podTemplate:
                  nodeSelector: { pool: databases }
                  tolerations: [{ key: dedicated, operator: Equal, value: harperdb, effect: NoSchedule }]
                  priorityClassName: databases-high
                  imagePullSecrets: [{ name: registry }]
                  topologySpreadConstraints:
                  - { maxSkew: 1, topologyKey: topology.kubernetes.io/zone, whenUnsatisfiable: DoNotSchedule }
                  - maxSkew: 2
                    topologyKey: kubernetes.io/hostname
                    whenUnsatisfiable: ScheduleAnyway
                    labelSelector: { matchLabels: { tier: db } }
                """));

        assertThat(pod.getNodeSelector()).containsExactlyEntriesOf(Map.of("pool", "databases"));
        assertThat(pod.getTolerations()).singleElement().satisfies(t -> {
            assertThat(t.getKey()).isEqualTo("dedicated");
            assertThat(t.getOperator()).isEqualTo("Equal");
            assertThat(t.getValue()).isEqualTo("harperdb");
            assertThat(t.getEffect()).isEqualTo("NoSchedule");
        });
        assertThat(pod.getPriorityClassName()).isEqualTo("databases-high");
        assertThat(pod.getImagePullSecrets()).extracting(r -> r.getName()).containsExactly("registry");
        assertThat(pod.getTopologySpreadConstraints()).hasSize(2);
        // without a labelSelector, the constraint counts this cluster's pods (a nil selector would count none)
        assertThat(pod.getTopologySpreadConstraints().get(0).getLabelSelector().getMatchLabels())
                .isEqualTo(ResourceNames.selectorLabels(Clusters.demo()));
        assertThat(pod.getTopologySpreadConstraints().get(0).getTopologyKey()).isEqualTo("topology.kubernetes.io/zone");
        assertThat(pod.getTopologySpreadConstraints().get(1).getLabelSelector().getMatchLabels()).isEqualTo(Map.of("tier", "db"));
    }

    @Test
    void withoutATemplateThePodHasOnlyTheOperatorsSettings() {
        PodSpec pod = pod(Clusters.demo());

        assertThat(pod.getNodeSelector()).isNullOrEmpty();
        assertThat(pod.getTolerations()).isNullOrEmpty();
        assertThat(pod.getTopologySpreadConstraints()).isNullOrEmpty();
        assertThat(pod.getPriorityClassName()).isNull();
        assertThat(pod.getImagePullSecrets()).isNullOrEmpty();
        assertThat(pod.getAffinity()).isEqualTo(DesiredStatefulSet.defaultAffinity(Clusters.demo()));
        assertThat(pod.getVolumes()).extracting(Volume::getName).containsExactly("tls", "admin-credentials", "sidecar-tmp");
    }

    @Test
    void anOwnPodAntiAffinityReplacesTheDefaultSoftOne() {
        PodSpec pod = pod(with("""
                podTemplate:
                  affinity:
                    podAntiAffinity:
                      requiredDuringSchedulingIgnoredDuringExecution:
                      - topologyKey: kubernetes.io/hostname
                        labelSelector: { matchLabels: { app.kubernetes.io/instance: demo } }
                """));

        assertThat(pod.getAffinity().getPodAntiAffinity().getPreferredDuringSchedulingIgnoredDuringExecution()).isEmpty();
        assertThat(pod.getAffinity().getPodAntiAffinity().getRequiredDuringSchedulingIgnoredDuringExecution()).singleElement()
                .satisfies(term -> assertThat(term.getTopologyKey()).isEqualTo("kubernetes.io/hostname"));
    }

    @Test
    void aNodeAffinityKeepsTheDefaultAntiAffinityAndAnEmptyOneRemovesIt() {
        PodSpec zoned = pod(with("""
                podTemplate:
                  affinity:
                    nodeAffinity:
                      requiredDuringSchedulingIgnoredDuringExecution:
                        nodeSelectorTerms:
                        - matchExpressions: [{ key: topology.kubernetes.io/zone, operator: In, values: [a, b] }]
                """));
        assertThat(zoned.getAffinity().getNodeAffinity().getRequiredDuringSchedulingIgnoredDuringExecution().getNodeSelectorTerms())
                .hasSize(1);
        assertThat(zoned.getAffinity().getPodAntiAffinity())
                .isEqualTo(DesiredStatefulSet.defaultAffinity(Clusters.demo()).getPodAntiAffinity());

        PodSpec none = pod(with("""
                podTemplate:
                  affinity: { podAntiAffinity: {} }
                """));
        assertThat(none.getAffinity().getPodAntiAffinity().getPreferredDuringSchedulingIgnoredDuringExecution()).isNullOrEmpty();
        assertThat(none.getAffinity().getPodAntiAffinity().getRequiredDuringSchedulingIgnoredDuringExecution()).isNullOrEmpty();
    }

    @Test
    void podLabelsAndAnnotationsAreAddedAndTheOperatorsWin() {
        HarperCluster cluster = with("""
                podTemplate:
                  labels:
                    team: data
                    app.kubernetes.io/part-of: shop
                    app.kubernetes.io/instance: other
                    app.kubernetes.io/managed-by: someone
                    harperdb.io/serving: "true"
                  annotations:
                    prometheus.io/scrape: "true"
                    kubectl.kubernetes.io/default-container: sidecar
                    harperdb.io/template-hash: forged
                    harperdb.io/anything: x
                """);
        PodTemplateSpec template = template(cluster);

        assertThat(template.getMetadata().getLabels())
                .containsAllEntriesOf(ResourceNames.labels(cluster))
                .containsEntry("team", "data")
                .containsEntry("app.kubernetes.io/part-of", "shop")
                .doesNotContainKey(ResourceNames.LABEL_SERVING)
                .hasSize(ResourceNames.labels(cluster).size() + 2);
        assertThat(template.getMetadata().getAnnotations())
                .containsEntry("prometheus.io/scrape", "true")
                .containsEntry(DesiredStatefulSet.DEFAULT_CONTAINER_ANNOTATION, HarperContainer.NAME)
                .containsEntry(TemplateHash.ANNOTATION, TemplateHash.of(template))
                .doesNotContainKey("harperdb.io/anything");
        // the selector is the operator's, whatever the template's labels
        assertThat(builder.build(cluster).getSpec().getSelector().getMatchLabels()).isEqualTo(ResourceNames.selectorLabels(cluster));
    }

    @Test
    void extraEnvComesAfterTheOperatorsAndNeverReplacesIt() {
        HarperCluster cluster = with("""
                podTemplate:
                  env:
                  - { name: SHOP_API_PORT, value: "8080" }
                  - { name: GREETING, value: "hello from $(POD_NAME)" }
                  - name: TOKEN
                    valueFrom: { secretKeyRef: { name: shop, key: token } }
                  - { name: REPLICATION_HOSTNAME, value: evil }
                  - { name: POD_NAME, value: evil }
                  - { name: REPLICATION_PORT, value: "1" }
                  - { name: operationsapi_network_port, value: "1" }
                  - { name: HTTP_PORT, value: "1" }
                  - { name: ROOTPATH, value: /tmp }
                  - { name: HDB_ADMIN_PASSWORD, value: guessed }
                  - { name: HARPER_SET_CONFIG, value: "{}" }
                  - { name: TLS_CERTIFICATE, value: /x }
                  - { name: GREETING, value: twice }
                """);
        List<EnvVar> env = harper(pod(cluster)).getEnv();
        List<EnvVar> operators = HarperContainer.env(cluster, cluster.getSpec().getInstances());

        assertThat(env.subList(0, operators.size())).isEqualTo(operators);
        assertThat(env.subList(operators.size(), env.size())).extracting(EnvVar::getName)
                .containsExactly("SHOP_API_PORT", "GREETING", "TOKEN");
        assertThat(env.get(operators.size() + 1).getValue()).isEqualTo("hello from $(POD_NAME)");
        assertThat(env.get(operators.size() + 2).getValueFrom().getSecretKeyRef().getName()).isEqualTo("shop");
        assertThat(env).filteredOn(e -> e.getName().equals("REPLICATION_HOSTNAME")).singleElement()
                .satisfies(e -> assertThat(e.getValue()).isEqualTo("$(POD_NAME).demo-hdb.ns.svc"));
    }

    @Test
    void extraVolumesAndMountsAreAddedButNotOverTheOperatorsOwn() {
        HarperCluster cluster = with("""
                podTemplate:
                  volumes:
                  - { name: components, configMap: { name: shop-components } }
                  - { name: data, emptyDir: {} }
                  - { name: sidecar-tmp, emptyDir: {} }
                  - { name: admin-credentials, emptyDir: {} }
                  - { name: tls, emptyDir: {} }
                  volumeMounts:
                  - { name: components, mountPath: /home/harperdb/components, readOnly: true }
                  - { name: components, mountPath: /home/harperdb/hdb }
                """);
        PodSpec pod = pod(cluster);

        assertThat(pod.getVolumes()).extracting(Volume::getName).containsExactly("tls", "admin-credentials", "sidecar-tmp", "components");
        assertThat(pod.getVolumes().get(3).getConfigMap().getName()).isEqualTo("shop-components");
        assertThat(pod.getVolumes().get(0).getSecret()).as("the member certificates, not the user's emptyDir").isNotNull();
        assertThat(pod.getVolumes().subList(1, 3)).isEqualTo(SidecarContainer.volumes(cluster));
        assertThat(harper(pod).getVolumeMounts()).extracting(m -> m.getName() + "@" + m.getMountPath())
                .containsExactly("data@/home/harperdb/hdb", "tls@/etc/harperdb/tls", "components@/home/harperdb/components");
        assertThat(harper(pod).getVolumeMounts().get(2)).extracting(VolumeMount::getReadOnly).isEqualTo(true);

        // without the sidecar, its volume names stay reserved: turning it on later must not collide
        cluster.getSpec().getInstances().getSidecar().setEnabled(false);
        assertThat(pod(cluster).getVolumes()).extracting(Volume::getName).containsExactly("tls", "components");
    }

    @Test
    void aChangedTemplateChangesTheTemplateHashSoThePodsRoll() {
        String plain = TemplateHash.desired(builder.build(Clusters.demo()));
        List<String> variants = List.of(
                "podTemplate: { nodeSelector: { pool: a } }",
                "podTemplate: { tolerations: [{ key: k, operator: Exists }] }",
                "podTemplate: { affinity: { podAntiAffinity: {} } }",
                "podTemplate: { topologySpreadConstraints: [{ maxSkew: 1, topologyKey: zone, whenUnsatisfiable: DoNotSchedule }] }",
                "podTemplate: { priorityClassName: high }",
                "podTemplate: { imagePullSecrets: [{ name: r }] }",
                "podTemplate: { labels: { team: a } }",
                "podTemplate: { annotations: { a: b } }",
                "podTemplate: { env: [{ name: A, value: b }] }",
                "podTemplate: { volumes: [{ name: v, emptyDir: {} }] }",
                "podTemplate: { volumeMounts: [{ name: sidecar-tmp, mountPath: /x }] }");
        for (String variant : variants) {
            StatefulSet sts = builder.build(with(variant));
            assertThat(TemplateHash.desired(sts)).as(variant).isNotEqualTo(plain);
            assertThat(TemplateHash.desired(sts)).as(variant).isEqualTo(TemplateHash.of(sts.getSpec().getTemplate()));
        }
        // the client Service's settings are no pod's
        assertThat(TemplateHash.desired(builder.build(with("clientService: { type: LoadBalancer }")))).isEqualTo(plain);
    }

    @Test
    void theDesiredObjectsShareNothingWithTheSpec() {
        HarperCluster cluster = with("""
                podTemplate:
                  tolerations: [{ key: k, operator: Exists }]
                  env: [{ name: A, value: b }]
                  volumes: [{ name: v, emptyDir: {} }]
                """);
        PodSpec pod = pod(cluster);
        pod.getTolerations().get(0).setKey("changed");
        harper(pod).getEnv().get(harper(pod).getEnv().size() - 1).setValue("changed");
        pod.getVolumes().get(pod.getVolumes().size() - 1).setName("changed");

        assertThat(cluster.getSpec().getInstances().getPodTemplate().getTolerations().get(0).getKey()).isEqualTo("k");
        assertThat(cluster.getSpec().getInstances().getPodTemplate().getEnv().get(0).getValue()).isEqualTo("b");
        assertThat(cluster.getSpec().getInstances().getPodTemplate().getVolumes().get(0).getName()).isEqualTo("v");
    }

    @Test
    void theClientServiceTakesItsTypeAndAnnotations() {
        Service service = DesiredServices.client(with("""
                clientService:
                  type: LoadBalancer
                  annotations: { service.beta.kubernetes.io/aws-load-balancer-internal: "true" }
                """));

        assertThat(service.getSpec().getType()).isEqualTo("LoadBalancer");
        assertThat(service.getMetadata().getAnnotations())
                .containsExactlyEntriesOf(Map.of("service.beta.kubernetes.io/aws-load-balancer-internal", "true"));
        // the operator's selector and ports, whatever the type
        assertThat(service.getSpec().getSelector()).isEqualTo(DesiredServices.client(Clusters.demo()).getSpec().getSelector());
        assertThat(service.getSpec().getPorts()).isEqualTo(DesiredServices.client(Clusters.demo()).getSpec().getPorts());
        assertThat(DesiredServices.client(with("clientService: { type: NodePort }")).getSpec().getType()).isEqualTo("NodePort");
        assertThat(DesiredServices.headless(with("clientService: { type: NodePort, annotations: { a: b } }")).getSpec().getType()).isNull();
    }
}

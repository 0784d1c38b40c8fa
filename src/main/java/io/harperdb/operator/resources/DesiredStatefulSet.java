package io.harperdb.operator.resources;

import io.fabric8.kubernetes.api.model.Affinity;
import io.fabric8.kubernetes.api.model.AffinityBuilder;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.PersistentVolumeClaim;
import io.fabric8.kubernetes.api.model.PersistentVolumeClaimBuilder;
import io.fabric8.kubernetes.api.model.PodTemplateSpec;
import io.fabric8.kubernetes.api.model.PodTemplateSpecBuilder;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.api.model.Volume;
import io.fabric8.kubernetes.api.model.VolumeBuilder;
import io.fabric8.kubernetes.api.model.apps.StatefulSet;
import io.fabric8.kubernetes.api.model.apps.StatefulSetBuilder;
import io.harperdb.operator.OperatorBuild;
import io.harperdb.operator.api.HarperCluster;
import io.harperdb.operator.api.Instances;
import io.harperdb.operator.api.PodTemplate;
import io.harperdb.operator.api.Storage;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The StatefulSet of a cluster's managed instances: one HarperDB container per pod (and the replication
 * sidecar unless disabled), one volume claim per pod for HarperDB's data.
 *
 * <p>Choices:
 * <ul>
 * <li>podManagementPolicy Parallel: HarperDB members are peers (no leader, nothing to bootstrap from
 *     pod 0), and the operator forms the mesh with add_node once each member answers. OrderedReady would
 *     only slow a start down (each install takes a while), and with readiness from the sidecar (caught
 *     up with its peers) a pod could wait for peers that OrderedReady does not start yet.</li>
 * <li>updateStrategy OnDelete: the StatefulSet controller replaces no pod by itself. The operator rolls a
 *     changed template one pod at a time, each once the previous one is back and caught up, and not at
 *     all while the cluster is paused; pods carry {@link TemplateHash#ANNOTATION} for this.</li>
 * <li>Volume claims are kept when the StatefulSet is deleted (data outlives a mistaken deletion), and
 *     deleted on scale-down only when {@code storage.deleteClaimsOnScaleDown} says so.</li>
 * </ul>
 * Immutable once created: selector, serviceName, podManagementPolicy and volumeClaimTemplates (so the
 * storage size and class apply to new clusters only).
 */
public final class DesiredStatefulSet {
    /** The environment variable that gives the operator its own image, the sidecar's image. */
    public static final String OPERATOR_IMAGE_ENV = SidecarImage.ENV;
    public static final String DEFAULT_CONTAINER_ANNOTATION = "kubectl.kubernetes.io/default-container";
    /**
     * On a HarperCluster: a restart on demand. Copied into the pod template, so that a new value (a timestamp, by
     * convention) changes the template hash and the operator rolls the pods one at a time, as for any template change.
     */
    public static final String RESTARTED_AT_ANNOTATION = "harperdb.io/restartedAt";
    /**
     * What {@code kubectl rollout restart} sets on the StatefulSet's pod template. The operator keeps it (carried over
     * from the stored StatefulSet into the template it builds), so it counts in the hash and rolls the pods.
     */
    public static final String KUBECTL_RESTARTED_AT_ANNOTATION = "kubectl.kubernetes.io/restartedAt";
    static final String PARALLEL = "Parallel";
    static final String ON_DELETE = "OnDelete";
    static final String RETAIN = "Retain";
    static final String DELETE = "Delete";

    private final SidecarImage sidecarImage;

    /** @param sidecarImage the operator's own image, which runs the sidecar; may be null when no cluster enables it */
    public DesiredStatefulSet(String sidecarImage) {
        this(SidecarImage.of(sidecarImage, "the operator's caller"));
    }

    private DesiredStatefulSet(SidecarImage sidecarImage) {
        this.sidecarImage = sidecarImage;
    }

    /** OPERATOR_IMAGE, else the image the chart would run (this build's default). */
    public static DesiredStatefulSet fromEnvironment(Map<String, String> env) {
        return of(SidecarImage.fromEnvironment(env, OperatorBuild.current()));
    }

    public static DesiredStatefulSet of(SidecarImage sidecarImage) {
        return new DesiredStatefulSet(sidecarImage);
    }

    public SidecarImage sidecarImage() {
        return sidecarImage;
    }

    /** The StatefulSet with no batch of certificates named (to check that one can be built). */
    public StatefulSet build(HarperCluster cluster) {
        return build(cluster, null);
    }

    /**
     * @param certificatesIssued the batch of the members' certificates ({@link MemberCertificates#ISSUED_ANNOTATION}),
     *                           copied into the pod template so that a renewal restarts the pods; null for none
     */
    public StatefulSet build(HarperCluster cluster, String certificatesIssued) {
        return build(cluster, certificatesIssued, null);
    }

    /**
     * @param certificatesIssued as above
     * @param kubectlRestartedAt the {@value #KUBECTL_RESTARTED_AT_ANNOTATION} of the stored StatefulSet's template, kept
     *                           in the new one (null: none)
     */
    public StatefulSet build(HarperCluster cluster, String certificatesIssued, String kubectlRestartedAt) {
        Instances instances = instances(cluster);
        Storage storage = instances.getStorage() == null ? new Storage() : instances.getStorage();
        return new StatefulSetBuilder()
                .withNewMetadata()
                .withName(ResourceNames.statefulSet(cluster))
                .withNamespace(ResourceNames.namespace(cluster))
                .withLabels(ResourceNames.labels(cluster))
                .withOwnerReferences(OwnerReferences.controller(cluster))
                .endMetadata()
                .withNewSpec()
                .withReplicas(ManagedMembers.replicas(cluster))
                .withServiceName(ResourceNames.headlessService(cluster))
                .withNewSelector().withMatchLabels(ResourceNames.selectorLabels(cluster)).endSelector()
                .withPodManagementPolicy(PARALLEL)
                .withNewUpdateStrategy().withType(ON_DELETE).endUpdateStrategy()
                .withNewPersistentVolumeClaimRetentionPolicy()
                .withWhenDeleted(RETAIN)
                .withWhenScaled(Boolean.TRUE.equals(storage.getDeleteClaimsOnScaleDown()) ? DELETE : RETAIN)
                .endPersistentVolumeClaimRetentionPolicy()
                .withTemplate(podTemplate(cluster, instances, certificatesIssued, kubectlRestartedAt))
                .withVolumeClaimTemplates(dataClaim(cluster, storage))
                .endSpec()
                .build();
    }

    /** The pod template, its {@link TemplateHash} in its annotations. */
    PodTemplateSpec podTemplate(HarperCluster cluster, Instances instances, String certificatesIssued, String kubectlRestartedAt) {
        List<Container> containers = new ArrayList<>();
        containers.add(HarperContainer.build(cluster, instances));
        List<Volume> volumes = new ArrayList<>();
        // 0440 and the pod's fsGroup: readable by HarperDB's user, not by others
        volumes.add(new VolumeBuilder().withName(HarperContainer.TLS_VOLUME).withNewSecret()
                .withSecretName(ResourceNames.certificatesSecret(cluster)).withDefaultMode(0440).endSecret().build());
        if (sidecarEnabled(instances)) {
            if (!sidecarImage.usable()) {
                throw new ConfigurationException("HarperCluster " + ResourceNames.name(cluster)
                        + " enables the replication sidecar, which runs the operator's image, but " + sidecarImage.problem()
                        + ": set " + OPERATOR_IMAGE_ENV + " on the operator to its own image (the Helm chart does),"
                        + " or set spec.instances.sidecar.enabled to false");
            }
            containers.add(SidecarContainer.build(sidecarImage.image()));
            volumes.addAll(SidecarContainer.volumes(cluster));
        }
        PodTemplate custom = instances.getPodTemplate();
        Map<String, String> annotations = new LinkedHashMap<>();
        annotations.put(DEFAULT_CONTAINER_ANNOTATION, HarperContainer.NAME);
        String restartedAt = restartedAt(cluster);
        if (restartedAt != null) {
            annotations.put(RESTARTED_AT_ANNOTATION, restartedAt);
        }
        if (kubectlRestartedAt != null && !kubectlRestartedAt.isEmpty()) {
            annotations.put(KUBECTL_RESTARTED_AT_ANNOTATION, kubectlRestartedAt);
        }
        if (certificatesIssued != null) {
            annotations.put(MemberCertificates.ISSUED_ANNOTATION, certificatesIssued);
        }
        PodTemplateSpec template = new PodTemplateSpecBuilder()
                .withNewMetadata()
                .withLabels(PodCustomization.labels(ResourceNames.labels(cluster), custom))
                .withAnnotations(PodCustomization.annotations(annotations, custom))
                .endMetadata()
                .withNewSpec()
                .withContainers(containers)
                .withVolumes(PodCustomization.volumes(volumes, reservedVolumes(cluster), custom))
                .withSecurityContext(PodSecurity.pod())
                // HarperDB takes any variable named like a config key as config: the service links
                // (FOO_PORT=tcp://... for every Service in the namespace) must not become config.
                .withEnableServiceLinks(false)
                // Nothing in the pod talks to the Kubernetes API.
                .withAutomountServiceAccountToken(false)
                .withAffinity(PodCustomization.affinity(defaultAffinity(cluster), custom))
                .withTopologySpreadConstraints(PodCustomization.topologySpreadConstraints(ResourceNames.selectorLabels(cluster), custom))
                .withNodeSelector(custom == null || custom.getNodeSelector() == null ? null : new LinkedHashMap<>(custom.getNodeSelector()))
                .withTolerations(PodCustomization.tolerations(custom))
                .withPriorityClassName(custom == null ? null : custom.getPriorityClassName())
                .withImagePullSecrets(PodCustomization.imagePullSecrets(custom))
                .endSpec()
                .build();
        template.getMetadata().getAnnotations().put(TemplateHash.ANNOTATION, TemplateHash.of(template));
        return template;
    }

    /** Members on different nodes, where the scheduler can: one node's loss takes one member. */
    static Affinity defaultAffinity(HarperCluster cluster) {
        return new AffinityBuilder().withNewPodAntiAffinity()
                .addNewPreferredDuringSchedulingIgnoredDuringExecution()
                .withWeight(100)
                .withNewPodAffinityTerm()
                .withTopologyKey("kubernetes.io/hostname")
                .withNewLabelSelector().withMatchLabels(ResourceNames.selectorLabels(cluster)).endLabelSelector()
                .endPodAffinityTerm()
                .endPreferredDuringSchedulingIgnoredDuringExecution()
                .endPodAntiAffinity().build();
    }

    /**
     * The volume names a user's volume cannot take: the data claim's and the sidecar's, whether or not the
     * sidecar runs (turning it on must not collide).
     */
    static Set<String> reservedVolumes(HarperCluster cluster) {
        Set<String> names = new HashSet<>();
        names.add(HarperContainer.DATA_VOLUME);
        SidecarContainer.volumes(cluster).forEach(v -> names.add(v.getName()));
        return names;
    }

    /** The cluster's {@value #RESTARTED_AT_ANNOTATION}; null when absent or empty. */
    static String restartedAt(HarperCluster cluster) {
        Map<String, String> annotations = cluster.getMetadata().getAnnotations();
        String value = annotations == null ? null : annotations.get(RESTARTED_AT_ANNOTATION);
        return value == null || value.isEmpty() ? null : value;
    }

    /** The {@value #KUBECTL_RESTARTED_AT_ANNOTATION} of a StatefulSet's template; null when it has none. */
    public static String kubectlRestartedAt(StatefulSet statefulSet) {
        if (statefulSet == null || statefulSet.getSpec() == null || statefulSet.getSpec().getTemplate() == null
                || statefulSet.getSpec().getTemplate().getMetadata() == null
                || statefulSet.getSpec().getTemplate().getMetadata().getAnnotations() == null) {
            return null;
        }
        return statefulSet.getSpec().getTemplate().getMetadata().getAnnotations().get(KUBECTL_RESTARTED_AT_ANNOTATION);
    }

    static PersistentVolumeClaim dataClaim(HarperCluster cluster, Storage storage) {
        return new PersistentVolumeClaimBuilder()
                .withNewMetadata()
                .withName(HarperContainer.DATA_VOLUME)
                .withLabels(ResourceNames.selectorLabels(cluster))
                .endMetadata()
                .withNewSpec()
                .withAccessModes("ReadWriteOnce")
                .withStorageClassName(storage.getStorageClassName())
                .withNewResources()
                .addToRequests("storage", new Quantity(storage.getSize() == null ? Storage.DEFAULT_SIZE : storage.getSize()))
                .endResources()
                .endSpec()
                .build();
    }

    static boolean sidecarEnabled(Instances instances) {
        return instances.getSidecar() == null || !Boolean.FALSE.equals(instances.getSidecar().getEnabled());
    }

    static Instances instances(HarperCluster cluster) {
        Instances instances = cluster.getSpec() == null ? null : cluster.getSpec().getInstances();
        if (instances == null) {
            throw new IllegalArgumentException("HarperCluster " + ResourceNames.name(cluster) + " has no managed instances");
        }
        return instances;
    }
}

package io.harperdb.operator.resources;

import io.fabric8.kubernetes.api.model.Affinity;
import io.fabric8.kubernetes.api.model.AffinityBuilder;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.EnvVarBuilder;
import io.fabric8.kubernetes.api.model.LabelSelector;
import io.fabric8.kubernetes.api.model.LocalObjectReference;
import io.fabric8.kubernetes.api.model.LocalObjectReferenceBuilder;
import io.fabric8.kubernetes.api.model.Toleration;
import io.fabric8.kubernetes.api.model.TolerationBuilder;
import io.fabric8.kubernetes.api.model.LabelSelectorBuilder;
import io.fabric8.kubernetes.api.model.TopologySpreadConstraint;
import io.fabric8.kubernetes.api.model.TopologySpreadConstraintBuilder;
import io.fabric8.kubernetes.api.model.Volume;
import io.fabric8.kubernetes.api.model.VolumeBuilder;
import io.fabric8.kubernetes.api.model.VolumeMount;
import io.fabric8.kubernetes.api.model.VolumeMountBuilder;
import io.harperdb.operator.api.HarperConfigKeys;
import io.harperdb.operator.api.PodTemplate;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * {@code instances.podTemplate} merged over what the operator builds. The operator's own values win where
 * both set the same thing: its labels (the selector's among them), its annotations, its environment
 * variables (and any that would set a HarperDB key it owns), its volumes and its mount paths. What the user
 * gives is copied, so the desired objects never share state with the cluster's spec.
 */
final class PodCustomization {
    /** Label and annotation keys under this prefix are the operator's (the serving label, the template hash...). */
    static final List<String> OPERATOR_PREFIXES = List.of("harperdb.io/");
    /** HarperDB's install variables, read once: the operator's even where it does not set them. */
    static final Set<String> INSTALL_ENV = Set.of("TC_AGREEMENT", "HDB_ADMIN_USERNAME", "HDB_ADMIN_PASSWORD", "ROOTPATH",
            "DEFAULTS_MODE", HarperConfig.SET_CONFIG_ENV, "HARPER_DEFAULT_CONFIG");

    private PodCustomization() {
    }

    /** The operator's map, then the user's entries whose keys it does not have (nor reserves by prefix). */
    static Map<String, String> merge(Map<String, String> operator, Map<String, String> user, List<String> reservedPrefixes) {
        Map<String, String> merged = new LinkedHashMap<>(operator);
        if (user != null) {
            user.forEach((key, value) -> {
                if (!merged.containsKey(key) && reservedPrefixes.stream().noneMatch(key::startsWith)) {
                    merged.put(key, value);
                }
            });
        }
        return merged;
    }

    static Map<String, String> labels(Map<String, String> operator, PodTemplate template) {
        return merge(operator, template == null ? null : template.getLabels(), OPERATOR_PREFIXES);
    }

    static Map<String, String> annotations(Map<String, String> operator, PodTemplate template) {
        return merge(operator, template == null ? null : template.getAnnotations(), OPERATOR_PREFIXES);
    }

    /**
     * The operator's variables, then the user's whose names it does not set, that are not HarperDB install
     * variables and that would not set a HarperDB key it owns (REPLICATION_PORT is replication.port).
     */
    static List<EnvVar> env(List<EnvVar> operator, PodTemplate template) {
        List<EnvVar> merged = new ArrayList<>(operator);
        if (template == null || template.getEnv() == null) {
            return merged;
        }
        Set<String> taken = operator.stream().map(EnvVar::getName).collect(Collectors.toSet());
        for (EnvVar var : template.getEnv()) {
            String name = var.getName();
            if (name != null && taken.add(name) && !INSTALL_ENV.contains(name) && !HarperConfigKeys.isOwnedEnv(name)) {
                merged.add(new EnvVarBuilder(var).build());
            }
        }
        return merged;
    }

    /** The operator's volumes, then the user's not named like one of them or like one in {@code reserved}. */
    static List<Volume> volumes(List<Volume> operator, Set<String> reserved, PodTemplate template) {
        List<Volume> merged = new ArrayList<>(operator);
        if (template == null || template.getVolumes() == null) {
            return merged;
        }
        Set<String> taken = operator.stream().map(Volume::getName).collect(Collectors.toSet());
        taken.addAll(reserved);
        for (Volume volume : template.getVolumes()) {
            if (volume.getName() != null && taken.add(volume.getName())) {
                merged.add(new VolumeBuilder(volume).build());
            }
        }
        return merged;
    }

    /** The operator's mounts, then the user's at other paths. */
    static List<VolumeMount> volumeMounts(List<VolumeMount> operator, PodTemplate template) {
        List<VolumeMount> merged = new ArrayList<>(operator);
        if (template == null || template.getVolumeMounts() == null) {
            return merged;
        }
        Set<String> paths = operator.stream().map(VolumeMount::getMountPath).collect(Collectors.toSet());
        for (VolumeMount mount : template.getVolumeMounts()) {
            if (mount.getMountPath() != null && paths.add(mount.getMountPath())) {
                merged.add(new VolumeMountBuilder(mount).build());
            }
        }
        return merged;
    }

    /**
     * The user's affinity, with the operator's default podAntiAffinity when the user gives none (an empty
     * podAntiAffinity is one: no anti-affinity at all).
     */
    static Affinity affinity(Affinity operatorDefault, PodTemplate template) {
        Affinity user = template == null ? null : template.getAffinity();
        if (user == null) {
            return operatorDefault;
        }
        Affinity merged = new AffinityBuilder(user).build();
        if (merged.getPodAntiAffinity() == null) {
            merged.setPodAntiAffinity(operatorDefault.getPodAntiAffinity());
        }
        return merged;
    }

    static List<Toleration> tolerations(PodTemplate template) {
        return template == null || template.getTolerations() == null ? List.of()
                : template.getTolerations().stream().map(t -> new TolerationBuilder(t).build()).toList();
    }

    static List<LocalObjectReference> imagePullSecrets(PodTemplate template) {
        return template == null || template.getImagePullSecrets() == null ? List.of()
                : template.getImagePullSecrets().stream().map(r -> new LocalObjectReferenceBuilder(r).build()).toList();
    }

    /** The user's constraints; one without a labelSelector selects this cluster's pods. */
    static List<TopologySpreadConstraint> topologySpreadConstraints(Map<String, String> selectorLabels, PodTemplate template) {
        if (template == null || template.getTopologySpreadConstraints() == null) {
            return List.of();
        }
        LabelSelector clusterPods = new LabelSelectorBuilder().withMatchLabels(new LinkedHashMap<>(selectorLabels)).build();
        return template.getTopologySpreadConstraints().stream().map(c -> {
            TopologySpreadConstraint copy = new TopologySpreadConstraintBuilder(c).build();
            if (copy.getLabelSelector() == null) {
                copy.setLabelSelector(clusterPods);
            }
            return copy;
        }).toList();
    }
}

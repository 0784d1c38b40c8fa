package io.harperdb.operator.api;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import io.fabric8.crdv2.generator.v1.SchemaCustomizer;
import io.fabric8.generator.annotation.Size;
import io.fabric8.kubernetes.api.model.Affinity;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.LocalObjectReference;
import io.fabric8.kubernetes.api.model.Toleration;
import io.fabric8.kubernetes.api.model.TopologySpreadConstraint;
import io.fabric8.kubernetes.api.model.Volume;
import io.fabric8.kubernetes.api.model.VolumeMount;

import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * Settings of the managed pods, merged over the operator's own: the fields below are the pod spec's and
 * the container's, with the same meaning; where the operator sets the same thing (its labels, its
 * annotations, its environment variables and volumes) the operator's value is kept.
 */
@JsonInclude(JsonInclude.Include.NON_EMPTY)
@JsonIgnoreProperties(ignoreUnknown = true)
@JsonPropertyOrder({"labels", "annotations", "nodeSelector", "tolerations", "affinity", "topologySpreadConstraints",
        "priorityClassName", "imagePullSecrets", "env", "volumes", "volumeMounts"})
@SchemaCustomizer(PodTemplateSchema.class)
public class PodTemplate {

    @JsonPropertyDescription("Labels of the pods; the operator's labels (app.kubernetes.io/name, instance, managed-by, component; harperdb.io/*) are kept")
    private Map<String, String> labels;

    @JsonPropertyDescription("Annotations of the pods; the operator's annotations (harperdb.io/*, kubectl.kubernetes.io/default-container) are kept")
    private Map<String, String> annotations;

    @JsonPropertyDescription("The pods' nodeSelector")
    private Map<String, String> nodeSelector;

    @Size(max = 64)
    @JsonPropertyDescription("The pods' tolerations")
    private List<Toleration> tolerations;

    @JsonPropertyDescription("The pods' affinity. Its podAntiAffinity, when given, replaces the operator's default "
            + "(members on different nodes where the scheduler can); podAntiAffinity: {} for none")
    private Affinity affinity;

    @Size(max = 16)
    @JsonPropertyDescription("The pods' topologySpreadConstraints; one without a labelSelector counts this cluster's pods")
    private List<TopologySpreadConstraint> topologySpreadConstraints;

    @Size(max = 253)
    @JsonPropertyDescription("The pods' priorityClassName")
    private String priorityClassName;

    @Size(max = 16)
    @JsonPropertyDescription("Secrets to pull the HarperDB image with")
    private List<LocalObjectReference> imagePullSecrets;

    @Size(max = 128)
    @JsonPropertyDescription("More environment variables of the HarperDB container, after the operator's, which they may "
            + "reference as $(NAME). Left out: a name the operator sets, HarperDB's install variables, and one that would set a "
            + "HarperDB key that instances.config refuses (such as REPLICATION_PORT). HarperDB configuration belongs in instances.config")
    private List<EnvVar> env;

    @Size(max = 64)
    @JsonPropertyDescription("More volumes of the pods (Kubernetes volume objects, checked by the API server when the "
            + "operator writes the StatefulSet); one named like one of the operator's (data, ...) is left out")
    private List<Volume> volumes;

    @Size(max = 64)
    @JsonPropertyDescription("More volume mounts of the HarperDB container; one at a path the operator mounts is left out")
    private List<VolumeMount> volumeMounts;

    public Map<String, String> getLabels() {
        return labels;
    }

    public void setLabels(Map<String, String> labels) {
        this.labels = labels;
    }

    public Map<String, String> getAnnotations() {
        return annotations;
    }

    public void setAnnotations(Map<String, String> annotations) {
        this.annotations = annotations;
    }

    public Map<String, String> getNodeSelector() {
        return nodeSelector;
    }

    public void setNodeSelector(Map<String, String> nodeSelector) {
        this.nodeSelector = nodeSelector;
    }

    public List<Toleration> getTolerations() {
        return tolerations;
    }

    public void setTolerations(List<Toleration> tolerations) {
        this.tolerations = tolerations;
    }

    public Affinity getAffinity() {
        return affinity;
    }

    public void setAffinity(Affinity affinity) {
        this.affinity = affinity;
    }

    public List<TopologySpreadConstraint> getTopologySpreadConstraints() {
        return topologySpreadConstraints;
    }

    public void setTopologySpreadConstraints(List<TopologySpreadConstraint> topologySpreadConstraints) {
        this.topologySpreadConstraints = topologySpreadConstraints;
    }

    public String getPriorityClassName() {
        return priorityClassName;
    }

    public void setPriorityClassName(String priorityClassName) {
        this.priorityClassName = priorityClassName;
    }

    public List<LocalObjectReference> getImagePullSecrets() {
        return imagePullSecrets;
    }

    public void setImagePullSecrets(List<LocalObjectReference> imagePullSecrets) {
        this.imagePullSecrets = imagePullSecrets;
    }

    public List<EnvVar> getEnv() {
        return env;
    }

    public void setEnv(List<EnvVar> env) {
        this.env = env;
    }

    public List<Volume> getVolumes() {
        return volumes;
    }

    public void setVolumes(List<Volume> volumes) {
        this.volumes = volumes;
    }

    public List<VolumeMount> getVolumeMounts() {
        return volumeMounts;
    }

    public void setVolumeMounts(List<VolumeMount> volumeMounts) {
        this.volumeMounts = volumeMounts;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof PodTemplate t && Objects.equals(labels, t.labels) && Objects.equals(annotations, t.annotations)
                && Objects.equals(nodeSelector, t.nodeSelector) && Objects.equals(tolerations, t.tolerations)
                && Objects.equals(affinity, t.affinity) && Objects.equals(topologySpreadConstraints, t.topologySpreadConstraints)
                && Objects.equals(priorityClassName, t.priorityClassName) && Objects.equals(imagePullSecrets, t.imagePullSecrets)
                && Objects.equals(env, t.env) && Objects.equals(volumes, t.volumes) && Objects.equals(volumeMounts, t.volumeMounts);
    }

    @Override
    public int hashCode() {
        return Objects.hash(labels, annotations, nodeSelector, tolerations, affinity, topologySpreadConstraints,
                priorityClassName, imagePullSecrets, env, volumes, volumeMounts);
    }
}

package io.harperdb.operator.api;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import io.fabric8.generator.annotation.Default;
import io.fabric8.generator.annotation.Max;
import io.fabric8.generator.annotation.Min;
import io.fabric8.generator.annotation.Size;
import io.fabric8.kubernetes.api.model.ResourceRequirements;

import java.util.Objects;

/** The HarperDB instances that the operator runs for a HarperCluster (a StatefulSet). */
@JsonInclude(JsonInclude.Include.NON_NULL)
@JsonIgnoreProperties(ignoreUnknown = true)
@JsonPropertyOrder({"replicas", "image", "storage", "resources", "sidecar"})
public class Instances {

    public static final int DEFAULT_REPLICAS = 3;
    public static final String DEFAULT_IMAGE = "harperdb/harperdb:4.7.29";

    @Default("3")
    @Min(0)
    // Each member's status lists its connections to all others: n^2 entries in one object (etcd keeps
    // objects under 1.5 MiB), and a full mesh of n members is n(n-1)/2 replication links.
    @Max(MAX_REPLICAS)
    @JsonPropertyDescription("Number of HarperDB pods (at most 50: status holds every member's connections to all others)")
    private Integer replicas = DEFAULT_REPLICAS;
    public static final int MAX_REPLICAS = 50;

    @Default(DEFAULT_IMAGE)
    @Size(min = 1, max = 1024)
    @JsonPropertyDescription("HarperDB container image")
    private String image = DEFAULT_IMAGE;

    @Default("{}")
    @JsonPropertyDescription("Each pod's persistent volume")
    private Storage storage = new Storage();

    @JsonPropertyDescription("Compute resources of the HarperDB container")
    private ResourceRequirements resources;

    @Default("{}")
    @JsonPropertyDescription("The replication sidecar beside each HarperDB container")
    private Sidecar sidecar = new Sidecar();

    public Integer getReplicas() {
        return replicas;
    }

    public void setReplicas(Integer replicas) {
        this.replicas = replicas;
    }

    public String getImage() {
        return image;
    }

    public void setImage(String image) {
        this.image = image;
    }

    public Storage getStorage() {
        return storage;
    }

    public void setStorage(Storage storage) {
        this.storage = storage;
    }

    public ResourceRequirements getResources() {
        return resources;
    }

    public void setResources(ResourceRequirements resources) {
        this.resources = resources;
    }

    public Sidecar getSidecar() {
        return sidecar;
    }

    public void setSidecar(Sidecar sidecar) {
        this.sidecar = sidecar;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Instances i && Objects.equals(replicas, i.replicas) && Objects.equals(image, i.image)
                && Objects.equals(storage, i.storage) && Objects.equals(resources, i.resources)
                && Objects.equals(sidecar, i.sidecar);
    }

    @Override
    public int hashCode() {
        return Objects.hash(replicas, image, storage, resources, sidecar);
    }
}

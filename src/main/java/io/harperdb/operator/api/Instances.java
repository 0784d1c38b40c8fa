package io.harperdb.operator.api;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import io.fabric8.generator.annotation.Default;
import io.fabric8.generator.annotation.Max;
import io.fabric8.generator.annotation.Min;
import io.fabric8.generator.annotation.Size;
import io.fabric8.generator.annotation.ValidationRule;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.api.model.ResourceRequirements;
import io.fabric8.kubernetes.api.model.ResourceRequirementsBuilder;

import java.util.Map;
import java.util.Objects;

/** The HarperDB instances that the operator runs for a HarperCluster (a StatefulSet). */
@JsonInclude(JsonInclude.Include.NON_NULL)
@JsonIgnoreProperties(ignoreUnknown = true)
@JsonPropertyOrder({"replicas", "image", "storage", "resources", "config", "podTemplate", "clientService", "sidecar"})
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

    // One CPU: HarperDB starts one worker thread per CPU of the limit, else of the request (HarperContainer), and
    // one worker serves a small cluster; no CPU limit, as throttling stalls a worker mid-request (and its health
    // probe). Memory requested and limited alike, so a member is never evicted for using what it asked for, nor
    // scheduled where it cannot have it: 1Gi is four times the 240 MiB one idle HarperDB 4.7.29 with one worker
    // takes (measured; HarperDbFixture), and three members fit a 4-CPU development cluster.
    public static final String DEFAULT_RESOURCES = "{\"requests\":{\"cpu\":\"1\",\"memory\":\"1Gi\"},\"limits\":{\"memory\":\"1Gi\"}}";

    @Default(DEFAULT_RESOURCES)
    @JsonPropertyDescription("Compute resources of the HarperDB container; when given, they replace the default entirely "
            + "({} for none). HarperDB's worker threads follow the CPU limit, else the request (threads.count in config overrides it)")
    private ResourceRequirements resources = defaultResources();

    // HarperDB's configuration keys that the operator sets (ports, hostname, paths, replication, TLS), and the
    // objects that hold them (a key's value may be a JSON object). CEL functions on keys that cost little:
    // a map key's length is unbounded, so no regular expression.
    static final String OWNED_CONFIG_RULE = "self.all(k, !(k in ['rootPath', 'componentsRoot', 'databases', 'http', 'http.port',"
            + " 'http.securePort', 'logging', 'logging.root', 'logging.path', 'logging.rotation', 'logging.rotation.path', 'mqtt',"
            + " 'mqtt.network', 'operationsApi', 'operationsApi.network', 'operationsApi.tls', 'replication', 'storage',"
            + " 'storage.path', 'storage.blobPaths', 'tls'])"
            + " && !k.startsWith('replication.') && !k.startsWith('tls.') && !k.startsWith('operationsApi.network.')"
            + " && !k.startsWith('operationsApi.tls.') && !k.startsWith('databases.')"
            + " && !k.endsWith('.port') && !k.endsWith('.securePort'))";
    static final String OWNED_CONFIG_MESSAGE = "config must not set what the operator sets: ports (*.port, *.securePort),"
            + " replication.*, tls.*, operationsApi.network.*, operationsApi.tls.*, rootPath, componentsRoot, databases.*,"
            + " storage.path, storage.blobPaths, logging.root, logging.path, logging.rotation.path, or an object holding one"
            + " (http, logging, storage, mqtt, operationsApi, replication, tls)";
    public static final int MAX_CONFIG_KEYS = 64;

    @Size(max = MAX_CONFIG_KEYS)
    @ValidationRule(value = OWNED_CONFIG_RULE, message = OWNED_CONFIG_MESSAGE)
    @JsonPropertyDescription("HarperDB configuration keys in dotted form, such as threads.count, logging.level or http.cors, "
            + "set at every start (HARPER_SET_CONFIG); a value is read as JSON when it is a number, true, false, null, an "
            + "array or an object, else as a string. Removing a key gives it back its earlier value at the next start. "
            + "A change restarts the pods one at a time")
    private Map<String, String> config;

    @JsonPropertyDescription("Settings of the managed pods merged over the operator's: scheduling, labels, annotations, "
            + "environment, volumes. A change restarts the pods one at a time")
    private PodTemplate podTemplate;

    @JsonPropertyDescription("Settings of the client Service")
    private ClientService clientService;

    @Default("{}")
    @JsonPropertyDescription("The replication sidecar beside each HarperDB container")
    private Sidecar sidecar = new Sidecar();

    /** The default of {@code resources}, a new object each time (callers may change theirs). */
    public static ResourceRequirements defaultResources() {
        return new ResourceRequirementsBuilder()
                .addToRequests("cpu", new Quantity("1"))
                .addToRequests("memory", new Quantity("1Gi"))
                .addToLimits("memory", new Quantity("1Gi"))
                .build();
    }

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

    public Map<String, String> getConfig() {
        return config;
    }

    public void setConfig(Map<String, String> config) {
        this.config = config;
    }

    public PodTemplate getPodTemplate() {
        return podTemplate;
    }

    public void setPodTemplate(PodTemplate podTemplate) {
        this.podTemplate = podTemplate;
    }

    public ClientService getClientService() {
        return clientService;
    }

    public void setClientService(ClientService clientService) {
        this.clientService = clientService;
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
                && Objects.equals(config, i.config) && Objects.equals(podTemplate, i.podTemplate)
                && Objects.equals(clientService, i.clientService) && Objects.equals(sidecar, i.sidecar);
    }

    @Override
    public int hashCode() {
        return Objects.hash(replicas, image, storage, resources, config, podTemplate, clientService, sidecar);
    }
}

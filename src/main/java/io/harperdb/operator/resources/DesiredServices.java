package io.harperdb.operator.resources;

import io.fabric8.kubernetes.api.model.IntOrString;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.ServiceBuilder;
import io.fabric8.kubernetes.api.model.ServicePort;
import io.fabric8.kubernetes.api.model.ServicePortBuilder;
import io.harperdb.operator.api.ClientService;
import io.harperdb.operator.api.HarperCluster;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** The Services of a cluster's managed instances. */
public final class DesiredServices {

    private DesiredServices() {
    }

    /**
     * The headless Service that governs the StatefulSet: it gives each pod its DNS name
     * ({@code demo-0.demo-hdb.<namespace>.svc}), each member's identity. It publishes pods that are not
     * ready: a member must be reachable by name to be added to the cluster and to catch up, which is
     * what makes it ready. With the sidecar, it also names its port ({@code sidecar}, /metrics).
     */
    public static Service headless(HarperCluster cluster) {
        return new ServiceBuilder()
                .withNewMetadata()
                .withName(ResourceNames.headlessService(cluster))
                .withNamespace(ResourceNames.namespace(cluster))
                .withLabels(ResourceNames.labels(cluster))
                .withOwnerReferences(OwnerReferences.controller(cluster))
                .endMetadata()
                .withNewSpec()
                .withClusterIP("None")
                .withPublishNotReadyAddresses(true)
                .withSelector(ResourceNames.selectorLabels(cluster))
                .withPorts(headlessPorts(cluster))
                .endSpec()
                .build();
    }

    /** HarperDB's ports, and the sidecar's (/metrics) when the pods run it, for a ServiceMonitor or any scraper by Service. */
    private static List<ServicePort> headlessPorts(HarperCluster cluster) {
        List<ServicePort> ports = new ArrayList<>(List.of(port(HarperPorts.OPERATIONS_NAME, HarperPorts.OPERATIONS),
                port(HarperPorts.OPERATIONS_SECURE_NAME, HarperPorts.OPERATIONS_SECURE),
                port(HarperPorts.HTTP_NAME, HarperPorts.HTTP),
                port(HarperPorts.REPLICATION_NAME, HarperPorts.REPLICATION)));
        if (cluster.getSpec() != null && cluster.getSpec().getInstances() != null
                && DesiredStatefulSet.sidecarEnabled(cluster.getSpec().getInstances())) {
            ports.add(port(HarperPorts.SIDECAR_NAME, HarperPorts.SIDECAR));
        }
        return ports;
    }

    /**
     * The Service clients use, with the ready members only (of {@code instances.clientService.type}, ClusterIP
     * by default, with its annotations): the Operations API and HarperDB's HTTP. It selects
     * pods labelled {@link ResourceNames#LABEL_SERVING}=true, a label the operator sets (and turns to false on a
     * pod that leaves, before it is drained and removed from the mesh).
     */
    public static Service client(HarperCluster cluster) {
        Map<String, String> selector = new LinkedHashMap<>(ResourceNames.selectorLabels(cluster));
        selector.put(ResourceNames.LABEL_SERVING, ResourceNames.SERVING);
        ClientService settings = cluster.getSpec() == null || cluster.getSpec().getInstances() == null ? null
                : cluster.getSpec().getInstances().getClientService();
        ClientService.Type type = settings == null || settings.getType() == null ? ClientService.Type.ClusterIP : settings.getType();
        Map<String, String> annotations = settings == null || settings.getAnnotations() == null ? null
                : new LinkedHashMap<>(settings.getAnnotations());
        return new ServiceBuilder()
                .withNewMetadata()
                .withName(ResourceNames.clientService(cluster))
                .withNamespace(ResourceNames.namespace(cluster))
                .withLabels(ResourceNames.labels(cluster))
                .withAnnotations(annotations)
                .withOwnerReferences(OwnerReferences.controller(cluster))
                .endMetadata()
                .withNewSpec()
                .withType(type.name())
                .withSelector(selector)
                .withPorts(port(HarperPorts.OPERATIONS_NAME, HarperPorts.OPERATIONS),
                        port(HarperPorts.OPERATIONS_SECURE_NAME, HarperPorts.OPERATIONS_SECURE),
                        port(HarperPorts.HTTP_NAME, HarperPorts.HTTP))
                .endSpec()
                .build();
    }

    static List<Service> all(HarperCluster cluster) {
        return List.of(headless(cluster), client(cluster));
    }

    private static ServicePort port(String name, int port) {
        return new ServicePortBuilder()
                .withName(name)
                .withPort(port)
                .withTargetPort(new IntOrString(name))
                .withProtocol("TCP")
                .build();
    }
}

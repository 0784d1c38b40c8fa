package io.harperdb.operator.resources;

import io.harperdb.operator.api.HarperCluster;
import io.harperdb.operator.api.Instances;
import java.util.List;
import java.util.stream.IntStream;

/**
 * The identities of a cluster's managed members, from their stable DNS names: pod {@code demo-0} is
 * {@code demo-0.demo-hdb.<namespace>.svc}, its node name and replication hostname alike. The StatefulSet
 * sets the same name in each pod (see {@link HarperContainer}), so the two must agree; both come from here.
 */
public final class ManagedMembers {
    /** Resolvable from every pod of the cluster through the search path, whatever the cluster domain. */
    static final String SERVICE_DOMAIN = "svc";

    private ManagedMembers() {
    }

    public static String podName(HarperCluster cluster, int ordinal) {
        return ResourceNames.pod(cluster, ordinal);
    }

    /** The DNS name of pod {@code ordinal}; HarperDB's node name for it. */
    public static String nodeName(HarperCluster cluster, int ordinal) {
        return podName(cluster, ordinal) + hostnameSuffix(cluster);
    }

    /**
     * The https Operations API of pod {@code ordinal} at its DNS name, which its certificate names: the operator verifies
     * both (the cluster's CA, the hostname), and its credentials never cross the network in clear.
     */
    public static String operationsUrl(HarperCluster cluster, int ordinal) {
        return "https://" + nodeName(cluster, ordinal) + ":" + HarperPorts.OPERATIONS_SECURE;
    }

    public static MemberAddress address(HarperCluster cluster, int ordinal) {
        String hostname = nodeName(cluster, ordinal);
        return new MemberAddress(podName(cluster, ordinal), hostname, hostname, operationsUrl(cluster, ordinal));
    }

    /** The addresses of the members the spec asks for: ordinals 0 to replicas-1. */
    public static List<MemberAddress> addresses(HarperCluster cluster, MemberAddressResolver resolver) {
        return IntStream.range(0, replicas(cluster)).mapToObj(i -> resolver.resolve(cluster, i)).toList();
    }

    /** {@code .demo-hdb.<namespace>.svc}: what follows the pod name in each member's hostname. */
    static String hostnameSuffix(HarperCluster cluster) {
        return "." + ResourceNames.headlessService(cluster) + "." + ResourceNames.namespace(cluster) + "." + SERVICE_DOMAIN;
    }

    /** spec.instances.replicas; 0 when the cluster has no managed instances. */
    public static int replicas(HarperCluster cluster) {
        Instances instances = cluster.getSpec() == null ? null : cluster.getSpec().getInstances();
        if (instances == null) {
            return 0;
        }
        return instances.getReplicas() == null ? Instances.DEFAULT_REPLICAS : instances.getReplicas();
    }
}

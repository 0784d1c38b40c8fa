package io.harperdb.operator.resources;

import java.util.Objects;

/**
 * Where the operator finds one managed member, and who it is in HarperDB.
 *
 * @param podName             the pod of the StatefulSet ({@code demo-0}); the member's resource name
 * @param nodeName            its HarperDB node name; HarperDB names a node by its replication hostname
 * @param replicationHostname its {@code REPLICATION_HOSTNAME}, what add_node sends as hostname
 * @param operationsUrl       where its Operations API answers ({@code http://host:9925})
 */
public record MemberAddress(String podName, String nodeName, String replicationHostname, String operationsUrl) {

    public MemberAddress {
        Objects.requireNonNull(podName, "podName");
        Objects.requireNonNull(nodeName, "nodeName");
        Objects.requireNonNull(replicationHostname, "replicationHostname");
        Objects.requireNonNull(operationsUrl, "operationsUrl");
    }

    /** The url that HarperDB reports for this member in cluster_status ({@code wss://host:9933}). */
    public String replicationUrl() {
        return "wss://" + replicationHostname + ":" + HarperPorts.REPLICATION;
    }
}

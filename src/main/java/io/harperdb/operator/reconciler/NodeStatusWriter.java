package io.harperdb.operator.reconciler;

import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.harperdb.operator.api.HarperNode;
import io.harperdb.operator.api.HarperNodeStatus;

/**
 * Writes a HarperNode's status, only when it changed (volatile figures aside), through the status
 * subresource with JSON Patch. Both reconcilers write node statuses; one writer keeps them alike.
 */
final class NodeStatusWriter {
    private static final org.slf4j.Logger LOG = org.slf4j.LoggerFactory.getLogger(NodeStatusWriter.class);
    private NodeStatusWriter() {
    }

    /**
     * @return false when the API server refused the write with 409 Conflict: the caller builds it again next round
     * (a node's status is made afresh from each round; only condition transition times carry over)
     */
    static boolean write(KubernetesClient client, HarperNode node, HarperNodeStatus status) {
        if (StatusComparison.same(node.getStatus(), status)) {
            return true;
        }
        try {
            client.resources(HarperNode.class).inNamespace(node.getMetadata().getNamespace())
                    .withName(node.getMetadata().getName())
                    .editStatus(current -> {
                        current.setStatus(status);
                        return current;
                    });
            return true;
        } catch (KubernetesClientException e) {
            if (e.getCode() != 409) {
                throw e;
            }
            LOG.warn("HarperNode {}/{}: status write refused (409 Conflict); written again next round",
                    node.getMetadata().getNamespace(), node.getMetadata().getName());
            return false;
        }
    }
}

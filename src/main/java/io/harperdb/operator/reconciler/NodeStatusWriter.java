package io.harperdb.operator.reconciler;

import io.fabric8.kubernetes.client.KubernetesClient;
import io.harperdb.operator.api.HarperNode;
import io.harperdb.operator.api.HarperNodeStatus;

/**
 * Writes a HarperNode's status, only when it changed (volatile figures aside), through the status
 * subresource with JSON Patch. Both reconcilers write node statuses; one writer keeps them alike.
 */
final class NodeStatusWriter {
    private NodeStatusWriter() {
    }

    static void write(KubernetesClient client, HarperNode node, HarperNodeStatus status) {
        if (StatusComparison.same(node.getStatus(), status)) {
            return;
        }
        client.resources(HarperNode.class).inNamespace(node.getMetadata().getNamespace())
                .withName(node.getMetadata().getName())
                .editStatus(current -> {
                    current.setStatus(status);
                    return current;
                });
    }
}

package io.harperdb.operator.reconciler;

import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.dsl.base.PatchContext;
import io.fabric8.kubernetes.client.dsl.base.PatchType;
import io.harperdb.operator.resources.ResourceNames;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Which managed pods the client Service routes to: the label {@link ResourceNames#LABEL_SERVING} that the
 * operator keeps on each pod of the StatefulSet. Pods below the spec's replicas serve; pods at or above it are
 * leaving on a scale-down and serve no more, so that they take no writes while they drain.
 *
 * <p>The label is not in the pod template: adding it there would change the template hash and restart every pod
 * of existing clusters on upgrade. The operator labels the pods before it changes the client Service's selector
 * (in the same round, {@link HarperClusterReconciler#ensureWorkloads}), so existing clusters keep their traffic.
 */
final class ClientTraffic {
    private static final Logger LOG = LoggerFactory.getLogger(ClientTraffic.class);

    private ClientTraffic() {
    }

    /** Pure: pod name -> the serving label it must get, for the pods whose label differs. */
    static Map<String, String> changes(List<Pod> pods, String statefulSet, int desiredReplicas) {
        Map<String, String> changes = new TreeMap<>();
        String prefix = statefulSet + "-";
        for (Pod pod : pods) {
            String name = pod.getMetadata().getName();
            int ordinal = ordinal(name, prefix);
            if (ordinal < 0 || pod.getMetadata().getDeletionTimestamp() != null) {
                continue;
            }
            String wanted = ordinal < desiredReplicas ? ResourceNames.SERVING : ResourceNames.NOT_SERVING;
            if (!Objects.equals(label(pod), wanted)) {
                changes.put(name, wanted);
            }
        }
        return changes;
    }

    /** Pure: the pod takes no client traffic any more: it is gone, or labelled not serving. */
    static boolean cut(List<Pod> pods, String podName) {
        return pods.stream().filter(p -> podName.equals(p.getMetadata().getName())).findFirst()
                .map(p -> ResourceNames.NOT_SERVING.equals(label(p))).orElse(true);
    }

    /**
     * Sets the labels of {@code pods} (as cached) that {@code changes} names: a merge patch of the label alone, no
     * GET. A pod gone meanwhile is skipped.
     */
    static void apply(KubernetesClient client, String cluster, List<Pod> pods, Map<String, String> changes) {
        pods.stream().filter(p -> changes.containsKey(p.getMetadata().getName())).forEach(pod -> {
            String value = changes.get(pod.getMetadata().getName());
            LOG.info("cluster {}/{}: pod {} {} client traffic", pod.getMetadata().getNamespace(), cluster, pod.getMetadata().getName(),
                    ResourceNames.SERVING.equals(value) ? "receives" : "no longer receives");
            try {
                client.resource(pod).patch(PatchContext.of(PatchType.JSON_MERGE),
                        "{\"metadata\":{\"labels\":{\"" + ResourceNames.LABEL_SERVING + "\":\"" + value + "\"}}}");
            } catch (KubernetesClientException e) {
                if (e.getCode() != 404) {
                    throw e;
                }
            }
        });
    }

    private static String label(Pod pod) {
        Map<String, String> labels = pod.getMetadata().getLabels();
        return labels == null ? null : labels.get(ResourceNames.LABEL_SERVING);
    }

    private static int ordinal(String pod, String prefix) {
        if (!pod.startsWith(prefix)) {
            return -1;
        }
        try {
            return Integer.parseInt(pod.substring(prefix.length()));
        } catch (NumberFormatException e) {
            return -1;
        }
    }
}

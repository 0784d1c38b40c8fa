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
 * operator keeps on each pod of the StatefulSet. Pods at or above the spec's replicas are leaving on a scale-down
 * and serve no more, so that they take no writes while they drain.
 *
 * <p>A staying pod gets the label once its member is in the mesh and has caught up with its peers
 * ({@link Drain#joined}): a new pod, a restarted one, or one back on an old volume serves no client until then.
 *
 * <p>The label is not in the pod template: adding it there would change the template hash and restart every pod
 * of existing clusters on upgrade, and would let pods serve before they caught up. On upgrade the operator labels
 * the existing pods before it changes the client Service's selector (in the same round,
 * {@link HarperClusterReconciler#ensureWorkloads}), so existing clusters keep their traffic.
 */
final class ClientTraffic {
    private static final Logger LOG = LoggerFactory.getLogger(ClientTraffic.class);

    private ClientTraffic() {
    }

    /**
     * Pure: pod name -> the serving label it must get now, for the pods whose label differs: "false" on the leaving
     * pods; "true" on the staying ones only while the client Service does not select by the label yet (an upgrade:
     * its pods keep their traffic). Otherwise a staying pod is admitted by {@link #admitted} once it caught up.
     */
    static Map<String, String> changes(List<Pod> pods, String statefulSet, int desiredReplicas, boolean serviceSelectsServing) {
        Map<String, String> changes = new TreeMap<>();
        for (Pod pod : pods) {
            int ordinal = ordinal(pod, statefulSet);
            if (ordinal < 0 || pod.getMetadata().getDeletionTimestamp() != null) {
                continue;
            }
            String label = label(pod);
            if (ordinal >= desiredReplicas) {
                if (!ResourceNames.NOT_SERVING.equals(label)) {
                    changes.put(pod.getMetadata().getName(), ResourceNames.NOT_SERVING);
                }
            } else if (!serviceSelectsServing && !ResourceNames.SERVING.equals(label)) {
                changes.put(pod.getMetadata().getName(), ResourceNames.SERVING);
            }
        }
        return changes;
    }

    /**
     * Pure: the staying pods (below the spec's replicas) not serving yet that may now: those {@code caughtUp} names
     * (by pod name). A pod once serving keeps serving while it stays.
     */
    static Map<String, String> admitted(List<Pod> pods, String statefulSet, int desiredReplicas, java.util.Set<String> caughtUp) {
        Map<String, String> changes = new TreeMap<>();
        for (Pod pod : pods) {
            int ordinal = ordinal(pod, statefulSet);
            if (ordinal >= 0 && ordinal < desiredReplicas && pod.getMetadata().getDeletionTimestamp() == null
                    && !ResourceNames.SERVING.equals(label(pod)) && caughtUp.contains(pod.getMetadata().getName())) {
                changes.put(pod.getMetadata().getName(), ResourceNames.SERVING);
            }
        }
        return changes;
    }

    /** Pure: the pod takes client traffic. */
    static boolean serving(List<Pod> pods, String podName) {
        return pods.stream().anyMatch(p -> podName.equals(p.getMetadata().getName()) && ResourceNames.SERVING.equals(label(p)));
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

    private static int ordinal(Pod pod, String statefulSet) {
        String name = pod.getMetadata().getName();
        String prefix = statefulSet + "-";
        if (!name.startsWith(prefix)) {
            return -1;
        }
        try {
            return Integer.parseInt(name.substring(prefix.length()));
        } catch (NumberFormatException e) {
            return -1;
        }
    }
}

package io.harperdb.operator.testing;

import static org.awaitility.Awaitility.await;

import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.utils.Serialization;
import io.harperdb.operator.api.HarperCluster;
import java.time.Duration;
import java.util.function.Predicate;
import java.util.function.Supplier;
import org.awaitility.core.ConditionTimeoutException;

/** Waits for a HarperCluster's status to match, and on timeout fails with the status it last had. */
public final class ClusterAwait {
    private ClusterAwait() {
    }

    /** Only clusters whose status has a phase are tested against {@code condition}. */
    public static HarperCluster until(KubernetesClient client, String namespace, String name, Duration timeout,
                                      Predicate<HarperCluster> condition) {
        return until(client, namespace, name, timeout, condition, () -> "");
    }

    /** @param context more to say on timeout (an operator's log, for one) */
    public static HarperCluster until(KubernetesClient client, String namespace, String name, Duration timeout,
                                      Predicate<HarperCluster> condition, Supplier<String> context) {
        try {
            return await().atMost(timeout).pollInterval(Duration.ofMillis(250))
                    .until(() -> client.resources(HarperCluster.class).inNamespace(namespace).withName(name).get(),
                            c -> c != null && c.getStatus() != null && c.getStatus().getPhase() != null && condition.test(c));
        } catch (ConditionTimeoutException e) {
            HarperCluster last = client.resources(HarperCluster.class).inNamespace(namespace).withName(name).get();
            throw new AssertionError("cluster " + name + " never matched; its last status:\n"
                    + (last == null ? "none" : Serialization.asYaml(last.getStatus())) + context.get(), e);
        }
    }
}

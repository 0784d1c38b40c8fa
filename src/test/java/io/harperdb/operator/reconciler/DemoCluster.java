package io.harperdb.operator.reconciler;

import static io.harperdb.operator.reconciler.Resources.NAMESPACE;

import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.apps.StatefulSet;
import io.harperdb.operator.api.HarperCluster;
import io.harperdb.operator.testing.OperatorOnMockApi;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Base64;
import java.util.function.Predicate;

/** What the certificate tests read of the managed cluster "demo" in the test namespace, through the user's client. */
final class DemoCluster {
    private static final Duration WAIT = Duration.ofSeconds(30);
    private final OperatorOnMockApi api;

    DemoCluster(OperatorOnMockApi api) {
        this.api = api;
    }

    /** The cluster once it has a status that {@code condition} accepts (30 s at most). */
    HarperCluster await(Predicate<HarperCluster> condition) {
        return org.awaitility.Awaitility.await().atMost(WAIT)
                .until(() -> api.user().resources(HarperCluster.class).inNamespace(NAMESPACE).withName("demo").get(),
                        c -> c != null && c.getStatus() != null && condition.test(c));
    }

    StatefulSet statefulSet() {
        return api.user().apps().statefulSets().inNamespace(NAMESPACE).withName("demo").get();
    }

    Secret secret(String name) {
        return api.user().secrets().inNamespace(NAMESPACE).withName(name).get();
    }

    /** The value of {@code key} in {@code secret}, decoded (PEM and the like). */
    static String decode(Secret secret, String key) {
        return new String(Base64.getDecoder().decode(secret.getData().get(key)), StandardCharsets.UTF_8);
    }
}

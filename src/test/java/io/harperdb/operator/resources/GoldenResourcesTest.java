package io.harperdb.operator.resources;

import io.harperdb.operator.api.HarperCluster;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** Every owned resource against its golden YAML (src/test/resources/golden, see {@link Golden}). */
class GoldenResourcesTest {
    private final DesiredStatefulSet statefulSets = new DesiredStatefulSet(Clusters.OPERATOR_IMAGE);

    @Test
    void statefulSetOfTheIssueExample() {
        Golden.assertMatches("demo-statefulset", statefulSets.build(Clusters.demo()));
    }

    @Test
    void statefulSetWithEveryOptionSet() {
        Golden.assertMatches("custom-statefulset", statefulSets.build(Clusters.custom()));
    }

    @Test
    void headlessService() {
        Golden.assertMatches("demo-service-headless", DesiredServices.headless(Clusters.demo()));
    }

    @Test
    void clientService() {
        Golden.assertMatches("demo-service-client", DesiredServices.client(Clusters.demo()));
    }

    @Test
    void podDisruptionBudget() {
        Golden.assertMatches("demo-poddisruptionbudget", DesiredDisruptionBudget.build(Clusters.demo()));
    }

    @Test
    void adminSecret() {
        // A seeded generator, so the file holds a fixed (and therefore worthless) password.
        HarperCluster cluster = Clusters.demo();
        Golden.assertMatches("demo-secret-admin", AdminSecret.generate(cluster, new Random(42)).toSecret(cluster));
    }
}

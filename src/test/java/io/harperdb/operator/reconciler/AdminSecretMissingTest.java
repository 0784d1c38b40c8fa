package io.harperdb.operator.reconciler;

import static org.assertj.core.api.Assertions.assertThat;

import io.harperdb.operator.api.HarperCluster;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The AdminSecretMissing message, where the mock-server test does not reach it (AdminSecretNeverReplacedTest). */
class AdminSecretMissingTest {

    @Test
    void manyClaimsAreCountedNotAllNamed() {
        HarperCluster cluster = ManagedResourcesTest.managedCluster("demo", 5);
        cluster.getSpec().setAdminSecret("my-admin");

        ConfigurationProblem problem = AdminSecretMissing.problem(cluster, null,
                List.of("data-demo-4", "data-demo-0", "data-demo-3", "data-demo-1", "data-demo-2"));

        assertThat(problem.reason()).isEqualTo("AdminSecretMissing");
        assertThat(problem.message()).startsWith("Secret my-admin (spec.adminSecret) does not exist, and data volume claims of this"
                        + " cluster exist (data-demo-0, data-demo-1, data-demo-2 and 2 more): the instances on them hold the admin password"
                        + " they were installed with.")
                .endsWith("recreate Secret my-admin (keys username and password) with those credentials (see docs/admin-secret.md)");
    }
}

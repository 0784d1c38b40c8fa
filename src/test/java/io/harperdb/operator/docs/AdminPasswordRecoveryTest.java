package io.harperdb.operator.docs;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.parallel.Isolated;
import io.harperdb.testing.HarperDb;
import io.harperdb.testing.HarperDbCluster;
import io.harperdb.testing.HarperDbInstance;
import org.junit.jupiter.api.Test;

/**
 * The recovery of a lost admin password that docs/admin-secret.md gives, on real HarperDB 4.7.29: the
 * {@code harperdb} command in the instance's own environment (what {@code kubectl exec} runs in a pod) sets
 * the super_user's password without knowing the old one, and the Operations API then takes the new password
 * and refuses the old one.
 */
@Isolated("uses the real HarperDB instances: alone, so that no other class takes their CPUs")
@HarperDb(instances = 1)
class AdminPasswordRecoveryTest {
    private static final String USER_INFO = "{\"operation\":\"user_info\"}";

    @Test
    void theCliInTheInstanceSetsANewAdminPasswordWithoutTheOldOne(HarperDbCluster cluster) {
        HarperDbInstance instance = cluster.instance(0);
        String installed = instance.password();
        String recovered = "recovered-" + installed;
        try {
            HarperDbInstance.Answer altered = instance.cli("alter_user", "username=" + instance.username(), "password=" + recovered);

            assertThat(altered.status()).as(altered.body().asText()).isZero();
            assertThat(altered.body().asText()).contains("updated 1 of 1 records");
            assertThat(instance.callAs(instance.username(), recovered, USER_INFO).status()).isEqualTo(200);
            assertThat(instance.callAs(instance.username(), installed, USER_INFO).status()).isEqualTo(401);
        } finally {
            // the instances are shared by the run: back to the password the others know
            instance.cli("alter_user", "username=" + instance.username(), "password=" + installed);
        }
        assertThat(instance.call(USER_INFO).status()).isEqualTo(200);
    }
}

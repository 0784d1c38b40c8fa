package io.harperdb.operator.resources;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.Secret;
import io.harperdb.operator.api.HarperCluster;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.HashSet;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

class AdminSecretTest {

    @Test
    void namedAfterTheClusterUnlessTheSpecNamesOne() {
        assertThat(AdminSecret.generate(Clusters.demo()).name()).isEqualTo("demo-admin");
        assertThat(AdminSecret.generate(Clusters.custom()).name()).isEqualTo("orders-root");
    }

    @Test
    void holdsUsernameAndPasswordUnderTheKeysHarperDbsEnvironmentReads() {
        HarperCluster cluster = Clusters.demo();
        AdminSecret admin = AdminSecret.generate(cluster);
        Secret secret = admin.toSecret(cluster);

        assertThat(secret.getMetadata().getName()).isEqualTo("demo-admin");
        assertThat(secret.getMetadata().getNamespace()).isEqualTo("ns");
        assertThat(secret.getType()).isEqualTo("kubernetes.io/basic-auth");
        assertThat(secret.getData()).containsOnlyKeys("username", "password");
        assertThat(decode(secret, "username")).isEqualTo("admin");
        assertThat(decode(secret, "password")).isEqualTo(admin.password());
        assertThat(secret.getStringData()).isNullOrEmpty();
        assertThat(secret.getMetadata().getLabels()).isEqualTo(ResourceNames.labels(cluster));
    }

    @Test
    void outlivesTheClusterLikeTheVolumesWhoseAdminItHolds() {
        // No owner reference: the claims are retained when the cluster is deleted, and a cluster created
        // again on them needs the password they were installed with.
        HarperCluster cluster = Clusters.demo();
        assertThat(AdminSecret.generate(cluster).toSecret(cluster).getMetadata().getOwnerReferences()).isNullOrEmpty();
    }

    @Test
    void passwordsAreLongFromAUrlSafeAlphabetAndNeverRepeat() {
        Set<String> passwords = new HashSet<>();
        StringBuilder all = new StringBuilder();
        for (int i = 0; i < 2000; i++) {
            String password = AdminSecret.generate(Clusters.demo()).password();
            assertThat(password).hasSize(32).matches("[A-Za-z0-9_-]{32}");
            passwords.add(password);
            all.append(password);
        }
        assertThat(passwords).hasSize(2000);
        // 64 symbols, 6 bits each: 192 bits. Over 64,000 draws every symbol shows, each about 1,000
        // times; a generator that skips or favours some would not pass.
        Set<Character> seen = all.chars().mapToObj(c -> (char) c).collect(Collectors.toSet());
        assertThat(seen).hasSize(64);
        IntStream.range(0, 64).forEach(i -> {
            char symbol = AdminSecret.PASSWORD_ALPHABET.charAt(i);
            long count = all.chars().filter(c -> c == symbol).count();
            assertThat(count).as("occurrences of %s", symbol).isBetween(800L, 1200L);
        });
    }

    @Test
    void toStringHidesThePassword() {
        HarperCluster cluster = Clusters.demo();
        AdminSecret admin = AdminSecret.generate(cluster);
        String base64 = Base64.getEncoder().encodeToString(admin.password().getBytes(StandardCharsets.UTF_8));

        assertThat(admin.toString()).contains("demo-admin", "admin", "***")
                .doesNotContain(admin.password()).doesNotContain(base64);
    }

    private static String decode(Secret secret, String key) {
        return new String(Base64.getDecoder().decode(secret.getData().get(key)), StandardCharsets.UTF_8);
    }
}

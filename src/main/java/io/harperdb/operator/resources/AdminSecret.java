package io.harperdb.operator.resources;

import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.SecretBuilder;
import io.harperdb.operator.api.HarperCluster;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.random.RandomGenerator;

/**
 * The admin Secret that the operator generates when {@code spec.adminSecret} names none that exists
 * (or names none at all): username {@code admin} and a strong random password. HarperDB creates this
 * super_user at install, from the StatefulSet's environment; the operator reads the same Secret to call
 * each member's Operations API.
 *
 * <p>The operator only ever creates this Secret, never updates it: the password is what the installed
 * members hold, so a new one would lock the operator out. For the same reason the Secret has no owner
 * reference: the volume claims outlive a deleted cluster (retention whenDeleted Retain), and a cluster
 * created again on them must find the password their data was installed with.
 *
 * <p>{@link #toString()} hides the password. Never log the {@link Secret} from {@link #toSecret}: a
 * fabric8 Secret's own toString prints its data (base64 is no protection).
 */
public final class AdminSecret {
    public static final String USERNAME_KEY = "username";
    public static final String PASSWORD_KEY = "password";
    public static final String DEFAULT_USERNAME = "admin";
    /** basic-auth: the API server then requires the keys username or password, the ones HarperDB's env needs. */
    public static final String TYPE = "kubernetes.io/basic-auth";
    public static final int PASSWORD_LENGTH = 32;
    /** URL-safe and free of '$', so no shell, URL or $(VAR) expansion alters it. 64 symbols: 6 bits each, 192 in all. */
    static final String PASSWORD_ALPHABET = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";
    private static final SecureRandom SECURE_RANDOM = new SecureRandom();

    private final String name;
    private final String username;
    private final String password;

    private AdminSecret(String name, String username, String password) {
        this.name = name;
        this.username = username;
        this.password = password;
    }

    /** A new admin Secret for the cluster, named {@link ResourceNames#adminSecret}, with a new password. */
    public static AdminSecret generate(HarperCluster cluster) {
        return generate(cluster, SECURE_RANDOM);
    }

    static AdminSecret generate(HarperCluster cluster, RandomGenerator random) {
        return new AdminSecret(ResourceNames.adminSecret(cluster), DEFAULT_USERNAME, newPassword(random));
    }

    /** {@link #PASSWORD_LENGTH} symbols of {@link #PASSWORD_ALPHABET}, each drawn uniformly (64 is a power of two). */
    static String newPassword(RandomGenerator random) {
        StringBuilder password = new StringBuilder(PASSWORD_LENGTH);
        for (int i = 0; i < PASSWORD_LENGTH; i++) {
            password.append(PASSWORD_ALPHABET.charAt(random.nextInt(PASSWORD_ALPHABET.length())));
        }
        return password.toString();
    }

    public String name() {
        return name;
    }

    public String username() {
        return username;
    }

    /** For tests; the operator never needs it, it reads the Secret like any other. */
    String password() {
        return password;
    }

    /** The Secret to create (create only: see the class comment). */
    public Secret toSecret(HarperCluster cluster) {
        Map<String, String> data = new LinkedHashMap<>();
        data.put(USERNAME_KEY, base64(username));
        data.put(PASSWORD_KEY, base64(password));
        return new SecretBuilder()
                .withNewMetadata()
                .withName(name)
                .withNamespace(ResourceNames.namespace(cluster))
                .withLabels(ResourceNames.labels(cluster))
                .endMetadata()
                .withType(TYPE)
                .withData(data)
                .build();
    }

    private static String base64(String value) {
        return Base64.getEncoder().encodeToString(value.getBytes(StandardCharsets.UTF_8));
    }

    @Override
    public String toString() {
        return "AdminSecret[name=" + name + ", username=" + username + ", password=***]";
    }
}

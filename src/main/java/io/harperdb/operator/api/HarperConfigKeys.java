package io.harperdb.operator.api;

import java.util.List;
import java.util.Locale;

/**
 * The HarperDB configuration keys that the operator sets itself (ports, hostname, paths, replication,
 * TLS), as {@link Instances#OWNED_CONFIG_RULE} refuses them in {@code instances.config}; kept in step with
 * that rule by a test. Also read for environment variables, which HarperDB maps to the same keys
 * (THREADS_COUNT is threads.count).
 */
public final class HarperConfigKeys {
    /** Keys refused as they are, and the objects that hold owned keys (a value may be a JSON object). */
    static final List<String> OWNED = List.of("rootPath", "componentsRoot", "databases", "http", "http.port",
            "http.securePort", "logging", "logging.root", "logging.path", "logging.rotation", "logging.rotation.path", "mqtt",
            "mqtt.network", "operationsApi", "operationsApi.network", "operationsApi.tls", "replication", "storage",
            "storage.path", "storage.blobPaths", "tls");
    static final List<String> OWNED_PREFIXES = List.of("replication.", "tls.", "operationsApi.network.", "operationsApi.tls.",
            "databases.");
    static final List<String> OWNED_SUFFIXES = List.of(".port", ".securePort");
    /** The port keys of HarperDB 4.7 outside the owned prefixes, for environment variables (see isOwnedEnv). */
    static final List<String> PORTS = List.of("mqtt.port", "mqtt.securePort", "mqtt.network.port", "mqtt.network.securePort");

    private HarperConfigKeys() {
    }

    /** Whether {@code key} (dotted form) is one the operator sets. */
    public static boolean isOwned(String key) {
        return OWNED.contains(key) || OWNED_PREFIXES.stream().anyMatch(key::startsWith)
                || OWNED_SUFFIXES.stream().anyMatch(key::endsWith);
    }

    /**
     * Whether an environment variable would set a key the operator sets: HarperDB reads a variable as the key
     * of the same name with the dots as underscores, in any case. Only leaf keys count here (a variable's value
     * is not merged into an object). HarperDB's port keys are named, not matched by suffix: a component's own
     * variable such as SHOP_API_PORT is none of HarperDB's.
     */
    public static boolean isOwnedEnv(String name) {
        String env = name.toLowerCase(Locale.ROOT);
        return OWNED.stream().map(HarperConfigKeys::envForm).anyMatch(env::equals)
                || PORTS.stream().map(HarperConfigKeys::envForm).anyMatch(env::equals)
                || OWNED_PREFIXES.stream().map(HarperConfigKeys::envForm).anyMatch(env::startsWith);
    }

    /** A key as HarperDB matches it in an environment variable's name: lower case, dots as underscores. */
    public static String envForm(String key) {
        return key.toLowerCase(Locale.ROOT).replace('.', '_');
    }
}

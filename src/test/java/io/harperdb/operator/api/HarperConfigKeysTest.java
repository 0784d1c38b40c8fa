package io.harperdb.operator.api;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The Java list of owned keys and the CRD's rule agree; environment variables map to the same keys. */
class HarperConfigKeysTest {
    static final List<String> OWNED = List.of("rootPath", "componentsRoot", "http.port", "http.securePort", "mqtt.network.port",
            "mqtt.port", "operationsApi.network.port", "operationsApi.network.cors", "operationsApi.tls.certificate",
            "replication.hostname", "replication.url", "replication.routes", "tls.certificate", "tls", "storage.path",
            "storage.blobPaths", "logging.root", "logging.path", "logging.rotation.path", "databases.data.path", "http",
            "logging", "storage", "replication", "operationsApi", "operationsApi.network", "mqtt", "mqtt.network");
    static final List<String> FREE = List.of("threads.count", "threads", "logging.level", "logging.stdStreams", "http.cors",
            "http.corsAccessList", "storage.caching", "storage.compression", "authentication.operationTokenTimeout",
            "localStudio.enabled", "mqtt.requireAuthentication", "analytics.aggregatePeriod", "http.timeout", "logging.rotation.maxSize");

    @Test
    void theCrdRuleRefusesExactlyTheOwnedKeys() {
        for (String key : OWNED) {
            assertThat(HarperConfigKeys.isOwned(key)).as(key).isTrue();
            assertThat(CrdSchemaValidationTest.VALIDATOR.validate(cluster(key))).as(key).singleElement()
                    .satisfies(v -> assertThat(v).startsWith("spec.instances.config: config must not set what the operator sets"));
        }
        for (String key : FREE) {
            assertThat(HarperConfigKeys.isOwned(key)).as(key).isFalse();
            assertThat(CrdSchemaValidationTest.VALIDATOR.validate(cluster(key))).as(key).isEmpty();
        }
    }

    @Test
    void environmentVariablesThatWouldSetAnOwnedKeyAreOwned() {
        assertThat(List.of("REPLICATION_HOSTNAME", "replication_port", "OPERATIONSAPI_NETWORK_PORT", "HTTP_PORT", "HTTP_SECUREPORT",
                "ROOTPATH", "TLS_PRIVATEKEY", "MQTT_NETWORK_PORT", "STORAGE_PATH", "LOGGING_ROOT"))
                .allSatisfy(name -> assertThat(HarperConfigKeys.isOwnedEnv(name)).as(name).isTrue());
        assertThat(List.of("THREADS_COUNT", "LOGGING_LEVEL", "HTTP_CORS", "SHOP_API_PORT", "GREETING", "STORAGE_CACHING"))
                .allSatisfy(name -> assertThat(HarperConfigKeys.isOwnedEnv(name)).as(name).isFalse());
    }

    private static Map<String, Object> cluster(String key) {
        return Map.of("apiVersion", "harperdb.io/v1alpha1", "kind", "HarperCluster",
                "metadata", Map.of("name", "demo", "namespace", "ns"),
                "spec", Map.of("instances", Map.of("config", Map.of(key, "x"))));
    }
}

package io.harperdb.operator.resources;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.fabric8.kubernetes.api.model.EnvVar;
import io.harperdb.operator.api.HarperCluster;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** instances.config as HARPER_SET_CONFIG. */
class HarperConfigTest {
    private final DesiredStatefulSet builder = new DesiredStatefulSet(Clusters.OPERATOR_IMAGE);

    @Test
    void dottedKeysBecomeNestedObjectsInKeyOrder() {
        Map<String, String> config = new LinkedHashMap<>();
        config.put("threads.count", "4");
        config.put("logging.level", "debug");
        config.put("http.cors", "true");
        config.put("http.corsAccessList", "[\"https://a.example\"]");
        config.put("authentication.operationTokenTimeout", "1d");

        assertThat(HarperConfig.json(config)).isEqualTo("{\"authentication\":{\"operationTokenTimeout\":\"1d\"},"
                + "\"http\":{\"cors\":true,\"corsAccessList\":[\"https://a.example\"]},\"logging\":{\"level\":\"debug\"},"
                + "\"threads\":{\"count\":4}}");
    }

    @Test
    void valuesAreJsonWhenTheyParseAsJsonElseText() {
        assertThat(HarperConfig.value("4").isInt()).isTrue();
        assertThat(HarperConfig.value("0.5").isDouble()).isTrue();
        assertThat(HarperConfig.value("false").isBoolean()).isTrue();
        assertThat(HarperConfig.value("null").isNull()).isTrue();
        assertThat(HarperConfig.value("{\"a\": 1}").path("a").asInt()).isEqualTo(1);
        assertThat(HarperConfig.value("debug").textValue()).isEqualTo("debug");
        assertThat(HarperConfig.value("\"1234\"").textValue()).isEqualTo("1234");
        // not a number followed by ignored words
        assertThat(HarperConfig.value("4 cpus").textValue()).isEqualTo("4 cpus");
        assertThat(HarperConfig.value("2025-01-01").textValue()).isEqualTo("2025-01-01");
        assertThat(HarperConfig.value("").textValue()).isEqualTo("");
    }

    @Test
    void noConfigIsAnEmptyObjectSoEarlierKeysGetTheirValuesBack() {
        assertThat(HarperConfig.json(null)).isEqualTo("{}");
        assertThat(HarperConfig.json(Map.of())).isEqualTo("{}");
        assertThat(plain(Clusters.demo())).containsEntry("HARPER_SET_CONFIG", "{}");
    }

    @Test
    void overlappingOrEmptyKeysAreAConfigurationProblem() {
        assertThatThrownBy(() -> HarperConfig.json(Map.of("threads", "{\"count\": 2}", "threads.count", "4")))
                .isInstanceOf(ConfigurationException.class).hasMessageContaining("'threads.count' overlaps");
        assertThatThrownBy(() -> HarperConfig.json(Map.of("logging.level", "debug", "logging.level.x", "4")))
                .isInstanceOf(ConfigurationException.class).hasMessageContaining("overlaps");
        assertThatThrownBy(() -> HarperConfig.json(Map.of("logging..level", "debug")))
                .isInstanceOf(ConfigurationException.class).hasMessageContaining("empty part");
        assertThat(HarperConfig.json(Map.of("threads.count", "4", "threads.debug", "false")))
                .isEqualTo("{\"threads\":{\"count\":4,\"debug\":false}}");
    }

    @Test
    void theConfigReachesHarperDbAsHarperSetConfig() {
        HarperCluster cluster = PodTemplateTest.with("""
                config: { logging.level: debug, storage.caching: "false" }
                """);

        assertThat(plain(cluster)).containsEntry("HARPER_SET_CONFIG", "{\"logging\":{\"level\":\"debug\"},\"storage\":{\"caching\":false}}");
    }

    @Test
    void aConfigKeyReplacesTheOperatorsDefaultVariableForIt() {
        HarperCluster defaults = PodTemplateTest.with("""
                resources: { limits: { cpu: "2" } }
                """);
        assertThat(plain(defaults)).containsEntry("THREADS_COUNT", "2").containsEntry("LOGGING_STDSTREAMS", "true")
                .containsEntry("LOCALSTUDIO_ENABLED", "false");

        HarperCluster configured = PodTemplateTest.with("""
                resources: { limits: { cpu: "2" } }
                config: { threads.count: "8", logging.stdStreams: "false", localStudio: '{"enabled": true}' }
                """);
        assertThat(plain(configured)).doesNotContainKeys("THREADS_COUNT", "LOGGING_STDSTREAMS", "LOCALSTUDIO_ENABLED");
    }

    @Test
    void aChangedConfigChangesTheTemplateHash() {
        String plain = TemplateHash.desired(builder.build(Clusters.demo()));
        String debug = TemplateHash.desired(builder.build(PodTemplateTest.with("config: { logging.level: debug }")));
        String info = TemplateHash.desired(builder.build(PodTemplateTest.with("config: { logging.level: info }")));

        assertThat(List.of(plain, debug, info)).doesNotHaveDuplicates();
    }

    private Map<String, String> plain(HarperCluster cluster) {
        Map<String, String> values = new LinkedHashMap<>();
        for (EnvVar var : builder.build(cluster).getSpec().getTemplate().getSpec().getContainers().get(0).getEnv()) {
            if (var.getValue() != null) {
                values.put(var.getName(), var.getValue());
            }
        }
        return values;
    }
}

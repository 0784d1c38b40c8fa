package io.harperdb.operator.api;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The committed CRDs accept the samples under samples/valid and refuse those under
 * samples/invalid with the messages each names in its {@code # expect:} lines (every expected
 * message appears, and nothing else). A sample named update-* holds two documents, the old object
 * and the new one.
 */
class CrdSchemaValidationTest {
    static final Path SAMPLES = Path.of("src", "test", "resources", "samples");
    static final CrdValidator VALIDATOR = CrdValidator.forCrds(CrdsInSyncTest.COMMITTED);

    @TestFactory
    Stream<DynamicTest> validSamplesAreAccepted() {
        return samples("valid").map(sample -> DynamicTest.dynamicTest(sample.getFileName().toString(),
                () -> assertThat(violations(sample)).isEmpty()));
    }

    @TestFactory
    Stream<DynamicTest> invalidSamplesAreRefusedWithTheirMessages() {
        return samples("invalid").map(sample -> DynamicTest.dynamicTest(sample.getFileName().toString(), () -> {
            List<String> expected = expectations(sample);
            assertThat(expected).as("# expect: lines of " + sample).isNotEmpty();
            List<String> violations = violations(sample);
            for (String message : expected) {
                assertThat(violations).as("violations of " + sample).anySatisfy(v -> assertThat(v).contains(message));
            }
            for (String violation : violations) {
                assertThat(expected).as("unexpected violation of " + sample + ": " + violation)
                        .anySatisfy(e -> assertThat(violation).contains(e));
            }
        }));
    }

    @Test
    void everyKindHasAValidAndAnInvalidSample() {
        for (String kind : List.of("cluster-", "node-")) {
            assertThat(samples("valid")).anySatisfy(p -> assertThat(p.getFileName().toString()).startsWith(kind));
            assertThat(samples("invalid")).anySatisfy(p -> assertThat(p.getFileName().toString()).startsWith(kind));
        }
    }

    @Test
    void theApiServerFillsInTheDefaults() {
        JsonNode stored = VALIDATOR.withDefaults(SAMPLES.resolve("valid/cluster-nodes-only.yaml"));
        JsonNode spec = stored.path("spec");
        assertThat(spec.has("instances")).isFalse();
        assertThat(spec.path("pollInterval").asText()).isEqualTo("30s");
        // On: managed members have certificates from the cluster's CA; a year each, renewed a month ahead; a 10-year CA.
        assertThat(spec.path("tls").path("verify").isBoolean()).isTrue();
        assertThat(spec.path("tls").path("verify").asBoolean()).isTrue();
        assertThat(spec.path("tls").path("certificateValidity").asText()).isEqualTo("8760h");
        assertThat(spec.path("tls").path("renewBefore").asText()).isEqualTo("720h");
        assertThat(spec.path("tls").path("caValidity").asText()).isEqualTo("87600h");
        assertThat(spec.path("replication").path("databases").toString()).isEqualTo("[\"*\"]");
        assertThat(spec.path("replication").path("pruneUnknownNodes").asBoolean(true)).isFalse();

        JsonNode instances = VALIDATOR.withDefaults(SAMPLES.resolve("valid/cluster-scaled-to-zero.yaml"))
                .path("spec").path("instances");
        assertThat(instances.path("replicas").asInt()).isZero();
        assertThat(instances.path("image").asText()).isEqualTo("harperdb/harperdb:4.7.29");
        assertThat(instances.path("storage").path("size").asText()).isEqualTo("10Gi");
        assertThat(instances.path("storage").path("deleteClaimsOnScaleDown").asBoolean(true)).isFalse();
        assertThat(instances.path("sidecar").path("enabled").asBoolean()).isTrue();
        assertThat(instances.path("resources").toString())
                .isEqualTo("{\"limits\":{\"memory\":\"1Gi\"},\"requests\":{\"cpu\":\"1\",\"memory\":\"1Gi\"}}");
    }

    @Test
    void clusterRefCanBeSetOnCreateAndKeptOnUpdate() {
        List<JsonNode> documents = CrdValidator.readYaml(SAMPLES.resolve("invalid/update-node-cluster-ref-changed.yaml"));
        // the transition rule has no old value on creation
        assertThat(VALIDATOR.validate(documents.get(1))).isEmpty();
        assertThat(VALIDATOR.validateUpdate(documents.get(0), documents.get(0))).isEmpty();
        assertThat(VALIDATOR.validateUpdate(documents.get(0), documents.get(1)))
                .containsExactly("spec.clusterRef: clusterRef is immutable");
    }

    @Test
    void everyListThatACelRuleIteratesIsBounded() {
        // The API server refuses a CRD whose rules' estimated cost exceeds its budget; unbounded
        // lists and strings make the estimate huge.
        for (JsonNode crd : crds()) {
            // The root's rules read metadata.name (bounded by the API server) and has(self.spec.instances): they
            // iterate nothing, so the walk starts below them.
            JsonNode root = crd.at("/spec/versions/0/schema/openAPIV3Schema");
            root.path("properties").properties().forEach(p -> assertBoundedUnderRules(p.getValue(), false,
                    crd.at("/spec/names/kind").asText() + "." + p.getKey()));
        }
    }

    private static void assertBoundedUnderRules(JsonNode schema, boolean underRule, String where) {
        boolean ruled = underRule || schema.has("x-kubernetes-validations");
        if (ruled && "array".equals(schema.path("type").asText())) {
            assertThat(schema.has("maxItems")).as(where + ": maxItems").isTrue();
        }
        if (ruled && "string".equals(schema.path("type").asText()) && !schema.has("enum")) {
            assertThat(schema.has("maxLength")).as(where + ": maxLength").isTrue();
        }
        schema.path("properties").properties().forEach(p -> assertBoundedUnderRules(p.getValue(), ruled, where + "." + p.getKey()));
        if (schema.has("items")) {
            assertBoundedUnderRules(schema.get("items"), ruled, where + "[*]");
        }
    }

    private static List<JsonNode> crds() {
        List<JsonNode> crds = new ArrayList<>();
        try (Stream<Path> files = Files.list(CrdsInSyncTest.COMMITTED)) {
            files.sorted().forEach(f -> crds.addAll(CrdValidator.readYaml(f)));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return crds;
    }

    private static List<String> violations(Path sample) {
        List<JsonNode> documents = CrdValidator.readYaml(sample);
        if (sample.getFileName().toString().startsWith("update-")) {
            assertThat(documents).as(sample + ": old and new object").hasSize(2);
            return VALIDATOR.validateUpdate(documents.get(0), documents.get(1));
        }
        assertThat(documents).as(sample + ": one object").hasSize(1);
        return VALIDATOR.validate(documents.get(0));
    }

    private static List<String> expectations(Path sample) throws IOException {
        return Files.readAllLines(sample).stream()
                .filter(line -> line.startsWith("# expect: "))
                .map(line -> line.substring("# expect: ".length()).trim())
                .toList();
    }

    private static Stream<Path> samples(String kind) {
        try (Stream<Path> files = Files.list(SAMPLES.resolve(kind))) {
            return files.filter(f -> f.toString().endsWith(".yaml")).sorted().toList().stream();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}

package io.harperdb.operator.examples;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;
import io.harperdb.operator.api.CrdValidator;
import io.harperdb.operator.api.HarperCluster;
import io.harperdb.operator.api.HarperNode;
import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Every example parses, and every HarperCluster and HarperNode in them passes the CRDs' validation as the
 * API server would apply it (schema and CEL rules, strict fields) and reads into the API classes.
 */
class ExamplesTest {
    static final Path EXAMPLES = Path.of("examples");
    /** Kinds of other tools that the examples use: parsed, not validated. */
    static final Set<String> OTHER_TOOLS = Set.of("argoproj.io/v1alpha1", "source.toolkit.fluxcd.io/v1",
            "kustomize.toolkit.fluxcd.io/v1", "kustomize.config.k8s.io/v1beta1");
    private static final KubernetesSerialization SERIALIZATION = new KubernetesSerialization();

    static CrdValidator crds;

    @BeforeAll
    static void loadCrds() {
        crds = CrdValidator.forCrds(Path.of("crds"));
    }

    static Stream<Path> exampleFiles() throws IOException {
        try (Stream<Path> files = Files.walk(EXAMPLES)) {
            return files.filter(f -> f.toString().endsWith(".yaml") || f.toString().endsWith(".yml")).sorted().toList().stream();
        }
    }

    @ParameterizedTest
    @MethodSource("exampleFiles")
    void everyDocumentIsValid(Path file) {
        List<JsonNode> documents = CrdValidator.readYaml(file);
        assertThat(documents).as(file + " is empty").isNotEmpty();
        for (JsonNode document : documents) {
            String apiVersion = document.path("apiVersion").asText();
            String kind = document.path("kind").asText();
            String what = file + ": " + kind + " " + document.path("metadata").path("name").asText();
            assertThat(apiVersion).as(what + " apiVersion").isNotEmpty();
            assertThat(kind).as(what + " kind").isNotEmpty();
            if (apiVersion.startsWith("harperdb.io/")) {
                assertThat(crds.handles(document)).as(what + ": no CRD serves " + apiVersion).isTrue();
                assertThat(crds.validate(document)).as(what + " refused").isEmpty();
                Class<?> type = kind.equals("HarperCluster") ? HarperCluster.class : HarperNode.class;
                assertThat(SERIALIZATION.unmarshal(document.toString(), type)).isInstanceOf(type);
            } else if (!OTHER_TOOLS.contains(apiVersion)) {
                Object parsed = SERIALIZATION.unmarshal(document.toString());
                assertThat(parsed).as(what + " is not a known Kubernetes kind").isInstanceOf(HasMetadata.class)
                        .isNotInstanceOf(io.fabric8.kubernetes.api.model.GenericKubernetesResource.class);
            }
        }
    }

    /** A HarperNode names a HarperCluster of its own file or folder, so that the example works when applied. */
    @ParameterizedTest
    @MethodSource("exampleFiles")
    void everyClusterRefNamesAClusterOfTheExample(Path file) throws IOException {
        List<String> clusters = new ArrayList<>();
        try (Stream<Path> siblings = Files.list(file.getParent())) {
            siblings.filter(f -> f.toString().endsWith(".yaml")).forEach(f -> CrdValidator.readYaml(f).stream()
                    .filter(d -> d.path("kind").asText().equals("HarperCluster"))
                    .forEach(d -> clusters.add(d.path("metadata").path("name").asText())));
        }
        CrdValidator.readYaml(file).stream().filter(d -> d.path("kind").asText().equals("HarperNode"))
                .forEach(node -> assertThat(clusters).as(file + ": clusterRef of " + node.path("metadata").path("name").asText())
                        .contains(node.path("spec").path("clusterRef").asText()));
    }

    @Test
    void theExamplesShowWhatTheIssueAsks() throws IOException {
        List<JsonNode> all = exampleFiles().flatMap(f -> CrdValidator.readYaml(f).stream()).toList();

        assertThat(all).as("a three-member managed cluster").anyMatch(d -> d.path("kind").asText().equals("HarperCluster")
                && d.path("spec").path("instances").path("replicas").asInt() == 3);
        assertThat(all).as("an external HarperNode").anyMatch(d -> d.path("kind").asText().equals("HarperNode")
                && d.path("spec").path("url").asText().startsWith("wss://"));
        assertThat(all).as("per-table subscriptions").anyMatch(d -> d.path("kind").asText().equals("HarperNode")
                && d.path("spec").path("subscriptions").size() > 0);
        assertThat(all).as("routes").anyMatch(d -> d.path("spec").path("replication").path("routes").size() > 0);
        assertThat(all).as("an Argo CD Application").anyMatch(d -> d.path("kind").asText().equals("Application"));
    }

    /**
     * The examples keep the secure default: the quick start's managed cluster verifies TLS (its members have
     * certificates from the cluster's CA), and an example that turns verification off says why (members with
     * HarperDB's own self-signed certificates), so that nobody copies the opt-out without the reason.
     */
    @ParameterizedTest
    @MethodSource("exampleFiles")
    void examplesVerifyTlsOrSayWhyNot(Path file) throws IOException {
        List<JsonNode> documents = CrdValidator.readYaml(file);
        boolean turnsVerificationOff = false;
        for (JsonNode d : documents) {
            JsonNode verify = d.path("kind").asText().equals("HarperCluster") ? d.path("spec").path("tls").path("verify")
                    : d.path("kind").asText().equals("HarperNode") ? d.path("spec").path("verifyTls") : null;
            if (verify != null && !verify.isMissingNode() && !verify.asBoolean(true)) {
                turnsVerificationOff = true;
            }
        }
        if (turnsVerificationOff) {
            assertThat(Files.readString(file)).as(file + " says why verification is off").contains("self-signed");
        }
        if (file.endsWith("managed-cluster.yaml")) {
            assertThat(turnsVerificationOff).as("the quick start verifies TLS").isFalse();
            assertThat(Files.readString(file)).as("and says how to opt out").contains("verify: false");
        }
    }

    /** Argo CD and Flux point at folders of this repository: they exist and kustomize builds them. */
    @Test
    void gitOpsSourcesPointAtFoldersThatBuild() throws Exception {
        List<String> paths = exampleFiles().flatMap(f -> CrdValidator.readYaml(f).stream())
                .filter(d -> d.path("kind").asText().equals("Application") || d.path("apiVersion").asText().startsWith("kustomize.toolkit.fluxcd.io"))
                .map(d -> d.path("kind").asText().equals("Application") ? d.path("spec").path("source").path("path").asText()
                        : d.path("spec").path("path").asText())
                .toList();
        assertThat(paths).isNotEmpty();
        for (String path : paths) {
            Path folder = Path.of(path.startsWith("./") ? path.substring(2) : path);
            assertThat(folder.resolve("kustomization.yaml")).as("a kustomization in " + path).exists();
        }

        assumeTrue(onPath("kubectl"), "kubectl is not installed");
        for (String path : paths) {
            String built = kustomize(path.startsWith("./") ? path.substring(2) : path);
            assertThat(built).as("kubectl kustomize " + path).contains("kind:");
        }
        assertThat(kustomize("examples/gitops/operator")).as("the overlay's patch").contains("replicas: 2");
    }

    static boolean onPath(String command) {
        String path = System.getenv("PATH");
        return path != null && Stream.of(path.split(File.pathSeparator)).anyMatch(dir -> Files.isExecutable(Path.of(dir, command)));
    }

    static String kustomize(String folder) throws IOException, InterruptedException {
        Process process = new ProcessBuilder("kubectl", "kustomize", folder).start();
        String out = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        String err = new String(process.getErrorStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(process.waitFor(60, TimeUnit.SECONDS)).isTrue();
        assertThat(process.exitValue()).as("kubectl kustomize " + folder + ": " + err).isZero();
        return out;
    }
}

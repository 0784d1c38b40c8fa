package io.harperdb.operator.api;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.NumericNode;
import io.fabric8.kubernetes.api.model.ConditionBuilder;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.api.model.ResourceRequirementsBuilder;
import io.fabric8.kubernetes.client.CustomResource;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

class ApiRoundTripTest {
    static final KubernetesSerialization SERIALIZATION = new KubernetesSerialization();
    static final CrdValidator VALIDATOR = CrdValidator.forCrds(CrdsInSyncTest.COMMITTED);

    @Test
    void aClusterSurvivesJavaToYamlToJava() {
        HarperCluster cluster = fullCluster();
        String yaml = SERIALIZATION.asYaml(cluster);
        assertThat(SERIALIZATION.unmarshal(yaml, HarperCluster.class)).isEqualTo(cluster);
        assertThat(yaml).contains("- \"server-two:9933\"").contains("hostname: \"server-three\"");
        assertThat(VALIDATOR.validate(cluster)).isEmpty();
    }

    @Test
    void aNodeSurvivesJavaToYamlToJava() {
        HarperNode node = fullNode();
        String yaml = SERIALIZATION.asYaml(node);
        assertThat(SERIALIZATION.unmarshal(yaml, HarperNode.class)).isEqualTo(node);
        assertThat(VALIDATOR.validate(node)).isEmpty();
    }

    @Test
    void aNewJavaObjectHoldsTheSchemaDefaults() {
        // So that objects built in Java (and the mock server, which applies no defaults) look like
        // the ones the API server stores.
        HarperCluster cluster = new HarperCluster();
        cluster.setMetadata(new ObjectMetaBuilder().withName("demo").build());
        cluster.setSpec(new HarperClusterSpec());
        cluster.getSpec().setInstances(new Instances());
        JsonNode written = SERIALIZATION.convertValue(cluster, JsonNode.class);
        assertThat(written).isEqualTo(VALIDATOR.withDefaults(Map.of(
                "apiVersion", HarperApi.API_VERSION, "kind", "HarperCluster", "metadata", Map.of("name", "demo"),
                "spec", Map.of("instances", Map.of()))));
    }

    @TestFactory
    Stream<DynamicTest> validSamplesReadIntoJavaAsTheApiServerStoresThem() {
        return validSamples().map(sample -> DynamicTest.dynamicTest(sample.getFileName().toString(), () -> {
            for (JsonNode document : CrdValidator.readYaml(sample)) {
                Class<? extends CustomResource<?, ?>> type = "HarperCluster".equals(document.path("kind").asText())
                        ? HarperCluster.class : HarperNode.class;
                JsonNode read = SERIALIZATION.convertValue(SERIALIZATION.convertValue(document, type), JsonNode.class);
                JsonNode stored = VALIDATOR.withDefaults(document);
                // 0 and 0.0 are the same number to the API server
                assertThat(read.equals((a, b) -> a instanceof NumericNode && b instanceof NumericNode
                        ? Double.compare(a.asDouble(), b.asDouble()) : a.equals(b) ? 0 : 1, stored))
                        .as("%s read into Java and written back:%n%s%nstored by the API server:%n%s", sample, read, stored)
                        .isTrue();
            }
        }));
    }

    static HarperCluster fullCluster() {
        Instances instances = new Instances();
        instances.setReplicas(5);
        instances.getStorage().setStorageClassName("fast");
        instances.setResources(new ResourceRequirementsBuilder()
                .addToRequests("cpu", new Quantity("500m")).addToLimits("memory", new Quantity("2Gi")).build());
        HarperClusterSpec spec = new HarperClusterSpec();
        spec.setInstances(instances);
        spec.setAdminSecret("demo-admin");
        spec.setPollInterval("1m");
        spec.getReplication().setSubscriptions(List.of(new Subscription("data", "dog", true, false)));
        spec.getReplication().setRoutes(List.of(Route.of("server-two:9933"), Route.of("server-three", 9933)));

        ConnectionStatus connection = new ConnectionStatus();
        connection.setName("demo-1");
        connection.setUrl("wss://demo-1.demo-hdb.ns.svc:9933");
        connection.setReplicates(false);
        connection.setSubscriptions(List.of(new ObservedSubscription("data", "dog", true, false)));
        connection.setConnected(true);
        connection.setDatabases(List.of(new DatabaseSocketStatus("data", true, 0.0, "Waiting")));
        MemberStatus member = new MemberStatus();
        member.setName("demo-0");
        member.setUrl("wss://demo-0.demo-hdb.ns.svc:9933");
        member.setReachable(true);
        member.setConnections(List.of(connection));
        HarperClusterStatus status = new HarperClusterStatus();
        status.setObservedGeneration(2L);
        status.setPhase(Phase.DEGRADED);
        status.setConditions(List.of(new ConditionBuilder().withType("Ready").withStatus("False")
                .withReason("MemberUnreachable").withLastTransitionTime("2025-01-01T00:00:00Z").build()));
        status.setReadyMembers("4/5");
        status.setMembers(List.of(member));
        status.setRoutesPendingRestart(List.of("demo-0"));

        HarperCluster cluster = new HarperCluster();
        cluster.setMetadata(new ObjectMetaBuilder().withName("demo").withNamespace("ns").build());
        cluster.setSpec(spec);
        cluster.setStatus(status);
        return cluster;
    }

    static HarperNode fullNode() {
        HarperNodeSpec spec = new HarperNodeSpec();
        spec.setClusterRef("demo");
        spec.setHostname("east-1.example.com");
        spec.setUrl("wss://east-1.example.com:9933");
        spec.setOperationsUrl("https://east-1.example.com:9925");
        spec.setVerifyTls(false);
        spec.setAuthorizationSecret(new SecretReference("east-1-admin"));
        spec.setRetainAuthorization(true);
        spec.setSubscriptions(new ArrayList<>(List.of(new Subscription("data", "dog", true, true))));
        HarperNodeStatus status = new HarperNodeStatus();
        status.setObservedGeneration(1L);
        status.setPhase(Phase.READY);
        status.setConnections(List.of());

        HarperNode node = new HarperNode();
        node.setMetadata(new ObjectMetaBuilder().withName("east-1").withNamespace("ns").build());
        node.setSpec(spec);
        node.setStatus(status);
        return node;
    }

    private static Stream<Path> validSamples() {
        try (Stream<Path> files = Files.list(CrdSchemaValidationTest.SAMPLES.resolve("valid"))) {
            return files.sorted().toList().stream();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}

package io.harperdb.operator.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.utils.Serialization;
import io.harperdb.operator.api.HarperCluster;
import io.harperdb.operator.testing.MockKubernetes;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** kubectl harper against the mock API server: what it prints, and the annotations it leaves for the operator. */
class KubectlHarperTest {
    private static final Clock CLOCK = Clock.fixed(Instant.parse("2026-12-03T05:30:12.345Z"), ZoneOffset.UTC);
    private MockKubernetes kubernetes;
    private KubernetesClient client;
    private final ByteArrayOutputStream out = new ByteArrayOutputStream();
    private final ByteArrayOutputStream err = new ByteArrayOutputStream();

    @BeforeEach
    void createCluster() {
        kubernetes = new MockKubernetes();
        client = kubernetes.newUserClient();
        HarperCluster cluster = Serialization.unmarshal(StatusReportTest.CLUSTER, HarperCluster.class);
        var status = cluster.getStatus();
        cluster.setStatus(null);
        HarperCluster created = client.resource(cluster).create();
        created.setStatus(status);
        client.resource(created).updateStatus();
    }

    @AfterEach
    void close() {
        kubernetes.close();
    }

    @Test
    void statusPrintsTheReportOfTheStoredCluster() {
        assertThat(run("-n", "ns", "status", "demo")).isZero();

        assertThat(out()).isEqualTo(StatusReport.render(stored())).contains("Routes pending restart: demo-2");
        assertThat(out()).contains("  demo-0  4.7.29   -            ok bp 12%    part");
    }

    @Test
    void restartSetsTheRestartedAtAnnotationToNow() {
        assertThat(run("--namespace=ns", "restart", "demo")).isZero();

        assertThat(stored().getMetadata().getAnnotations()).containsEntry("harperdb.io/restartedAt", "2026-12-03T05:30:12Z");
        assertThat(out()).contains("restart requested");
    }

    @Test
    void pauseThenResume() {
        assertThat(run("-n", "ns", "pause", "demo")).isZero();
        assertThat(stored().getMetadata().getAnnotations()).containsEntry("harperdb.io/pause-reconciliation", "true");

        assertThat(run("-n", "ns", "resume", "demo")).isZero();
        Map<String, String> annotations = stored().getMetadata().getAnnotations();
        assertThat(annotations == null ? Map.<String, String>of() : annotations).doesNotContainKey("harperdb.io/pause-reconciliation");
        assertThat(stored().getStatus().getReadyMembers()).as("status untouched").isEqualTo("2/3");
    }

    @Test
    void aMissingClusterOrABadCommandFailsWithAMessage() {
        assertThat(run("-n", "ns", "status", "nope")).isEqualTo(1);
        assertThat(err()).contains("HarperCluster ns/nope not found");
        assertThat(run("-n", "ns", "explode", "demo")).isEqualTo(2);
        assertThat(err()).contains("unknown command: explode").contains("Usage: kubectl harper");
        assertThat(run("status")).isEqualTo(2);
        assertThat(run("--help")).isZero();
        assertThat(out()).contains("restart CLUSTER");
    }

    /** The plugin kubectl finds is a script named kubectl-harper that runs this class. */
    @Test
    void theScriptRunsThisClass() throws IOException {
        Path script = Path.of("scripts", "kubectl-harper");

        assertThat(Files.isExecutable(script)).isTrue();
        assertThat(Files.readString(script)).startsWith("#!/bin/sh").contains(KubectlHarper.class.getName());
    }

    private int run(String... args) {
        out.reset();
        err.reset();
        return KubectlHarper.run(client, args, new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8), CLOCK);
    }

    private String out() {
        return out.toString(StandardCharsets.UTF_8);
    }

    private String err() {
        return err.toString(StandardCharsets.UTF_8);
    }

    private HarperCluster stored() {
        return client.resources(HarperCluster.class).inNamespace("ns").withName("demo").get();
    }
}

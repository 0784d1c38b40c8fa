package io.harperdb.operator.helm;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import org.junit.jupiter.api.parallel.ResourceLock;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.Namespace;
import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceDefinition;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.rbac.ClusterRole;
import io.fabric8.kubernetes.api.model.rbac.ClusterRoleBinding;
import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** deploy/ is the chart rendered with its default values, and applies in order: Namespace, CRDs, the rest. */
@ResourceLock("helm")    // helm-java's native library, one caller at a time
class DeployManifestTest {

    @Test
    void theCommittedManifestIsTheRenderedOne() throws IOException {
        assertThat(DeployManifest.FILE).exists();
        assertThat(Files.readString(DeployManifest.FILE)).as("deploy/harperdb-operator.yaml is stale: run `make deploy`")
                .isEqualTo(DeployManifest.render());
    }

    @Test
    void itHoldsTheNamespaceFirstThenTheCrdsThenTheOperator() throws IOException {
        List<HasMetadata> documents = OperatorChart.documents(Files.readString(DeployManifest.FILE));

        assertThat(documents.get(0)).isInstanceOfSatisfying(Namespace.class,
                n -> assertThat(n.getMetadata().getName()).isEqualTo(OperatorChart.NAMESPACE));
        assertThat(documents.subList(1, 3)).allMatch(d -> d instanceof CustomResourceDefinition)
                .extracting(d -> d.getMetadata().getName())
                .containsExactlyInAnyOrder("harperclusters.harperdb.io", "harpernodes.harperdb.io");
        assertThat(documents).anyMatch(d -> d instanceof Deployment);
        assertThat(documents).filteredOn(d -> !(d instanceof Namespace || d instanceof CustomResourceDefinition
                        || d instanceof ClusterRole || d instanceof ClusterRoleBinding))
                .allMatch(d -> OperatorChart.NAMESPACE.equals(d.getMetadata().getNamespace()), "in the operator's namespace");
    }

    @Test
    void theKustomizationBuildsTheSameObjects() throws Exception {
        String kustomization = Files.readString(Path.of("deploy", "kustomization.yaml"));
        assertThat(kustomization).contains("- harperdb-operator.yaml");

        // kubectl's built-in kustomize, where the machine has kubectl (not a build requirement)
        assumeTrue(onPath("kubectl"), "kubectl is not installed");
        String built = run("kubectl", "kustomize", "deploy");
        List<HasMetadata> fromKustomize = OperatorChart.documents(built);
        List<HasMetadata> fromFile = OperatorChart.documents(Files.readString(DeployManifest.FILE));
        assertThat(fromKustomize).extracting(d -> d.getKind() + "/" + d.getMetadata().getName())
                .containsExactlyInAnyOrderElementsOf(fromFile.stream().map(d -> d.getKind() + "/" + d.getMetadata().getName()).toList());
    }

    static boolean onPath(String command) {
        String path = System.getenv("PATH");
        return path != null && List.of(path.split(File.pathSeparator)).stream().anyMatch(dir -> Files.isExecutable(Path.of(dir, command)));
    }

    static String run(String... command) throws IOException, InterruptedException {
        Process process = new ProcessBuilder(command).redirectErrorStream(false).start();
        byte[] out = process.getInputStream().readAllBytes();
        String err = new String(process.getErrorStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(process.waitFor(60, TimeUnit.SECONDS)).isTrue();
        assertThat(process.exitValue()).as(String.join(" ", command) + ": " + err).isZero();
        return new String(out, StandardCharsets.UTF_8);
    }
}

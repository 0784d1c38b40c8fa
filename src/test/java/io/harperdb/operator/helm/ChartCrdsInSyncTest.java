package io.harperdb.operator.helm;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.parallel.ResourceLock;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/** The chart's crds/ holds the same files as the top-level crds/, which are the ones the build generates. */
@ResourceLock("helm")    // helm-java's native library, one caller at a time
class ChartCrdsInSyncTest {
    static final Path CHART_CRDS = OperatorChart.DIR.resolve("crds");
    static final Path CRDS = Path.of("crds");
    static final Path GENERATED = Path.of("target", "classes", "META-INF", "fabric8");

    @Test
    void chartCrdsAreTheProjectsAndTheGeneratedOnes() throws IOException {
        assertThat(differences(CRDS, CHART_CRDS)).as("helm/harperdb-operator/crds/ differs from crds/: run `make crds`").isEmpty();
        assertThat(differences(GENERATED, CHART_CRDS)).as("helm/harperdb-operator/crds/ is stale: run `make crds`").isEmpty();
    }

    static List<String> differences(Path expected, Path actual) throws IOException {
        Set<String> names = new TreeSet<>(yamlFiles(expected));
        assertThat(names).as("CRDs in " + expected).isNotEmpty();
        names.addAll(yamlFiles(actual));
        List<String> problems = new ArrayList<>();
        for (String name : names) {
            Path e = expected.resolve(name);
            Path a = actual.resolve(name);
            if (!Files.exists(a)) {
                problems.add(name + " is missing");
            } else if (!Files.exists(e)) {
                problems.add(name + " should not be there");
            } else if (!Files.readString(e).equals(Files.readString(a))) {
                problems.add(name + " differs");
            }
        }
        return problems;
    }

    static Set<String> yamlFiles(Path folder) throws IOException {
        if (!Files.isDirectory(folder)) {
            return Set.of();
        }
        try (Stream<Path> files = Files.list(folder)) {
            return files.map(f -> f.getFileName().toString()).filter(n -> n.endsWith(".yml") || n.endsWith(".yaml"))
                    .collect(Collectors.toCollection(TreeSet::new));
        }
    }
}

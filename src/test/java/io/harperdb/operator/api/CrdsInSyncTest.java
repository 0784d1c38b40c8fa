package io.harperdb.operator.api;

import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/** The CRDs committed under crds/ are the ones the build generates from the api classes. */
class CrdsInSyncTest {
    static final Path COMMITTED = Path.of("crds");
    static final Path GENERATED = Path.of("target", "classes", "META-INF", "fabric8");

    @Test
    void committedCrdsAreTheGeneratedOnes() throws IOException {
        Set<String> committed = yamlFiles(COMMITTED);
        Set<String> generated = yamlFiles(GENERATED);
        assertThat(generated).as("CRDs generated into " + GENERATED).isNotEmpty();

        List<String> problems = new ArrayList<>();
        for (String name : union(committed, generated)) {
            if (!generated.contains(name)) {
                problems.add(name + " is not generated any more");
            } else if (!committed.contains(name)) {
                problems.add(name + " is missing");
            } else if (!Files.readString(COMMITTED.resolve(name)).equals(Files.readString(GENERATED.resolve(name)))) {
                problems.add(name + " differs from the generated one");
            }
        }
        assertThat(problems).as("crds/ is stale: run `make crds`").isEmpty();
    }

    private static Set<String> yamlFiles(Path folder) throws IOException {
        if (!Files.isDirectory(folder)) {
            return Set.of();
        }
        try (Stream<Path> files = Files.list(folder)) {
            return files.map(f -> f.getFileName().toString()).filter(n -> n.endsWith(".yml") || n.endsWith(".yaml"))
                    .collect(Collectors.toCollection(TreeSet::new));
        }
    }

    private static Set<String> union(Set<String> a, Set<String> b) {
        Set<String> all = new TreeSet<>(a);
        all.addAll(b);
        return all;
    }
}

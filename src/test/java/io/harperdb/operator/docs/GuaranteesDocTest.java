package io.harperdb.operator.docs;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import java.util.regex.MatchResult;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/** docs/guarantees.md names the test behind each guarantee: each named test exists, and the README links the page. */
class GuaranteesDocTest {
    private static final Path PAGE = Path.of("docs", "guarantees.md");
    private static final Pattern TEST_NAME = Pattern.compile("\\b[A-Z][A-Za-z]+(?:Test|IT)\\b");

    @Test
    void everyTestThePageNamesExists() throws IOException {
        Set<String> named = TEST_NAME.matcher(Files.readString(PAGE)).results().map(MatchResult::group).collect(Collectors.toSet());
        Set<String> existing;
        try (Stream<Path> files = Files.walk(Path.of("src", "test", "java"))) {
            existing = files.map(f -> f.getFileName().toString()).filter(n -> n.endsWith(".java"))
                    .map(n -> n.substring(0, n.length() - ".java".length())).collect(Collectors.toSet());
        }
        assertThat(named).as("tests named in " + PAGE).hasSizeGreaterThan(10);
        assertThat(existing).containsAll(named);
    }

    @Test
    void theReadmeLinksThePage() throws IOException {
        assertThat(Files.readString(Path.of("README.md"))).contains("docs/guarantees.md");
        assertThat(List.of(Files.readString(PAGE).split("\n"))).contains("## Guaranteed", "## Not guaranteed");
    }
}

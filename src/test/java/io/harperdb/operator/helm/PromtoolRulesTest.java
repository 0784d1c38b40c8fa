package io.harperdb.operator.helm;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The chart's alert rules through Prometheus' own promtool: {@code check rules}, then the unit tests of
 * src/test/resources/prometheus/harperdb-rules.test.yaml (each alert silent before its {@code for}, firing after it,
 * with its labels and annotations). promtool comes from Debian's prometheus package: on the PATH, or in .promtool/
 * where {@code scripts/install-promtool.sh} (run by {@code make test}) puts it. Without it these tests fail: a
 * missing tool must not pass as a checked rule (run {@code make promtool}).
 */
class PromtoolRulesTest {
    static final Path UNIT_TESTS = Path.of("src/test/resources/prometheus/harperdb-rules.test.yaml");

    @Test
    void theRulesFileIsValid() throws Exception {
        Path promtool = promtool();

        assertThat(run(promtool, MonitoringChartTest.RULES.getParent(), "check", "rules", MonitoringChartTest.RULES.getFileName().toString()))
                .contains("SUCCESS");
    }

    @Test
    void eachAlertFiresAfterItsDurationAndNotBefore(@TempDir Path dir) throws Exception {
        Path promtool = promtool();
        Files.copy(MonitoringChartTest.RULES, dir.resolve("harperdb-rules.yaml"));
        Files.copy(UNIT_TESTS, dir.resolve(UNIT_TESTS.getFileName()));

        assertThat(run(promtool, dir, "test", "rules", UNIT_TESTS.getFileName().toString())).contains("SUCCESS");
    }

    /** Every alert of the rules file has a unit test. */
    @Test
    void everyAlertHasAUnitTest() throws IOException {
        String tests = Files.readString(UNIT_TESTS);
        for (var rule : MonitoringChartTest.rules()) {
            assertThat(tests).as(rule.getAlert()).contains("alertname: " + rule.getAlert() + "\n");
        }
    }

    static Path promtool() {
        Optional<Path> found = find();
        assertThat(found).as("promtool on the PATH or in .promtool/ (run `make promtool`)").isPresent();
        return found.get();
    }

    static Optional<Path> find() {
        String path = System.getenv("PATH");
        Stream<Path> candidates = Stream.concat(
                path == null ? Stream.empty() : Stream.of(path.split(File.pathSeparator)).map(dir -> Path.of(dir, "promtool")),
                Stream.of(Path.of(".promtool", "usr", "bin", "promtool")));
        return candidates.filter(Files::isExecutable).findFirst();
    }

    private static String run(Path promtool, Path dir, String... args) throws IOException, InterruptedException {
        List<String> command = new ArrayList<>(List.of(promtool.toAbsolutePath().toString()));
        command.addAll(List.of(args));
        Process process = new ProcessBuilder(command).directory(dir.toFile()).redirectErrorStream(true).start();
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(process.waitFor(60, TimeUnit.SECONDS)).as("promtool finished").isTrue();
        assertThat(process.exitValue()).as("promtool %s:\n%s", String.join(" ", args), output).isZero();
        return output;
    }
}

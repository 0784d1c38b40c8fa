package io.harperdb.operator.resources;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

import io.fabric8.kubernetes.client.utils.Serialization;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Golden YAML files under src/test/resources/golden: what a builder gives, reviewed by eye once. Run the
 * tests with {@code -Dgolden.update=true} to write them again after an intended change, then review the
 * diff before committing it.
 */
final class Golden {
    static final String UPDATE_PROPERTY = "golden.update";
    /** Surefire runs the tests in the module's directory. */
    static final Path DIRECTORY = Path.of("src", "test", "resources", "golden");

    private Golden() {
    }

    static void assertMatches(String name, Object resource) {
        String actual = Serialization.asYaml(resource);
        Path file = DIRECTORY.resolve(name + ".yaml");
        try {
            if (Boolean.getBoolean(UPDATE_PROPERTY)) {
                Files.createDirectories(DIRECTORY);
                Files.writeString(file, actual, StandardCharsets.UTF_8);
                return;
            }
            if (!Files.exists(file)) {
                fail("no golden file " + file + ": run with -D" + UPDATE_PROPERTY + "=true, then review it");
            }
            assertThat(actual)
                    .as("%s differs from the builder's output; if the change is intended, run with -D%s=true and review the diff",
                            file, UPDATE_PROPERTY)
                    .isEqualTo(Files.readString(file, StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}

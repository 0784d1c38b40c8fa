package io.harperdb.operator.testing.pods;

import io.harperdb.operator.testing.ImageLayoutDir;
import io.harperdb.testing.HarperDbFixture;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The operator's image (which also runs the replication sidecar), laid out in a directory exactly as
 * the project's Dockerfile lays it out ({@link ImageLayoutDir}: every {@code COPY} carried out from the
 * project's build output, so {@code mvn package} must have run), with the Dockerfile's {@code ENV},
 * {@code ENTRYPOINT} and {@code CMD}. A container whose command names a path the Dockerfile does not
 * create fails here as it would in the image.
 */
final class OperatorImage implements ContainerImage {
    private final Path root;
    private final ImageLayoutDir.Dockerfile dockerfile;

    private OperatorImage(Path root, ImageLayoutDir.Dockerfile dockerfile) {
        this.root = root;
        this.dockerfile = dockerfile;
    }

    /** Builds the image's filesystem under {@code root} from the project in {@code context}. */
    static OperatorImage build(Path context, Path root) {
        HarperDbFixture.deleteRecursively(root);
        ImageLayoutDir.materialize(context, root);
        return new OperatorImage(root, ImageLayoutDir.parse(context.resolve("Dockerfile")));
    }

    @Override
    public List<String> entrypoint() {
        return dockerfile.entrypoint();
    }

    @Override
    public List<String> cmd() {
        return dockerfile.cmd();
    }

    @Override
    public Map<String, String> env() {
        return dockerfile.env();
    }

    @Override
    public Path hostPath(String containerPath) {
        Path top = ImageLayoutDir.hostPath(root, "/" + Path.of(containerPath).getName(0));
        return Files.exists(top) ? ImageLayoutDir.hostPath(root, containerPath) : null;
    }

    /** The base image's Java is the one running these tests (both are Java 17). */
    @Override
    public List<String> program(String name) {
        if (name.equals("java")) {
            return List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        }
        throw new IllegalStateException("the operator image has no program " + name);
    }

    @Override
    public Map<String, String> pinListeners(Map<String, String> env, String podIp) {
        Map<String, String> pinned = new LinkedHashMap<>(env);
        pinned.putIfAbsent("SIDECAR_ADDRESS", podIp);
        return pinned;
    }
}

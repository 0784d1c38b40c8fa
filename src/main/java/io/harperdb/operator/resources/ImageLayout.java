package io.harperdb.operator.resources;

import io.harperdb.operator.Main;
import io.harperdb.replication.sidecar.SidecarMain;
import java.util.ArrayList;
import java.util.List;

/**
 * Where the operator's image (the Dockerfile) puts the operator, and how it runs it and the sidecar: the
 * one place in the code that knows the image's layout. ImageLayoutTest parses the Dockerfile and fails when
 * the two diverge.
 *
 * <pre>
 * /app/app.jar    the operator's jar; its manifest's Class-Path names lib/*.jar, beside it
 * /app/lib/       the runtime dependencies (target/lib/)
 * </pre>
 */
public final class ImageLayout {
    /** The image's WORKDIR. */
    public static final String APP_DIR = "/app";
    /** The operator's jar; its manifest names the libraries (lib/...), so it alone is the class path. */
    public static final String JAR = APP_DIR + "/app.jar";
    /** The runtime dependencies, where the jar's manifest Class-Path (lib/...) resolves. */
    public static final String LIB_DIR = APP_DIR + "/lib";
    /** The image's default command (CMD) runs the operator. */
    public static final String OPERATOR_MAIN_CLASS = Main.class.getName();
    public static final String SIDECAR_MAIN_CLASS = SidecarMain.class.getName();

    private ImageLayout() {
    }

    /** The image's ENTRYPOINT: the JVM with the jar as class path; the main class follows (CMD or args). */
    public static List<String> entrypoint() {
        return List.of("java", "-cp", JAR);
    }

    /** What the image runs by default: ENTRYPOINT and CMD. */
    public static List<String> operatorCommand() {
        return command(OPERATOR_MAIN_CLASS);
    }

    /** The replication sidecar's container command: the image's entrypoint with the sidecar's main class. */
    public static List<String> sidecarCommand() {
        return command(SIDECAR_MAIN_CLASS);
    }

    private static List<String> command(String mainClass) {
        List<String> command = new ArrayList<>(entrypoint());
        command.add(mainClass);
        return List.copyOf(command);
    }
}

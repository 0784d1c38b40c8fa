package io.harperdb.operator.resources;

import io.harperdb.operator.OperatorBuild;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * The image the replication sidecar runs (the operator's own), where it came from, and what is wrong
 * with it, if anything.
 *
 * @param image   the image reference, or null when there is none
 * @param source  where it came from, for the log: "OPERATOR_IMAGE" or "the build's default (...)"
 * @param problem why it cannot be used, or null when it can
 */
public record SidecarImage(String image, String source, String problem) {
    /** The environment variable that gives the operator its own image, the sidecar's image. */
    public static final String ENV = "OPERATOR_IMAGE";

    /**
     * A container image reference as Docker and the kubelet read it: [registry[:port]/]path[:tag][@digest],
     * path components in lower case.
     */
    static final Pattern REFERENCE = Pattern.compile(
            "^(?:(?:[A-Za-z0-9](?:[A-Za-z0-9-]*[A-Za-z0-9])?)(?:\\.(?:[A-Za-z0-9](?:[A-Za-z0-9-]*[A-Za-z0-9])?))*(?::[0-9]+)?/)?"
                    + "[a-z0-9]+(?:(?:[._]|__|-+)[a-z0-9]+)*(?:/[a-z0-9]+(?:(?:[._]|__|-+)[a-z0-9]+)*)*"
                    + "(?::[A-Za-z0-9_][A-Za-z0-9_.-]{0,127})?"
                    + "(?:@[A-Za-z][A-Za-z0-9]*(?:[-_+.][A-Za-z][A-Za-z0-9]*)*:[0-9a-fA-F]{32,})?$");
    private static final int MAX_SHOWN = 200;

    /** OPERATOR_IMAGE when set (not blank), else the build's default image (the chart's). */
    public static SidecarImage fromEnvironment(Map<String, String> env, OperatorBuild build) {
        String fromEnv = env.get(ENV);
        if (fromEnv != null && !fromEnv.isBlank()) {
            return of(fromEnv, ENV);
        }
        return build.defaultImage()
                .map(image -> of(image, "the build's default (" + ENV + " is not set), the image the Helm chart runs"))
                .orElseGet(() -> new SidecarImage(null, "nowhere",
                        ENV + " is not set and this build names no default image (operator-build.properties)"));
    }

    /** An image given as is, such as a test's. */
    public static SidecarImage of(String image, String source) {
        if (image == null || image.isBlank()) {
            return new SidecarImage(null, source, ENV + " is not set");
        }
        if (!REFERENCE.matcher(image).matches()) {
            String shown = image.length() > MAX_SHOWN ? image.substring(0, MAX_SHOWN) + "..." : image;
            return new SidecarImage(image, source, ENV + " \"" + shown + "\" is not an image reference"
                    + " ([registry/]repository[:tag][@digest], repository in lower case)");
        }
        return new SidecarImage(image, source, null);
    }

    public boolean usable() {
        return problem == null;
    }

    /** One line for the operator's start: the image and where it came from, or why there is none. */
    public String describe() {
        return usable() ? image + " (from " + source + ")" : "none usable: " + problem + " (from " + source + ")";
    }
}

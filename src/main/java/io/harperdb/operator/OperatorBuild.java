package io.harperdb.operator;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.Optional;
import java.util.Properties;

/**
 * What Maven wrote into the jar at build time ({@value #RESOURCE}): the project version, and the image
 * the Helm chart runs by default (its repository and the chart's appVersion), which is the sidecar's
 * image when OPERATOR_IMAGE is not set (as with {@code make run}).
 *
 * @param version         the Maven project version
 * @param appVersion      the chart's appVersion: the default image tag
 * @param imageRepository the operator image's repository
 */
public record OperatorBuild(String version, String appVersion, String imageRepository) {
    public static final String RESOURCE = "/operator-build.properties";

    /** This build's, from the class path; fields are null when the resource is absent or was not filtered. */
    public static OperatorBuild current() {
        Properties properties = new Properties();
        try (InputStream in = OperatorBuild.class.getResourceAsStream(RESOURCE)) {
            if (in != null) {
                properties.load(in);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + RESOURCE, e);
        }
        return new OperatorBuild(value(properties, "version"), value(properties, "appVersion"), value(properties, "imageRepository"));
    }

    /** repository:appVersion, the image the chart would run, when the build says both. */
    public Optional<String> defaultImage() {
        return imageRepository == null || appVersion == null ? Optional.empty() : Optional.of(imageRepository + ":" + appVersion);
    }

    private static String value(Properties properties, String key) {
        String value = properties.getProperty(key);
        return value == null || value.isBlank() || value.contains("${") ? null : value.trim();
    }
}

package io.harperdb.replication.sidecar;

import io.harperdb.replication.Durations;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;

/**
 * The sidecar's settings, from environment variables:
 * <ul>
 *   <li>{@code HARPERDB_URL}: the local Operations API, default {@code http://127.0.0.1:9925}</li>
 *   <li>{@code HARPERDB_CREDENTIALS_DIR}: where the admin Secret is mounted, with files {@code username}
 *       and {@code password}; default {@code /etc/harperdb/admin}</li>
 *   <li>{@code SIDECAR_PORT}: where /healthz, /readyz and /metrics are served, default 9950</li>
 *   <li>{@code SIDECAR_ADDRESS}: the address they are served on, default every interface of the pod</li>
 *   <li>{@code POLL_INTERVAL}: how often HarperDB is asked, e.g. {@code 5s}, {@code 500ms}, {@code 1m},
 *       {@code 1m30s} or plain seconds ({@link Durations}); default 5s</li>
 * </ul>
 */
public record SidecarConfig(String harperdbUrl, Path credentialsDir, int port, Duration pollInterval, String bindAddress) {
    public static final String DEFAULT_URL = "http://127.0.0.1:9925";
    public static final Path DEFAULT_CREDENTIALS_DIR = Path.of("/etc/harperdb/admin");
    public static final int DEFAULT_PORT = 9950;
    public static final Duration DEFAULT_POLL_INTERVAL = Duration.ofSeconds(5);

    public SidecarConfig {
        if (okhttp3.HttpUrl.parse(harperdbUrl) == null) {
            throw new IllegalArgumentException("HARPERDB_URL must be an http(s) URL, was '" + harperdbUrl + "'");
        }
        if (port < 0 || port > 65535) {
            throw new IllegalArgumentException("SIDECAR_PORT must be 0-65535, was " + port);
        }
        if (pollInterval.isNegative() || pollInterval.isZero()) {
            throw new IllegalArgumentException("POLL_INTERVAL must be positive, was " + pollInterval);
        }
    }

    /** Served on every interface. */
    public SidecarConfig(String harperdbUrl, Path credentialsDir, int port, Duration pollInterval) {
        this(harperdbUrl, credentialsDir, port, pollInterval, null);
    }

    public static SidecarConfig fromEnv(Map<String, String> env) {
        return new SidecarConfig(
                valueOr(env, "HARPERDB_URL", DEFAULT_URL),
                Path.of(valueOr(env, "HARPERDB_CREDENTIALS_DIR", DEFAULT_CREDENTIALS_DIR.toString())),
                port(valueOr(env, "SIDECAR_PORT", Integer.toString(DEFAULT_PORT))),
                duration(valueOr(env, "POLL_INTERVAL", DEFAULT_POLL_INTERVAL.toSeconds() + "s")),
                valueOr(env, "SIDECAR_ADDRESS", null));
    }

    /** {@code 5s}, {@code 500ms}, {@code 1m}, {@code 1m30s}, or a bare number of seconds: see {@link Durations}. */
    static Duration duration(String text) {
        try {
            return Durations.parse(text);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("POLL_INTERVAL must look like 5s, 500ms, 1m or 1m30s, was '" + text + "'");
        }
    }

    private static int port(String text) {
        try {
            return Integer.parseInt(text.trim());
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("SIDECAR_PORT must be a number, was '" + text + "'");
        }
    }

    private static String valueOr(Map<String, String> env, String name, String fallback) {
        String value = env.get(name);
        return value == null || value.isBlank() ? fallback : value.trim();
    }
}

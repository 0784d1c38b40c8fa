package io.harperdb.replication;

import java.time.Duration;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The one duration parser of the operator ({@code spec.pollInterval}) and of the sidecar
 * ({@code POLL_INTERVAL}). It takes what either took before, so no setting that worked stops working:
 * <ul>
 *   <li>Kubernetes-style (Go) durations: one or more parts {@code <digits><unit>} with unit {@code ms},
 *       {@code s}, {@code m} or {@code h}, such as {@code 30s}, {@code 1m30s}, {@code 500ms}, {@code 2h};</li>
 *   <li>a bare number of seconds, such as {@code 7};</li>
 *   <li>blanks around the text and between a number and its unit, and units in any case ({@code " 3S "}).</li>
 * </ul>
 * Anything else is refused: signs, fractions, other units, an empty text. The CRD's pattern of
 * {@code spec.pollInterval} is stricter (Go durations only), so the API server refuses the other forms there.
 */
public final class Durations {
    private static final Pattern BARE_SECONDS = Pattern.compile("\\d+");
    private static final Pattern WHOLE = Pattern.compile("(\\d+\\s*(ms|s|m|h))+");
    private static final Pattern PART = Pattern.compile("(\\d+)\\s*(ms|s|m|h)");

    private Durations() {
    }

    /**
     * The duration {@code text} says.
     *
     * @throws IllegalArgumentException when it is none of the forms above, or too long for a {@link Duration}
     */
    public static Duration parse(String text) {
        String normalized = text == null ? "" : text.trim().toLowerCase(Locale.ROOT);
        try {
            if (BARE_SECONDS.matcher(normalized).matches()) {
                return Duration.ofSeconds(Long.parseLong(normalized));
            }
            if (!WHOLE.matcher(normalized).matches()) {
                throw refused(text);
            }
            Duration total = Duration.ZERO;
            Matcher m = PART.matcher(normalized);
            while (m.find()) {
                long n = Long.parseLong(m.group(1));
                total = total.plus(switch (m.group(2)) {
                    case "ms" -> Duration.ofMillis(n);
                    case "s" -> Duration.ofSeconds(n);
                    case "m" -> Duration.ofMinutes(n);
                    default -> Duration.ofHours(n);
                });
            }
            return total;
        } catch (NumberFormatException | ArithmeticException e) {
            throw new IllegalArgumentException("duration too long: '" + text + "'");
        }
    }

    private static IllegalArgumentException refused(String text) {
        return new IllegalArgumentException("not a duration like 30s, 1m30s, 500ms or 7 (seconds): '" + text + "'");
    }
}

package io.harperdb.operator.reconciler;

import java.time.Duration;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Parses the duration strings Kubernetes users write ("30s", "1m30s", "500ms", "2h"). */
public final class GoDuration {
    private static final Pattern WHOLE = Pattern.compile("^(\\d+(ms|s|m|h))+$");
    private static final Pattern PART = Pattern.compile("(\\d+)(ms|s|m|h)");

    private GoDuration() {
    }

    public static Duration parse(String text) {
        if (text == null || !WHOLE.matcher(text).matches()) {
            throw new IllegalArgumentException("not a duration like 30s, 1m30s or 500ms: " + text);
        }
        Duration total = Duration.ZERO;
        Matcher m = PART.matcher(text);
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
    }
}

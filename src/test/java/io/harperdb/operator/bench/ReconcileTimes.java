package io.harperdb.operator.bench;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.distribution.CountAtBucket;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The operator's own reconcile timers, as it exposes them: JOSDK's {@code operator.sdk.controllers.execution.reconcile}
 * (one per controller, {@code operator_sdk_controllers_execution_reconcile_seconds} on /metrics), which JOSDK registers
 * with a percentile histogram. A snapshot holds each controller's bucket counts (cumulative, as the Prometheus registry keeps them); the difference of two
 * snapshots is the histogram of the reconciles between them, and its quantiles are computed as Prometheus'
 * {@code histogram_quantile} does (linear within the bucket), so they are as coarse as the buckets (about 10% to 30% wide
 * between 1 ms and 30 s).
 */
final class ReconcileTimes {
    static final String TIMER = "operator.sdk.controllers.execution.reconcile";

    /** By controller: bucket upper bounds (ms) and the cumulative count at each. */
    private final Map<String, Histogram> byController;

    private record Histogram(double[] boundsMs, double[] cumulative, long count) {
    }

    private ReconcileTimes(Map<String, Histogram> byController) {
        this.byController = byController;
    }

    static ReconcileTimes snapshot(MeterRegistry registry) {
        Map<String, Histogram> histograms = new TreeMap<>();
        for (Timer timer : registry.find(TIMER).timers()) {
            String controller = timer.getId().getTag("controller");
            CountAtBucket[] buckets = timer.takeSnapshot().histogramCounts();
            double[] bounds = new double[buckets.length];
            double[] counts = new double[buckets.length];
            for (int i = 0; i < buckets.length; i++) {
                bounds[i] = buckets[i].bucket(TimeUnit.NANOSECONDS) / 1e6;
                counts[i] = buckets[i].count();
            }
            // one timer per controller here (no per-resource tags); should there be more, they have the same buckets
            Histogram previous = histograms.get(controller);
            if (previous != null && previous.boundsMs.length == bounds.length) {
                for (int i = 0; i < counts.length; i++) {
                    counts[i] += previous.cumulative[i];
                }
            }
            histograms.put(controller, new Histogram(bounds, counts, timer.count() + (previous == null ? 0 : previous.count)));
        }
        return new ReconcileTimes(histograms);
    }

    /** The same histograms as an operator's /metrics shows them (Prometheus text: the timer's _bucket and _count lines). */
    static ReconcileTimes parse(String prometheusText) {
        String name = TIMER.replace('.', '_') + "_seconds";
        Map<String, TreeMap<Double, Double>> buckets = new TreeMap<>();
        Map<String, Long> counts = new TreeMap<>();
        for (String line : prometheusText.split("\n")) {
            if (!line.startsWith(name + "_bucket{") && !line.startsWith(name + "_count{")) {
                continue;
            }
            String labels = line.substring(line.indexOf('{') + 1, line.lastIndexOf('}'));
            String controller = label(labels, "controller");
            double value = Double.parseDouble(line.substring(line.lastIndexOf('}') + 1).trim().split(" ")[0]);
            if (line.startsWith(name + "_count{")) {
                counts.merge(controller, (long) value, Long::sum);
            } else {
                String le = label(labels, "le");
                if (!"+Inf".equals(le)) {
                    buckets.computeIfAbsent(controller, k -> new TreeMap<>()).merge(Double.parseDouble(le) * 1000, value, Double::sum);
                }
            }
        }
        Map<String, Histogram> histograms = new TreeMap<>();
        buckets.forEach((controller, byBound) -> histograms.put(controller, new Histogram(
                byBound.keySet().stream().mapToDouble(Double::doubleValue).toArray(),
                byBound.values().stream().mapToDouble(Double::doubleValue).toArray(),
                counts.getOrDefault(controller, 0L))));
        return new ReconcileTimes(histograms);
    }

    private static String label(String labels, String key) {
        Matcher m = Pattern.compile("(?:^|,)" + key + "=\"([^\"]*)\"").matcher(labels);
        return m.find() ? m.group(1) : "";
    }

    /** Per controller, "p50 x ms, p99 y ms (n reconciles)" for the reconciles since {@code earlier}. */
    String since(ReconcileTimes earlier) {
        StringBuilder text = new StringBuilder();
        for (Map.Entry<String, Histogram> e : byController.entrySet()) {
            Histogram now = e.getValue();
            Histogram before = earlier.byController.get(e.getKey());
            double[] counts = now.cumulative.clone();
            long n = now.count;
            if (before != null && before.boundsMs.length == counts.length) {
                for (int i = 0; i < counts.length; i++) {
                    counts[i] -= before.cumulative[i];
                }
                n -= before.count;
            }
            if (text.length() > 0) {
                text.append("; ");
            }
            text.append(String.format("%s p50 %s, p99 %s (%d)", e.getKey(), format(quantile(0.5, now.boundsMs, counts, n)),
                    format(quantile(0.99, now.boundsMs, counts, n)), n));
        }
        return text.length() == 0 ? "no " + TIMER + " timer" : text.toString();
    }

    private static String format(double ms) {
        if (Double.isNaN(ms)) {
            return "-";
        }
        return Double.isInfinite(ms) ? "> last bucket" : String.format(ms < 10 ? "%.1f ms" : "%.0f ms", ms);
    }

    /**
     * The q-quantile of {@code n} observations with these cumulative counts at these upper bounds, as
     * histogram_quantile: linear between the bucket's lower and upper bound; infinite when it lies beyond the last bound.
     */
    static double quantile(double q, double[] boundsMs, double[] cumulative, long n) {
        if (n <= 0) {
            return Double.NaN;
        }
        double rank = q * n;
        double lower = 0;
        double below = 0;
        for (int i = 0; i < boundsMs.length; i++) {
            if (cumulative[i] >= rank) {
                double inBucket = cumulative[i] - below;
                return inBucket <= 0 ? boundsMs[i] : lower + (boundsMs[i] - lower) * (rank - below) / inBucket;
            }
            lower = boundsMs[i];
            below = cumulative[i];
        }
        return Double.POSITIVE_INFINITY;
    }
}

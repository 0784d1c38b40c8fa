package io.harperdb.replication.sidecar;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A strict parser of the Prometheus text exposition format (0.0.4), enough to check what the sidecar
 * serves: every line is a HELP or TYPE comment or a sample; a sample's family has had its TYPE line;
 * label values are unescaped; values are Go floats. Anything else fails the parse.
 */
final class PrometheusTextParser {
    private static final Pattern NAME = Pattern.compile("[a-zA-Z_:][a-zA-Z0-9_:]*");
    private static final Pattern HELP = Pattern.compile("# HELP (" + NAME + ") (.*)");
    private static final Pattern TYPE = Pattern.compile("# TYPE (" + NAME + ") (counter|gauge|histogram|summary|untyped)");
    private static final Pattern SAMPLE = Pattern.compile("(" + NAME + ")(?:\\{(.*)})? (\\S+)(?: (-?\\d+))?");
    private static final Pattern LABEL = Pattern.compile("([a-zA-Z_][a-zA-Z0-9_]*)=\"((?:[^\"\\\\]|\\\\[\\\\\"n])*)\"");

    record Sample(String name, Map<String, String> labels, double value) {
    }

    record Family(String name, String type, String help, List<Sample> samples) {
    }

    static final class Exposition {
        final Map<String, Family> families = new LinkedHashMap<>();

        List<Sample> samples(String name) {
            Family family = families.get(name);
            return family == null ? List.of() : family.samples();
        }

        Optional<Double> value(String name, Map<String, String> labels) {
            return samples(name).stream().filter(s -> s.labels().equals(labels)).map(Sample::value).findFirst();
        }
    }

    private PrometheusTextParser() {
    }

    static Exposition parse(String text) {
        if (!text.isEmpty() && !text.endsWith("\n")) {
            throw new IllegalArgumentException("the exposition must end with a line feed");
        }
        Exposition exposition = new Exposition();
        Map<String, String> helps = new LinkedHashMap<>();
        int lineNumber = 0;
        for (String line : text.split("\n", -1)) {
            lineNumber++;
            if (line.isEmpty()) {
                continue;
            }
            Matcher m;
            if ((m = HELP.matcher(line)).matches()) {
                if (helps.put(m.group(1), m.group(2)) != null) {
                    throw error(lineNumber, "second HELP for " + m.group(1));
                }
            } else if ((m = TYPE.matcher(line)).matches()) {
                if (exposition.families.containsKey(m.group(1))) {
                    throw error(lineNumber, "second TYPE for " + m.group(1));
                }
                exposition.families.put(m.group(1), new Family(m.group(1), m.group(2), helps.get(m.group(1)), new ArrayList<>()));
            } else if (line.startsWith("#")) {
                throw error(lineNumber, "a comment that is neither HELP nor TYPE: " + line);
            } else if ((m = SAMPLE.matcher(line)).matches()) {
                Family family = exposition.families.get(m.group(1));
                if (family == null) {
                    throw error(lineNumber, "sample of " + m.group(1) + " before its TYPE line");
                }
                Map<String, String> labels = labels(lineNumber, m.group(2));
                if (family.samples().stream().anyMatch(s -> s.labels().equals(labels))) {
                    throw error(lineNumber, "duplicate series " + line);
                }
                family.samples().add(new Sample(m.group(1), labels, value(lineNumber, m.group(3))));
            } else {
                throw error(lineNumber, "not a sample: " + line);
            }
        }
        return exposition;
    }

    private static Map<String, String> labels(int lineNumber, String text) {
        Map<String, String> labels = new LinkedHashMap<>();
        if (text == null || text.isEmpty()) {
            return labels;
        }
        Matcher m = LABEL.matcher(text);
        int at = 0;
        while (at < text.length()) {
            if (!m.find(at) || m.start() != at) {
                throw error(lineNumber, "malformed labels: " + text);
            }
            String value = m.group(2).replace("\\n", "\n").replace("\\\"", "\"").replace("\\\\", "\\");
            if (labels.put(m.group(1), value) != null) {
                throw error(lineNumber, "label " + m.group(1) + " twice");
            }
            at = m.end();
            if (at < text.length()) {
                if (text.charAt(at) != ',') {
                    throw error(lineNumber, "malformed labels: " + text);
                }
                at++;
            }
        }
        return labels;
    }

    private static double value(int lineNumber, String text) {
        return switch (text) {
            case "NaN" -> Double.NaN;
            case "+Inf" -> Double.POSITIVE_INFINITY;
            case "-Inf" -> Double.NEGATIVE_INFINITY;
            default -> {
                try {
                    yield Double.parseDouble(text);
                } catch (NumberFormatException e) {
                    throw error(lineNumber, "not a number: " + text);
                }
            }
        };
    }

    private static IllegalArgumentException error(int lineNumber, String message) {
        return new IllegalArgumentException("line " + lineNumber + ": " + message);
    }
}

package io.harperdb.operator.resources;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.node.TextNode;
import java.util.Arrays;
import java.util.Map;
import java.util.TreeMap;

/**
 * {@code instances.config} as the value of HarperDB's HARPER_SET_CONFIG: a JSON object of configuration
 * values that HarperDB 4.7 applies over its configuration file at every start, and whose keys, once removed
 * from it, get back the value they had before (HarperDB records what it set, in its root path). Dotted keys
 * become nested objects: {@code logging.level: debug} is {@code {"logging":{"level":"debug"}}}.
 */
public final class HarperConfig {
    /** HarperDB's variable for configuration it applies at every start. */
    public static final String SET_CONFIG_ENV = "HARPER_SET_CONFIG";
    // "4 cpus" is text, not 4 followed by ignored words.
    private static final ObjectMapper JSON = new ObjectMapper().enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS);

    private HarperConfig() {
    }

    /**
     * The JSON text of HARPER_SET_CONFIG; "{}" for no keys (so that keys set earlier get back their values).
     * Keys are sorted, so that the same map gives the same text (and pod template hash).
     *
     * @throws ConfigurationException when a key is also the start of another (a.b and a.b.c), or is empty
     */
    public static String json(Map<String, String> config) {
        ObjectNode root = JSON.createObjectNode();
        Map<String, String> sorted = new TreeMap<>(config == null ? Map.of() : config);
        for (Map.Entry<String, String> entry : sorted.entrySet()) {
            String key = entry.getKey();
            String[] path = key.split("\\.", -1);
            ObjectNode parent = root;
            for (int i = 0; i < path.length; i++) {
                if (path[i].isEmpty()) {
                    throw new ConfigurationException("instances.config key '" + key + "' has an empty part: write keys such as logging.level");
                }
                JsonNode existing = parent.get(path[i]);
                if (i == path.length - 1) {
                    if (existing != null) {
                        throw overlap(key);
                    }
                    parent.set(path[i], value(entry.getValue()));
                } else if (existing == null) {
                    parent = parent.putObject(path[i]);
                } else if (existing instanceof ObjectNode object && !sorted.containsKey(String.join(".", Arrays.copyOf(path, i + 1)))) {
                    parent = object;
                } else {
                    throw overlap(key);
                }
            }
        }
        try {
            return JSON.writeValueAsString(root);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    /**
     * A value as HarperDB reads one from an environment variable: JSON when it parses as JSON (numbers, true,
     * false, null, arrays, objects, and a quoted string to keep digits a string), else the text as written.
     */
    static JsonNode value(String text) {
        if (text == null) {
            return JSON.nullNode();
        }
        try {
            JsonNode parsed = JSON.readTree(text);
            return parsed == null || parsed.isMissingNode() ? TextNode.valueOf(text) : parsed;
        } catch (JsonProcessingException e) {
            return TextNode.valueOf(text);
        }
    }

    /** Whether the config sets {@code key} itself or an object that holds it. */
    static boolean sets(Map<String, String> config, String key) {
        if (config == null) {
            return false;
        }
        return config.keySet().stream().anyMatch(k -> k.equals(key) || key.startsWith(k + "."));
    }

    private static ConfigurationException overlap(String key) {
        return new ConfigurationException("instances.config key '" + key + "' overlaps another key (one is the start of the other,"
                + " such as logging and logging.level): keep one of them");
    }
}

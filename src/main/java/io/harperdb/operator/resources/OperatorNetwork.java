package io.harperdb.operator.resources;

import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * What a cluster's NetworkPolicy needs to know of the operator: where its pods run and their labels (they must reach
 * the Operations API), and whether clusters get a NetworkPolicy when their spec does not say. From the environment
 * the chart gives the Deployment.
 *
 * @param namespace    the operator pods' namespace ({@code OPERATOR_NAMESPACE}, else {@code LEADER_ELECTION_LEASE_NAMESPACE});
 *                     null when unknown (outside a cluster): then pods with these labels in any namespace are let in
 * @param podLabels    labels of the operator pods ({@code OPERATOR_POD_LABELS}, k=v,k=v; default {@value #DEFAULT_POD_LABELS})
 * @param defaultOn    whether a cluster whose spec.networkPolicy.enabled is absent gets one ({@code NETWORK_POLICY_DEFAULT})
 */
public record OperatorNetwork(String namespace, Map<String, String> podLabels, boolean defaultOn) {
    public static final String DEFAULT_POD_LABELS = "app.kubernetes.io/name=harperdb-operator";
    public static final OperatorNetwork DEFAULT = new OperatorNetwork(null, labels(DEFAULT_POD_LABELS), false);

    public OperatorNetwork {
        podLabels = Map.copyOf(podLabels);
        if (podLabels.isEmpty()) {
            throw new IllegalArgumentException("the operator's pod labels must not be empty: every pod would match");
        }
    }

    public static OperatorNetwork fromEnvironment(Map<String, String> env) {
        String namespace = blankToNull(env.get("OPERATOR_NAMESPACE"));
        if (namespace == null) {
            namespace = blankToNull(env.get("LEADER_ELECTION_LEASE_NAMESPACE"));
        }
        String labels = blankToNull(env.get("OPERATOR_POD_LABELS"));
        return new OperatorNetwork(namespace, labels(labels == null ? DEFAULT_POD_LABELS : labels),
                Boolean.parseBoolean(env.getOrDefault("NETWORK_POLICY_DEFAULT", "false").trim()));
    }

    /** "k=v,k2=v2" as a map; entries without "=" are refused. */
    static Map<String, String> labels(String text) {
        Map<String, String> labels = new LinkedHashMap<>();
        for (String entry : Arrays.stream(text.split(",")).map(String::trim).filter(s -> !s.isEmpty()).toList()) {
            int equals = entry.indexOf('=');
            if (equals <= 0) {
                throw new IllegalArgumentException("OPERATOR_POD_LABELS: '" + entry + "' is not key=value");
            }
            labels.put(entry.substring(0, equals).trim(), entry.substring(equals + 1).trim());
        }
        return labels;
    }

    private static String blankToNull(String value) {
        return value == null || value.isBlank() ? null : value.trim();
    }
}

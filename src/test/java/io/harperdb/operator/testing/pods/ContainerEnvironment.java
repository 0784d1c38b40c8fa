package io.harperdb.operator.testing.pods;

import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.EnvVarSource;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.BiFunction;
import java.util.function.Function;

/**
 * A container's environment as the kubelet makes it from the pod spec: plain values, values from the
 * pod's fields, Secrets and ConfigMaps, then {@code $(VAR)} references expanded from the variables
 * defined earlier in the list ({@code $$} escapes a {@code $}; a reference to an unknown or later
 * variable stays as written), as Kubernetes documents for {@code env[].value}.
 */
public final class ContainerEnvironment {

    /** Where values come from: the pod's fields ({@code metadata.name}, ...) and the named key of a Secret or ConfigMap. */
    public record Sources(Function<String, String> podField,
                          BiFunction<String, String, Optional<String>> secretKey,
                          BiFunction<String, String, Optional<String>> configMapKey) {
    }

    private ContainerEnvironment() {
    }

    /**
     * @throws IllegalStateException as the kubelet refuses to start a container ("CreateContainerConfigError")
     *                               when a referenced Secret or ConfigMap key is missing and not optional
     */
    public static Map<String, String> resolve(List<EnvVar> env, Sources sources) {
        Map<String, String> resolved = new LinkedHashMap<>();
        for (EnvVar var : env == null ? List.<EnvVar>of() : env) {
            String value = var.getValueFrom() == null ? expand(var.getValue() == null ? "" : var.getValue(), resolved)
                    : from(var.getName(), var.getValueFrom(), sources);
            if (value != null) {
                resolved.put(var.getName(), value);
            }
        }
        return resolved;
    }

    private static String from(String name, EnvVarSource source, Sources sources) {
        if (source.getFieldRef() != null) {
            return sources.podField().apply(source.getFieldRef().getFieldPath());
        }
        if (source.getSecretKeyRef() != null) {
            var ref = source.getSecretKeyRef();
            return sources.secretKey().apply(ref.getName(), ref.getKey())
                    .or(() -> optional(ref.getOptional(), "Secret", ref.getName(), ref.getKey(), name))
                    .orElse(null);
        }
        if (source.getConfigMapKeyRef() != null) {
            var ref = source.getConfigMapKeyRef();
            return sources.configMapKey().apply(ref.getName(), ref.getKey())
                    .or(() -> optional(ref.getOptional(), "ConfigMap", ref.getName(), ref.getKey(), name))
                    .orElse(null);
        }
        throw new IllegalStateException("env " + name + ": valueFrom " + source + " is not supported by the test kubelet");
    }

    private static Optional<String> optional(Boolean optional, String kind, String object, String key, String var) {
        if (Boolean.TRUE.equals(optional)) {
            return Optional.empty();
        }
        throw new IllegalStateException("CreateContainerConfigError: env " + var + " needs key " + key + " of " + kind + " " + object);
    }

    /** Expands {@code $(NAME)} from {@code defined}; {@code $$} is a literal {@code $}. */
    static String expand(String value, Map<String, String> defined) {
        StringBuilder out = new StringBuilder();
        int i = 0;
        while (i < value.length()) {
            char c = value.charAt(i);
            if (c == '$' && i + 1 < value.length() && value.charAt(i + 1) == '$') {
                out.append('$');
                i += 2;
            } else if (c == '$' && i + 1 < value.length() && value.charAt(i + 1) == '(') {
                int close = value.indexOf(')', i + 2);
                String name = close < 0 ? null : value.substring(i + 2, close);
                if (name != null && defined.containsKey(name)) {
                    out.append(defined.get(name));
                    i = close + 1;
                } else {
                    out.append(c);
                    i++;
                }
            } else {
                out.append(c);
                i++;
            }
        }
        return out.toString();
    }
}

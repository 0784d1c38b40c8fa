package io.harperdb.operator.helm;

import com.marcnuri.helm.Helm;
import com.marcnuri.helm.LintResult;
import com.marcnuri.helm.TemplateCommand;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * The chart helm/harperdb-operator through helm-java (Helm as a library: no helm binary, no network):
 * lint, render, and the rendered documents as typed Fabric8 objects.
 */
final class OperatorChart {
    static final Path DIR = Path.of("helm", "harperdb-operator");
    static final String RELEASE = "harperdb-operator";
    static final String NAMESPACE = "harperdb-operator";
    /** helm-java renders for Kubernetes 1.20 unless told, below the chart's kubeVersion (>= 1.29). */
    static final String KUBE_VERSION = "1.31.0";

    private static final KubernetesSerialization SERIALIZATION = new KubernetesSerialization();
    private static final Pattern DOCUMENT_SEPARATOR = Pattern.compile("(?m)^---\\s*$");

    private OperatorChart() {
    }

    static LintResult lintStrict() {
        return new Helm(DIR).lint().strict().call();
    }

    /** The templates rendered with these values ({@code --set key=value}), in the chart's namespace; no CRDs. */
    static String template(Map<String, String> values) {
        TemplateCommand template = new Helm(DIR).template()
                .withName(RELEASE)
                .withNamespace(NAMESPACE)
                .withKubeVersion(KUBE_VERSION)
                .skipCrds();
        values.forEach(template::set);
        return template.call();
    }

    static List<HasMetadata> render(Map<String, String> values) {
        return documents(template(values));
    }

    /**
     * Every document of a multi-document YAML as its typed Fabric8 class; fails on a kind that no Fabric8
     * model knows (it would be a GenericKubernetesResource) and on a field that the typed class does not
     * declare (a typo such as readinesProbe, which the API server would drop or refuse).
     */
    static List<HasMetadata> documents(String yaml) {
        List<HasMetadata> documents = new ArrayList<>();
        for (String document : DOCUMENT_SEPARATOR.split(yaml)) {
            if (document.lines().allMatch(l -> l.isBlank() || l.stripLeading().startsWith("#"))) {
                continue;
            }
            Object parsed = SERIALIZATION.unmarshal(document);
            if (!(parsed instanceof HasMetadata resource) || parsed instanceof GenericKubernetesResource) {
                throw new AssertionError("not a typed Kubernetes resource (" + parsed.getClass().getSimpleName() + "):\n" + document);
            }
            List<String> unknown = new ArrayList<>();
            unknownFields(resource, resource.getKind(), unknown);
            if (!unknown.isEmpty()) {
                throw new AssertionError(resource.getKind() + " " + resource.getMetadata().getName()
                        + " has fields its type does not declare: " + unknown);
            }
            documents.add(resource);
        }
        return documents;
    }

    @SuppressWarnings("unchecked")
    static <T extends HasMetadata> List<T> ofKind(List<HasMetadata> documents, Class<T> kind) {
        return (List<T>) documents.stream().filter(kind::isInstance).toList();
    }

    static <T extends HasMetadata> T single(List<HasMetadata> documents, Class<T> kind) {
        List<T> found = ofKind(documents, kind);
        if (found.size() != 1) {
            throw new AssertionError("expected one " + kind.getSimpleName() + ", found " + found.size());
        }
        return found.get(0);
    }

    /** Fabric8 model classes keep undeclared fields in additionalProperties: find any, with their path. */
    private static void unknownFields(Object value, String path, List<String> found) {
        if (value == null || value instanceof String || value instanceof Number || value instanceof Boolean || value instanceof Enum<?>) {
            return;
        }
        if (value instanceof Collection<?> items) {
            int i = 0;
            for (Object item : items) {
                unknownFields(item, path + "[" + i++ + "]", found);
            }
            return;
        }
        if (value instanceof Map<?, ?> map) {
            map.forEach((k, v) -> unknownFields(v, path + "." + k, found));
            return;
        }
        if (!value.getClass().getName().startsWith("io.fabric8.")) {
            return;
        }
        for (Method getter : value.getClass().getMethods()) {
            if (getter.getParameterCount() != 0 || Modifier.isStatic(getter.getModifiers())
                    || !getter.getName().startsWith("get") || getter.getName().equals("getClass")) {
                continue;
            }
            Object child;
            try {
                child = getter.invoke(value);
            } catch (ReflectiveOperationException e) {
                continue;
            }
            String field = Character.toLowerCase(getter.getName().charAt(3)) + getter.getName().substring(4);
            if (field.equals("additionalProperties") && child instanceof Map<?, ?> extra) {
                extra.keySet().forEach(k -> found.add(path + "." + k));
            } else {
                unknownFields(child, path + "." + field, found);
            }
        }
    }
}

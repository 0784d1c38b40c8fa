package io.harperdb.operator.resources;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.fabric8.kubernetes.api.model.ObjectMeta;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodTemplateSpec;
import io.fabric8.kubernetes.api.model.apps.StatefulSet;
import io.fabric8.kubernetes.client.utils.Serialization;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/**
 * A stable hash of a desired pod template, kept in the template's annotation {@link #ANNOTATION} and so
 * in every pod made from it. The StatefulSet rolls nothing by itself (updateStrategy OnDelete): the
 * reconciler replaces one pod at a time while the pod's hash differs from the StatefulSet's.
 *
 * <p>Computed from the template as the operator builds it, not as the API server returns it (which adds
 * defaults), so it changes only when the operator's intent changes.
 */
public final class TemplateHash {
    public static final String ANNOTATION = "harperdb.io/template-hash";
    static final int LENGTH = 16;
    /** fabric8's own mapper (its serializers for Quantity, IntOrString...), writing every map sorted by key. */
    private static final ObjectMapper CANONICAL = Serialization.jsonMapper().copy()
            .configure(SerializationFeature.ORDER_MAP_ENTRIES_BY_KEYS, true);

    private TemplateHash() {
    }

    /**
     * The hash of a template, leaving out any hash annotation it already carries. The template is read as
     * plain maps and written with sorted keys: the same template always gives the same text.
     */
    public static String of(PodTemplateSpec template) {
        JsonNode tree = CANONICAL.valueToTree(template);
        if (tree.path("metadata").path("annotations") instanceof ObjectNode annotations) {
            annotations.remove(ANNOTATION);
        }
        try {
            byte[] canonical = CANONICAL.writeValueAsString(CANONICAL.treeToValue(tree, Object.class))
                    .getBytes(StandardCharsets.UTF_8);
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(canonical)).substring(0, LENGTH);
        } catch (JsonProcessingException | NoSuchAlgorithmException e) {
            throw new IllegalStateException("cannot hash a pod template", e);
        }
    }

    /** The hash that a StatefulSet's template carries: what its pods should have. Null when it has none. */
    public static String desired(StatefulSet statefulSet) {
        return statefulSet.getSpec() == null || statefulSet.getSpec().getTemplate() == null
                ? null : annotation(statefulSet.getSpec().getTemplate().getMetadata());
    }

    /** The hash that a pod was made with. Null when it has none (made by another version of the template). */
    public static String current(Pod pod) {
        return annotation(pod.getMetadata());
    }

    private static String annotation(ObjectMeta metadata) {
        return metadata == null || metadata.getAnnotations() == null ? null : metadata.getAnnotations().get(ANNOTATION);
    }
}

package io.harperdb.operator.reconciler;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.fabric8.kubernetes.client.utils.Serialization;
import java.util.Objects;

/** Compares statuses by their JSON, the form the API server stores, so that only real changes are written. */
final class StatusComparison {
    static final ObjectMapper MAPPER = Serialization.jsonMapper();

    private StatusComparison() {
    }

    static boolean same(Object previous, Object next) {
        if (previous == null || next == null) {
            return Objects.equals(previous, next);
        }
        return MAPPER.valueToTree(previous).equals(MAPPER.valueToTree(next));
    }
}

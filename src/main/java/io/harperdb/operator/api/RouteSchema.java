package io.harperdb.operator.api;

import io.fabric8.crdv2.generator.v1.SchemaCustomizer;
import io.fabric8.kubernetes.api.model.apiextensions.v1.JSONSchemaProps;
import io.fabric8.kubernetes.api.model.apiextensions.v1.JSONSchemaPropsBuilder;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Adds the checks of both forms of a {@link Route} to the untyped items of
 * {@code replication.routes}, at CRD generation time.
 * <p>
 * A Kubernetes schema has no "string or object" type; an untyped node
 * ({@code x-kubernetes-preserve-unknown-fields}) accepts both. CEL rules cannot check it: the API
 * server refuses rules on untyped data ("Failed to convert to declType"). Plain OpenAPI keywords
 * can, since each applies to one JSON type only: {@code pattern} to strings, {@code required} and
 * {@code properties} to objects. Numbers and booleans pass them; {@link Route#isValid()} catches those.
 */
public final class RouteSchema implements SchemaCustomizer.Customizer {

    @Override
    public JSONSchemaProps apply(JSONSchemaProps replication, String input, KubernetesSerialization serialization) {
        JSONSchemaProps route = replication.getProperties().get("routes").getItems().getSchema();
        route.setDescription("\"host\", \"host:port\", \"wss://host:port\" or {hostname, port}");
        route.setPattern(ApiPatterns.ROUTE);
        route.setMaxLength(300L);
        route.setRequired(List.of("hostname"));
        // ordered, so that every build writes the same CRD
        Map<String, JSONSchemaProps> fields = new LinkedHashMap<>();
        fields.put("hostname", new JSONSchemaPropsBuilder().withType("string").withMaxLength(253L)
                .withPattern(ApiPatterns.HOSTNAME).build());
        fields.put("port", new JSONSchemaPropsBuilder().withType("integer").withMinimum(1.0).withMaximum(65535.0).build());
        route.setProperties(fields);
        return replication;
    }
}

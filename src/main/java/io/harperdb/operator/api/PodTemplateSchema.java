package io.harperdb.operator.api;

import io.fabric8.crdv2.generator.v1.SchemaCustomizer;
import io.fabric8.kubernetes.api.model.apiextensions.v1.JSONSchemaProps;
import io.fabric8.kubernetes.api.model.apiextensions.v1.JSONSchemaPropsBuilder;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;

import java.util.List;
import java.util.Map;

/**
 * Keeps {@code podTemplate.volumes} small in the CRD: the full schema of a Kubernetes Volume (every volume
 * source, an ephemeral volume's whole claim template) would be most of the CRD. Each item is an object with
 * a name and anything else kept as written; the API server checks the rest when the operator writes the
 * StatefulSet, as it checks every pod spec.
 */
public final class PodTemplateSchema implements SchemaCustomizer.Customizer {

    @Override
    public JSONSchemaProps apply(JSONSchemaProps podTemplate, String input, KubernetesSerialization serialization) {
        JSONSchemaProps volumes = podTemplate.getProperties().get("volumes");
        String description = volumes.getItems().getSchema().getDescription();
        volumes.getItems().setSchema(new JSONSchemaPropsBuilder()
                .withType("object")
                .withDescription(description)
                .withRequired(List.of("name"))
                .withProperties(Map.of("name", new JSONSchemaPropsBuilder().withType("string").withMaxLength(63L).build()))
                .withXKubernetesPreserveUnknownFields(true)
                .build());
        return podTemplate;
    }
}

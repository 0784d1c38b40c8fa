package io.harperdb.operator.api;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** CrdValidator behaves like the API server where our CRDs do not show it. */
class CrdValidatorTest {
    @TempDir
    Path folder;

    @Test
    void refusesARuleNamingAnUndeclaredFieldAsTheApiServerRefusesTheCrd() throws IOException {
        Path crd = crd("""
                spec:
                  type: object
                  properties:
                    name: {type: string, maxLength: 10}
                  x-kubernetes-validations:
                    - rule: has(self.nmae)
                """);
        assertThatThrownBy(() -> CrdValidator.forCrd(crd)).hasMessageContaining("undefined field 'nmae'");
    }

    @Test
    void refusesARuleOnAnUntypedValue() throws IOException {
        Path crd = crd("""
                spec:
                  type: object
                  properties:
                    anything:
                      x-kubernetes-preserve-unknown-fields: true
                      x-kubernetes-validations:
                        - rule: self != ''
                """);
        assertThatThrownBy(() -> CrdValidator.forCrd(crd)).hasMessageContaining("Failed to convert to declType");
    }

    @Test
    void refusesATransitionRuleWhereNoOldValueCanBeFound() throws IOException {
        Path crd = crd("""
                spec:
                  type: object
                  properties:
                    names:
                      type: array
                      maxItems: 10
                      items:
                        type: string
                        maxLength: 10
                        x-kubernetes-validations:
                          - rule: self == oldSelf
                """);
        assertThatThrownBy(() -> CrdValidator.forCrd(crd)).hasMessageContaining("uncorrelatable");
    }

    @Test
    void evaluatesRulesWithTheirMessageExpressionFieldPathAndTheResourceName() throws IOException {
        CrdValidator validator = CrdValidator.forCrd(crd("""
                spec:
                  type: object
                  properties:
                    replicas: {type: integer}
                    max: {type: integer}
                  x-kubernetes-validations:
                    - rule: self.replicas <= self.max
                      messageExpression: "'replicas ' + string(self.replicas) + ' above ' + string(self.max)"
                      fieldPath: .replicas
                """, """
                x-kubernetes-validations:
                  - rule: self.metadata.name.startsWith('w-')
                    message: names start with w-
                """));
        assertThat(validator.validate(widget("w-1", "{replicas: 2, max: 3}"))).isEmpty();
        assertThat(validator.validate(widget("x-1", "{replicas: 4, max: 3}")))
                .containsExactly("<root>: names start with w-", "spec.replicas: replicas 4 above 3");
    }

    @Test
    void checksMapListKeysAndCorrelatesTheirItemsForTransitionRules() throws IOException {
        CrdValidator validator = CrdValidator.forCrd(crd("""
                spec:
                  type: object
                  properties:
                    ports:
                      type: array
                      maxItems: 10
                      x-kubernetes-list-type: map
                      x-kubernetes-list-map-keys: [name]
                      items:
                        type: object
                        required: [name]
                        properties:
                          name: {type: string, maxLength: 10}
                          number:
                            type: integer
                            x-kubernetes-validations:
                              - rule: self == oldSelf
                                message: number is immutable
                """));
        String old = "{ports: [{name: a, number: 1}, {name: b, number: 2}]}";
        assertThat(validator.validate(widget("w", "{ports: [{name: a}, {name: a}]}")))
                .containsExactly("spec.ports[1]: Duplicate value: {\"name\":\"a\"}");
        assertThat(validator.validateUpdate(widget("w", old), widget("w", "{ports: [{name: b, number: 2}, {name: c, number: 5}]}")))
                .isEmpty();
        assertThat(validator.validateUpdate(widget("w", old), widget("w", "{ports: [{name: b, number: 3}]}")))
                .containsExactly("spec.ports[0].number: number is immutable");
    }

    @Test
    void keepsUnknownFieldsWherePreservedAndDropsNullsBeforeDefaulting() throws IOException {
        CrdValidator validator = CrdValidator.forCrd(crd("""
                spec:
                  type: object
                  properties:
                    free: {type: object, x-kubernetes-preserve-unknown-fields: true}
                    size: {type: string, default: small}
                """));
        String spec = "{free: {anything: [1, 2]}, size: null}";
        assertThat(validator.validate(widget("w", spec))).isEmpty();
        assertThat(validator.withDefaults(widget("w", spec)).path("spec").toString())
                .isEqualTo("{\"free\":{\"anything\":[1,2]},\"size\":\"small\"}");
    }

    private static String widget(String name, String spec) {
        return "{apiVersion: example.com/v1, kind: Widget, metadata: {name: " + name + "}, spec: " + spec + "}";
    }

    private Path crd(String properties) throws IOException {
        return crd(properties, "");
    }

    /** A CRD of kind Widget: the given YAML is its openAPIV3Schema's properties, then its root's own keywords. */
    private Path crd(String properties, String rootKeywords) throws IOException {
        Path file = folder.resolve("widgets.yml");
        Files.writeString(file, """
                apiVersion: apiextensions.k8s.io/v1
                kind: CustomResourceDefinition
                metadata: {name: widgets.example.com}
                spec:
                  group: example.com
                  names: {kind: Widget, plural: widgets}
                  scope: Namespaced
                  versions:
                    - name: v1
                      served: true
                      storage: true
                      schema:
                        openAPIV3Schema:
                          type: object
                          properties:
                """ + properties.indent(12) + rootKeywords.indent(10));
        return file;
    }
}

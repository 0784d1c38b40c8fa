package io.harperdb.operator.api;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import com.google.common.collect.ImmutableCollection;
import com.google.common.collect.ImmutableList;
import com.google.common.collect.ImmutableSet;
import com.networknt.schema.Error;
import com.networknt.schema.Schema;
import com.networknt.schema.SchemaRegistry;
import com.networknt.schema.dialect.Dialect;
import com.networknt.schema.dialect.Dialects;
import com.networknt.schema.keyword.NonValidationKeyword;
import com.networknt.schema.path.NodePath;
import dev.cel.bundle.Cel;
import dev.cel.bundle.CelFactory;
import dev.cel.common.CelOptions;
import dev.cel.common.CelValidationResult;
import dev.cel.common.types.CelType;
import dev.cel.common.types.CelTypeProvider;
import dev.cel.common.types.ListType;
import dev.cel.common.types.MapType;
import dev.cel.common.types.SimpleType;
import dev.cel.common.types.StructType;
import dev.cel.common.values.NullValue;
import dev.cel.extensions.CelExtensions;
import dev.cel.parser.CelStandardMacro;
import dev.cel.runtime.CelEvaluationException;
import dev.cel.runtime.CelRuntime;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.IdentityHashMap;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * Checks custom resources against CRDs the way the API server does on {@code kubectl apply}, so
 * that tests can refuse what a real cluster refuses (the fabric8 mock server checks nothing):
 * <ol>
 * <li>strict field validation (kubectl's default): a field the schema does not declare is an
 * error, and is pruned;</li>
 * <li>nulls in non-nullable fields are dropped, then the schema's defaults are applied;</li>
 * <li>the OpenAPI v3 schema (types, required, patterns, bounds, enums), by networknt's
 * json-schema-validator in its OpenAPI 3.0 dialect;</li>
 * <li>{@code x-kubernetes-list-type} set and map: no duplicates;</li>
 * <li>every {@code x-kubernetes-validations} CEL rule, at its place in the object tree:
 * {@code self} is the value there, {@code oldSelf} the old value for transition rules on update.
 * Rules are type-checked against types derived from the schema as the API server derives them, so
 * a rule naming an undeclared field, placed on an untyped value, or using oldSelf where no old
 * value can be found (under a list that is not a map list) fails when the CRD is loaded, as the
 * API server would refuse the CRD. As on the API server, the rules are not evaluated when a value
 * has the wrong type or is not in its enum.</li>
 * </ol>
 * Not emulated: CEL cost budgets, metadata validation, {@code optionalOldSelf}, ratcheting, and
 * the Kubernetes CEL libraries beyond the standard one, the strings extension and the comparisons of
 * Kubernetes' quantity library ({@link QuantityLibrary}); strings with a
 * format (date-time, duration, byte) reach CEL as strings.
 * <p>
 * A resource is given as a Jackson {@code JsonNode}, a {@code Map}, a YAML or JSON {@code String},
 * a {@code Path} to a one-document YAML file, or a Java resource such as a {@code HarperCluster}.
 * Violations read {@code path: message}, such as {@code spec.url: url must start with wss:// or
 * ws://} or {@code spec.clusterRef: Required value}; rules at the root have path {@code <root>}.
 * <pre>{@code
 * CrdValidator crds = CrdValidator.forCrds(Path.of("crds"));
 * for (JsonNode resource : CrdValidator.readYaml(Path.of("examples/demo.yaml")))
 *     if (crds.handles(resource)) assertThat(crds.validate(resource)).isEmpty();
 * }</pre>
 */
public final class CrdValidator {

    private static final ObjectMapper YAML = new YAMLMapper();
    private static final KubernetesSerialization SERIALIZATION = new KubernetesSerialization();
    private static final Pattern OLD_SELF = Pattern.compile("\\boldSelf\\b");
    private static final String ROOT = "<root>";
    private static final Set<String> BLOCKING_KEYWORDS = Set.of("type", "enum");
    private static final List<String> KUBERNETES_KEYWORDS = List.of("x-kubernetes-validations",
            "x-kubernetes-preserve-unknown-fields", "x-kubernetes-int-or-string", "x-kubernetes-embedded-resource",
            "x-kubernetes-list-type", "x-kubernetes-list-map-keys", "x-kubernetes-map-type");

    private final Map<String, Kind> kinds;

    private CrdValidator(Map<String, Kind> kinds) {
        this.kinds = kinds;
    }

    /** A validator for every served version of the CRD in this YAML file. */
    public static CrdValidator forCrd(Path crdYaml) {
        return forCrds(crdYaml);
    }

    /** A validator for every CRD in these YAML files, or in the *.yml and *.yaml files of these folders. */
    public static CrdValidator forCrds(Path... filesOrFolders) {
        Map<String, Kind> kinds = new LinkedHashMap<>();
        for (Path path : filesOrFolders) {
            for (Path file : yamlFiles(path)) {
                for (JsonNode crd : readYaml(file)) {
                    if (!"CustomResourceDefinition".equals(crd.path("kind").asText())) {
                        continue;
                    }
                    String group = crd.path("spec").path("group").asText();
                    String kind = crd.path("spec").path("names").path("kind").asText();
                    for (JsonNode version : crd.path("spec").path("versions")) {
                        if (!version.path("served").asBoolean(true)) {
                            continue;
                        }
                        String apiVersion = group + "/" + version.path("name").asText();
                        JsonNode schema = version.path("schema").path("openAPIV3Schema");
                        if (!schema.isObject()) {
                            throw new IllegalArgumentException(file + ": " + kind + " " + apiVersion + " has no openAPIV3Schema");
                        }
                        kinds.put(apiVersion + "/" + kind, new Kind(kind + " " + apiVersion, schema));
                    }
                }
            }
        }
        if (kinds.isEmpty()) {
            throw new IllegalArgumentException("no CustomResourceDefinition in " + List.of(filesOrFolders));
        }
        return new CrdValidator(kinds);
    }

    /** Every document of a YAML file (one or more, separated by {@code ---}); empty documents are skipped. */
    public static List<JsonNode> readYaml(Path file) {
        try (var parser = YAML.createParser(file.toFile())) {
            List<JsonNode> documents = new ArrayList<>();
            YAML.readValues(parser, JsonNode.class).forEachRemaining(d -> {
                if (d != null && !d.isNull() && !d.isMissingNode()) {
                    documents.add(d);
                }
            });
            return documents;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + file, e);
        }
    }

    /** Whether one of the CRDs defines the resource's apiVersion and kind. */
    public boolean handles(Object resource) {
        return kinds.containsKey(key(toObject(resource)));
    }

    /** What the API server would refuse in this resource on creation; empty when it would accept it. */
    public List<String> validate(Object resource) {
        return check(null, resource);
    }

    /** What the API server would refuse when {@code oldResource} is replaced by {@code newResource}. */
    public List<String> validateUpdate(Object oldResource, Object newResource) {
        return check(Objects.requireNonNull(oldResource, "oldResource"), newResource);
    }

    /** The resource as the API server would store it: unknown fields pruned, defaults applied. */
    public JsonNode withDefaults(Object resource) {
        ObjectNode object = toObject(resource);
        kindOf(object).prepare(object, new ArrayList<>());
        return object;
    }

    private List<String> check(Object oldResource, Object resource) {
        ObjectNode object = toObject(resource);
        Kind kind = kindOf(object);
        List<String> violations = new ArrayList<>();
        kind.prepare(object, violations);
        ObjectNode old = null;
        if (oldResource != null) {
            old = toObject(oldResource);
            if (kindOf(old) != kind) {
                throw new IllegalArgumentException("old and new resource differ in apiVersion or kind");
            }
            kind.prepare(old, new ArrayList<>());
        }
        boolean blocked = false;
        for (Error error : kind.openApi.validate(object)) {
            violations.add(describe(error));
            blocked |= BLOCKING_KEYWORDS.contains(error.getKeyword());
        }
        kind.checkListTypes(object, kind.schema, "", violations);
        if (blocked) {
            // the API server's words for the same case
            violations.add(ROOT + ": some validation rules were not checked because the object was invalid; "
                    + "correct the existing errors to complete validation");
        } else {
            kind.evaluateRules(object, old, kind.schema, "", violations);
        }
        return violations;
    }

    private Kind kindOf(ObjectNode object) {
        Kind kind = kinds.get(key(object));
        if (kind == null) {
            throw new IllegalArgumentException("no CRD for apiVersion " + object.path("apiVersion").asText()
                    + " kind " + object.path("kind").asText() + "; known: " + kinds.keySet());
        }
        return kind;
    }

    private static String key(JsonNode object) {
        return object.path("apiVersion").asText() + "/" + object.path("kind").asText();
    }

    private static ObjectNode toObject(Object resource) {
        JsonNode node;
        if (resource instanceof JsonNode json) {
            node = json.deepCopy();
        } else if (resource instanceof Path file) {
            List<JsonNode> documents = readYaml(file);
            if (documents.size() != 1) {
                throw new IllegalArgumentException(file + " holds " + documents.size() + " documents, not one");
            }
            node = documents.get(0);
        } else if (resource instanceof String yaml) {
            try {
                node = YAML.readTree(yaml);
            } catch (IOException e) {
                throw new IllegalArgumentException("not YAML: " + yaml, e);
            }
        } else {
            // Maps and Java resources alike; fabric8's serialization knows its own model types
            node = SERIALIZATION.convertValue(resource, JsonNode.class);
        }
        if (!(node instanceof ObjectNode object)) {
            throw new IllegalArgumentException("a resource is a YAML/JSON object, not " + node);
        }
        return object;
    }

    private static List<Path> yamlFiles(Path path) {
        if (!Files.isDirectory(path)) {
            return List.of(path);
        }
        try (Stream<Path> files = Files.list(path)) {
            return files.filter(f -> f.toString().endsWith(".yml") || f.toString().endsWith(".yaml")).sorted().toList();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static String describe(Error error) {
        String path = path(error.getInstanceLocation());
        if ("required".equals(error.getKeyword())) {
            return join(path, error.getProperty()) + ": Required value";
        }
        return label(path) + ": " + error.getMessage();
    }

    /** networknt's instance location (a JSON pointer) as a Kubernetes field path: spec.subscriptions[1].table */
    private static String path(NodePath location) {
        StringBuilder path = new StringBuilder();
        for (int i = 0; i < location.getNameCount(); i++) {
            Object element = location.getElement(i);
            if (element instanceof Integer index) {
                path.append('[').append(index).append(']');
            } else {
                path.append(path.isEmpty() ? "" : ".").append(element);
            }
        }
        return path.toString();
    }

    private static String join(String path, String field) {
        return path.isEmpty() ? field : path + "." + field;
    }

    private static String label(String path) {
        return path.isEmpty() ? ROOT : path;
    }

    private static String type(JsonNode schema) {
        return schema.path("type").asText("");
    }

    private static boolean flag(JsonNode schema, String keyword) {
        return schema.path(keyword).asBoolean(false);
    }

    /** One served version of one CRD. */
    private static final class Kind {
        private final String name;
        private final JsonNode schema;
        private final Schema openApi;
        private final Map<JsonNode, Optional<CelType>> declTypes = new IdentityHashMap<>();
        private final Map<String, StructType> structs = new LinkedHashMap<>();
        private final Map<JsonNode, List<Rule>> rules = new IdentityHashMap<>();

        Kind(String name, JsonNode schema) {
            this.name = name;
            this.schema = schema;
            Dialect.Builder dialect = Dialect.builder(Dialects.getOpenApi30());
            // the Kubernetes keywords are checked here, not by the JSON-schema validator
            KUBERNETES_KEYWORDS.forEach(k -> dialect.keyword(new NonValidationKeyword(k)));
            this.openApi = SchemaRegistry.withDefaultDialect(dialect.build()).getSchema(schema);
            declType(schema, "", true);
            compileRules(schema, "", true);
        }

        // --- CEL types, derived from the schema like the API server's SchemaDeclType ---

        /** The CEL type of the values of this schema, or null where CEL cannot see them (untyped). */
        private CelType declType(JsonNode node, String path, boolean resourceRoot) {
            Optional<CelType> known = declTypes.get(node);
            if (known != null) {
                return known.orElse(null);
            }
            CelType result = null;
            if (flag(node, "x-kubernetes-int-or-string")) {
                result = SimpleType.DYN;
            } else {
                switch (type(node)) {
                    case "object" -> result = objectType(node, path, resourceRoot);
                    case "array" -> {
                        CelType items = node.has("items") ? declType(node.get("items"), path + ".@items", false) : null;
                        result = items == null ? null : ListType.create(items);
                    }
                    case "string" -> result = SimpleType.STRING;
                    case "integer" -> result = SimpleType.INT;
                    case "number" -> result = SimpleType.DOUBLE;
                    case "boolean" -> result = SimpleType.BOOL;
                    default -> result = null; // untyped, x-kubernetes-preserve-unknown-fields: not exposed to CEL
                }
            }
            declTypes.put(node, Optional.ofNullable(result));
            return result;
        }

        private CelType objectType(JsonNode node, String path, boolean resourceRoot) {
            JsonNode additional = node.get("additionalProperties");
            if (additional != null && additional.isObject()) {
                CelType values = declType(additional, path + ".@values", false);
                return values == null ? null : MapType.create(SimpleType.STRING, values);
            }
            Map<String, CelType> fields = new LinkedHashMap<>();
            node.path("properties").properties().forEach(p -> {
                CelType field = declType(p.getValue(), join(path, p.getKey()), false);
                if (field != null) {
                    fields.put(p.getKey(), field);
                }
            });
            if (resourceRoot) {
                // always visible at a resource's root, declared or not
                fields.putIfAbsent("apiVersion", SimpleType.STRING);
                fields.putIfAbsent("kind", SimpleType.STRING);
                fields.put("metadata", struct(join(path, "metadata"),
                        Map.of("name", SimpleType.STRING, "generateName", SimpleType.STRING)));
            }
            return struct(path, fields);
        }

        private StructType struct(String path, Map<String, CelType> fields) {
            String typeName = "crd." + (path.isEmpty() ? "root" : path.replaceAll("[^A-Za-z0-9_.]", "_"));
            StructType struct = StructType.create(typeName, ImmutableSet.copyOf(fields.keySet()),
                    field -> Optional.ofNullable(fields.get(field)));
            structs.put(typeName, struct);
            return struct;
        }

        // --- rules ---

        /** correlatable: whether the API server can find this value's old value (no list but a map list above). */
        private void compileRules(JsonNode node, String path, boolean correlatable) {
            JsonNode validations = node.get("x-kubernetes-validations");
            if (validations != null && !validations.isEmpty()) {
                // the node's own type, as the API server compiles each node's rules on their own
                CelType self = declType(node, path, path.isEmpty());
                if (self == null) {
                    throw new IllegalArgumentException(name + " " + label(path) + ": x-kubernetes-validations on a value "
                            + "CEL cannot see (untyped or x-kubernetes-preserve-unknown-fields); the API server refuses "
                            + "this CRD (Failed to convert to declType for CEL validation rules)");
                }
                Cel cel = cel(self);
                List<Rule> compiled = new ArrayList<>();
                for (JsonNode validation : validations) {
                    Rule rule = new Rule(cel, validation, name + " " + label(path));
                    if (rule.transition && !correlatable) {
                        throw new IllegalArgumentException(name + " " + label(path) + ": the API server refuses this CRD, "
                                + "oldSelf cannot be used on the uncorrelatable portion of the schema (under a list "
                                + "that is not x-kubernetes-list-type map, or an atomic map): " + rule.rule);
                    }
                    compiled.add(rule);
                }
                rules.put(node, compiled);
            }
            boolean fieldsCorrelatable = correlatable && !"atomic".equals(node.path("x-kubernetes-map-type").asText());
            node.path("properties").properties()
                    .forEach(p -> compileRules(p.getValue(), join(path, p.getKey()), fieldsCorrelatable));
            if (node.path("additionalProperties").isObject()) {
                compileRules(node.get("additionalProperties"), path + "[*]", fieldsCorrelatable);
            }
            if (node.has("items")) {
                compileRules(node.get("items"), path + "[*]",
                        correlatable && "map".equals(node.path("x-kubernetes-list-type").asText()));
            }
        }

        private Cel cel(CelType self) {
            Map<String, StructType> types = Map.copyOf(structs);
            CelTypeProvider provider = new CelTypeProvider() {
                @Override
                public ImmutableCollection<CelType> types() {
                    return ImmutableList.copyOf(types.values());
                }

                @Override
                public Optional<CelType> findType(String typeName) {
                    return Optional.ofNullable(types.get(typeName));
                }
            };
            return CelFactory.standardCelBuilder()
                    .setStandardMacros(CelStandardMacro.STANDARD_MACROS)
                    // like cel-go, which the API server runs: 1 == 1.0
                    .setOptions(CelOptions.current().enableHeterogeneousNumericComparisons(true).build())
                    .addCompilerLibraries(CelExtensions.strings())
                    .addRuntimeLibraries(CelExtensions.strings())
                    .addFunctionDeclarations(QuantityLibrary.DECLARATIONS)
                    .addFunctionBindings(QuantityLibrary.BINDINGS)
                    .setTypeProvider(provider)
                    .addVar("self", self)
                    .addVar("oldSelf", self)
                    .build();
        }

        // --- what the API server does before validating ---

        void prepare(ObjectNode object, List<String> violations) {
            prepare(object, schema, "", true, violations);
        }

        private void prepare(JsonNode value, JsonNode node, String path, boolean resourceRoot, List<String> violations) {
            if (value instanceof ObjectNode object && "object".equals(type(node))) {
                JsonNode properties = node.path("properties");
                JsonNode additional = node.get("additionalProperties");
                boolean keepUnknown = flag(node, "x-kubernetes-preserve-unknown-fields")
                        || (additional != null && additional.asBoolean(false));
                for (Iterator<String> names = object.fieldNames(); names.hasNext(); ) {
                    String field = names.next();
                    if (resourceRoot && Set.of("apiVersion", "kind", "metadata").contains(field)) {
                        continue; // the API server's own business
                    }
                    JsonNode fieldSchema = properties.get(field);
                    if (fieldSchema == null && additional != null && additional.isObject()) {
                        fieldSchema = additional;
                    }
                    if (fieldSchema == null) {
                        if (!keepUnknown) {
                            violations.add(join(path, field) + ": unknown field");
                            names.remove();
                        }
                        continue;
                    }
                    JsonNode child = object.get(field);
                    if (child.isNull() && !flag(fieldSchema, "nullable")) {
                        names.remove();
                        continue;
                    }
                    prepare(child, fieldSchema, join(path, field), false, violations);
                }
                properties.properties().forEach(p -> {
                    if (!object.has(p.getKey()) && p.getValue().has("default")) {
                        object.set(p.getKey(), p.getValue().get("default").deepCopy());
                        prepare(object.get(p.getKey()), p.getValue(), join(path, p.getKey()), false, violations);
                    }
                });
            } else if (value instanceof ArrayNode array && node.has("items")) {
                for (int i = 0; i < array.size(); i++) {
                    prepare(array.get(i), node.get("items"), path + "[" + i + "]", false, violations);
                }
            }
        }

        // --- x-kubernetes-list-type ---

        void checkListTypes(JsonNode value, JsonNode node, String path, List<String> violations) {
            if (value instanceof ArrayNode array && node.has("items")) {
                String listType = node.path("x-kubernetes-list-type").asText("");
                Map<JsonNode, Integer> seen = new HashMap<>();
                for (int i = 0; i < array.size(); i++) {
                    JsonNode identity = switch (listType) {
                        case "set" -> array.get(i);
                        case "map" -> mapKey(array.get(i), node);
                        default -> null;
                    };
                    if (identity != null && seen.putIfAbsent(identity, i) != null) {
                        violations.add(path + "[" + i + "]: Duplicate value: " + identity);
                    }
                    checkListTypes(array.get(i), node.get("items"), path + "[" + i + "]", violations);
                }
            } else if (value instanceof ObjectNode object) {
                object.properties().forEach(f -> {
                    JsonNode fieldSchema = node.path("properties").get(f.getKey());
                    if (fieldSchema == null && node.path("additionalProperties").isObject()) {
                        fieldSchema = node.get("additionalProperties");
                    }
                    if (fieldSchema != null) {
                        checkListTypes(f.getValue(), fieldSchema, join(path, f.getKey()), violations);
                    }
                });
            }
        }

        private static JsonNode mapKey(JsonNode item, JsonNode listSchema) {
            ObjectNode key = JsonNodeFactory.instance.objectNode();
            listSchema.path("x-kubernetes-list-map-keys").forEach(k -> key.set(k.asText(), item.path(k.asText())));
            return key;
        }

        // --- CEL evaluation ---

        void evaluateRules(JsonNode value, JsonNode old, JsonNode node, String path, List<String> violations) {
            if (value == null || value.isNull() || value.isMissingNode()) {
                return;
            }
            for (Rule rule : rules.getOrDefault(node, List.of())) {
                if (rule.transition && (old == null || old.isNull() || old.isMissingNode())) {
                    continue; // transition rules need an old value at the same place
                }
                Map<String, Object> vars = new HashMap<>();
                vars.put("self", toCel(value, node, path.isEmpty()));
                if (rule.transition) {
                    vars.put("oldSelf", toCel(old, node, path.isEmpty()));
                }
                rule.evaluate(vars, path, violations);
            }
            if (value instanceof ObjectNode object) {
                JsonNode additional = node.get("additionalProperties");
                object.properties().forEach(f -> {
                    JsonNode fieldSchema = node.path("properties").get(f.getKey());
                    if (fieldSchema == null && additional != null && additional.isObject()) {
                        fieldSchema = additional;
                    }
                    if (fieldSchema != null && !(path.isEmpty() && f.getKey().equals("metadata"))) {
                        JsonNode oldField = old == null ? null : old.get(f.getKey());
                        evaluateRules(f.getValue(), oldField, fieldSchema, join(path, f.getKey()), violations);
                    }
                });
            } else if (value instanceof ArrayNode array && node.has("items")) {
                for (int i = 0; i < array.size(); i++) {
                    evaluateRules(array.get(i), oldItem(array.get(i), old, node), node.get("items"),
                            path + "[" + i + "]", violations);
                }
            }
        }

        /** Only the items of x-kubernetes-list-type map lists have an old value (the one with the same keys). */
        private static JsonNode oldItem(JsonNode item, JsonNode oldList, JsonNode listSchema) {
            if (oldList == null || !oldList.isArray() || !"map".equals(listSchema.path("x-kubernetes-list-type").asText())) {
                return null;
            }
            JsonNode key = mapKey(item, listSchema);
            for (JsonNode candidate : oldList) {
                if (mapKey(candidate, listSchema).equals(key)) {
                    return candidate;
                }
            }
            return null;
        }

        /** The value as CEL sees it: only the fields its schema exposes, integers as long. */
        private Object toCel(JsonNode value, JsonNode node, boolean resourceRoot) {
            if (value.isNull()) {
                return NullValue.NULL_VALUE;
            }
            if (flag(node, "x-kubernetes-int-or-string")) {
                return value.isIntegralNumber() ? (Object) value.asLong() : value.asText();
            }
            switch (type(node)) {
                case "object" -> {
                    Map<String, Object> object = new LinkedHashMap<>();
                    JsonNode additional = node.get("additionalProperties");
                    value.properties().forEach(f -> {
                        JsonNode fieldSchema = node.path("properties").get(f.getKey());
                        if (fieldSchema == null && additional != null && additional.isObject()) {
                            fieldSchema = additional;
                        }
                        if (fieldSchema != null && declTypes.getOrDefault(fieldSchema, Optional.empty()).isPresent()) {
                            object.put(f.getKey(), toCel(f.getValue(), fieldSchema, false));
                        }
                    });
                    if (resourceRoot) {
                        object.put("apiVersion", value.path("apiVersion").asText());
                        object.put("kind", value.path("kind").asText());
                        Map<String, Object> metadata = new LinkedHashMap<>();
                        for (String field : List.of("name", "generateName")) {
                            if (value.path("metadata").has(field)) {
                                metadata.put(field, value.path("metadata").get(field).asText());
                            }
                        }
                        object.put("metadata", metadata);
                    }
                    return object;
                }
                case "array" -> {
                    List<Object> list = new ArrayList<>();
                    value.forEach(item -> list.add(toCel(item, node.get("items"), false)));
                    return list;
                }
                case "integer" -> {
                    return value.asLong();
                }
                case "number" -> {
                    return value.asDouble();
                }
                case "boolean" -> {
                    return value.asBoolean();
                }
                default -> {
                    return value.asText();
                }
            }
        }
    }

    /** One compiled x-kubernetes-validations entry. */
    private static final class Rule {
        private final String rule;
        private final String message;
        private final String fieldPath;
        private final boolean transition;
        private final CelRuntime.Program program;
        private final CelRuntime.Program messageProgram;

        Rule(Cel cel, JsonNode validation, String where) {
            this.rule = validation.path("rule").asText();
            this.message = validation.path("message").asText(null);
            this.fieldPath = validation.path("fieldPath").asText("");
            this.transition = OLD_SELF.matcher(rule).find();
            if (validation.path("optionalOldSelf").asBoolean(false)) {
                throw new IllegalArgumentException(where + ": optionalOldSelf is not supported by CrdValidator");
            }
            this.program = compile(cel, rule, where);
            String messageExpression = validation.path("messageExpression").asText(null);
            this.messageProgram = messageExpression == null ? null : compile(cel, messageExpression, where);
        }

        private static CelRuntime.Program compile(Cel cel, String expression, String where) {
            CelValidationResult result = cel.compile(expression);
            if (result.hasError()) {
                throw new IllegalArgumentException(where + ": the API server refuses this CRD, rule "
                        + expression + " does not compile: " + result.getErrorString());
            }
            try {
                return cel.createProgram(result.getAst());
            } catch (Exception e) {
                throw new IllegalArgumentException(where + ": cannot plan rule " + expression, e);
            }
        }

        void evaluate(Map<String, Object> vars, String path, List<String> violations) {
            String at = label(path + fieldPath).replaceFirst("^\\.", "");
            try {
                if (!Boolean.TRUE.equals(program.eval(vars))) {
                    violations.add(at + ": " + message(vars));
                }
            } catch (CelEvaluationException e) {
                violations.add(at + ": " + e.getMessage() + " evaluating rule: " + rule);
            }
        }

        private String message(Map<String, Object> vars) {
            if (messageProgram != null) {
                try {
                    Object text = messageProgram.eval(vars);
                    if (text instanceof String s && !s.isBlank()) {
                        return s;
                    }
                } catch (CelEvaluationException e) {
                    // the API server falls back to message, then to the rule, likewise
                }
            }
            return message != null ? message : "failed rule: " + rule;
        }
    }
}

package io.harperdb.operator.api;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.databind.DeserializationContext;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.SerializerProvider;
import com.fasterxml.jackson.databind.annotation.JsonDeserialize;
import com.fasterxml.jackson.databind.annotation.JsonSerialize;
import com.fasterxml.jackson.databind.deser.std.StdDeserializer;
import com.fasterxml.jackson.databind.ser.std.StdSerializer;

import java.io.IOException;
import java.util.Objects;

/**
 * A replication route (HarperDB's {@code replication.routes}), in either of HarperDB's two forms:
 * a string ("host", "host:port" or "wss://host:port", see {@link #getValue()}) or an object
 * {@code {hostname, port}} (see {@link #getHostname()}, {@link #getPort()}). The form is kept as
 * written, so that the resource reads back as the user wrote it.
 * <p>
 * Reading never fails, whatever the JSON: the CRD schema refuses malformed routes, and a resource
 * that still holds one (written before the schema said so) must not stop the operator from reading
 * every other resource. {@link #isValid()} tells whether it can be sent to HarperDB.
 * <p>
 * Its own (de)serializers make the CRD generator see an untyped value
 * ({@code x-kubernetes-preserve-unknown-fields}), the only kind of schema that holds a string or
 * an object; {@link RouteSchema} adds the checks of both forms.
 */
@JsonSerialize(using = Route.Serializer.class)
@JsonDeserialize(using = Route.Deserializer.class)
public final class Route {
    private final String value;
    private final String hostname;
    private final Integer port;
    /** Read from JSON that is neither a string nor an object: never valid. */
    private final boolean malformed;

    private Route(String value, String hostname, Integer port, boolean malformed) {
        this.value = value;
        this.hostname = hostname;
        this.port = port;
        this.malformed = malformed;
    }

    /** The string form: "host", "host:port" or "wss://host:port". */
    public static Route of(String value) {
        return new Route(Objects.requireNonNull(value, "value"), null, null, false);
    }

    /** The object form {@code {hostname, port}}; port may be null (HarperDB's default port). */
    public static Route of(String hostname, Integer port) {
        return new Route(null, Objects.requireNonNull(hostname, "hostname"), port, false);
    }

    static Route fromJson(JsonNode node) {
        if (node == null || node.isNull()) {
            return new Route(null, null, null, true);
        }
        if (node.isTextual()) {
            return new Route(node.asText(), null, null, false);
        }
        if (node.isObject()) {
            JsonNode host = node.get("hostname");
            JsonNode port = node.get("port");
            return new Route(null,
                    host != null && host.isTextual() ? host.asText() : null,
                    port != null && port.isIntegralNumber() && port.canConvertToInt() ? port.asInt() : null,
                    port != null && !(port.isIntegralNumber() && port.canConvertToInt()));
        }
        return new Route(node.toString(), null, null, true);
    }

    void toJson(JsonGenerator json) throws IOException {
        if (value != null) {
            json.writeString(value);
            return;
        }
        json.writeStartObject();
        if (hostname != null) {
            json.writeStringField("hostname", hostname);
        }
        if (port != null) {
            json.writeNumberField("port", port);
        }
        json.writeEndObject();
    }

    /** Whether the route was written as a string. */
    public boolean isString() {
        return value != null;
    }

    /** The string form as written, or null for the object form. */
    public String getValue() {
        return value;
    }

    /** The object form's hostname, or null for the string form. */
    public String getHostname() {
        return hostname;
    }

    /** The object form's port, or null (string form, or no port given). */
    public Integer getPort() {
        return port;
    }

    /** Whether HarperDB can use the route: the schema's rules, checked again in Java. */
    public boolean isValid() {
        if (malformed) {
            return false;
        }
        if (value != null) {
            return value.matches(ApiPatterns.ROUTE);
        }
        return hostname != null && hostname.matches(ApiPatterns.HOSTNAME) && (port == null || (port >= 1 && port <= 65535));
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Route r && Objects.equals(value, r.value) && Objects.equals(hostname, r.hostname)
                && Objects.equals(port, r.port) && malformed == r.malformed;
    }

    @Override
    public int hashCode() {
        return Objects.hash(value, hostname, port, malformed);
    }

    @Override
    public String toString() {
        return value != null ? value : hostname + (port == null ? "" : ":" + port);
    }

    static final class Serializer extends StdSerializer<Route> {
        Serializer() {
            super(Route.class);
        }

        @Override
        public void serialize(Route route, JsonGenerator json, SerializerProvider provider) throws IOException {
            route.toJson(json);
        }
    }

    static final class Deserializer extends StdDeserializer<Route> {
        Deserializer() {
            super(Route.class);
        }

        @Override
        public Route deserialize(JsonParser parser, DeserializationContext context) throws IOException {
            return fromJson(parser.readValueAsTree());
        }

        // a null entry reads as an invalid route, so that readers need no null check
        @Override
        public Route getNullValue(DeserializationContext context) {
            return fromJson(null);
        }
    }
}

package io.harperdb.replication.client;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;
import com.fasterxml.jackson.databind.JsonNode;
import java.util.Map;

/**
 * A replication route, in one of the two forms HarperDB accepts: a plain string (a hostname or
 * URL) or an object {@code {hostname, port}}. The form is kept as given, since HarperDB stores and
 * answers routes in the form they were set.
 */
public record Route(String value, String hostname, Integer port) {

    public Route {
        if (value != null) {
            if (value.isBlank()) throw new InvalidRequestException("a route must not be empty");
            if (hostname != null || port != null) throw new InvalidRequestException("a route is a string or {hostname, port}, not both");
        } else {
            if (hostname == null || hostname.isBlank()) throw new InvalidRequestException("a route needs a hostname");
            if (port != null && (port < 1 || port > 65535)) throw new InvalidRequestException("route " + hostname + " has port " + port + " outside 1..65535");
        }
    }

    public static Route of(String value) {
        return new Route(value, null, null);
    }

    public static Route of(String hostname, int port) {
        return new Route(null, hostname, port);
    }

    @JsonValue
    Object json() {
        if (value != null) return value;
        return port == null ? Map.of("hostname", hostname) : Map.of("hostname", hostname, "port", port);
    }

    @JsonCreator
    static Route fromJson(JsonNode node) {
        if (node == null || node.isNull()) throw new InvalidRequestException("a route must not be null");
        if (node.isTextual()) return of(node.asText());
        JsonNode host = node.get("hostname");
        JsonNode port = node.get("port");
        return new Route(null, host == null ? null : host.asText(), port == null || port.isNull() ? null : port.asInt());
    }

    @Override
    public String toString() {
        return value != null ? value : hostname + (port == null ? "" : ":" + port);
    }
}

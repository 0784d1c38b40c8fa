package io.harperdb.replication.client;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;
import com.fasterxml.jackson.databind.JsonNode;
import java.util.Map;
import java.util.Objects;

/**
 * A replication route: a plain string (a hostname or URL) or a host with an optional port. HarperDB
 * 4.7.29 reads a route as {@code {url}}, a string, or {@code {hostname|host, port}} (in that order), and
 * answers routes in the form they were set, so the form read is kept ({@link #form()}) and written back
 * as it was. Two routes are equal when they name the same place, whatever their form.
 */
public record Route(String value, String hostname, Integer port, Form form) {

    /** How a route is written: {@code "x"}, {@code {url: x}}, {@code {hostname, port}} or {@code {host, port}}. */
    public enum Form { STRING, URL, HOSTNAME, HOST }

    public Route {
        if (value != null) {
            if (value.isBlank()) throw new InvalidRequestException("a route must not be empty");
            if (hostname != null || port != null) throw new InvalidRequestException("a route is a string or {hostname, port}, not both");
            form = form == Form.URL ? Form.URL : Form.STRING;
        } else {
            if (hostname == null || hostname.isBlank()) throw new InvalidRequestException("a route needs a hostname");
            if (port != null && (port < 1 || port > 65535)) throw new InvalidRequestException("route " + hostname + " has port " + port + " outside 1..65535");
            form = form == Form.HOST ? Form.HOST : Form.HOSTNAME;
        }
    }

    /** A string route, or a {@code {hostname, port}} one when {@code value} is null. */
    public Route(String value, String hostname, Integer port) {
        this(value, hostname, port, null);
    }

    /**
     * A string route. A bare {@code host:port} is written as {@code wss://host:port}: 4.7.29 misreads
     * {@code "host:port"} at start ({@code wss://host:99:9933}) and then runs without replication, and an
     * object route would not do either, as it compares object routes by their {@code host} key, which
     * {@code {hostname, port}} routes all lack (docs/harperdb-compatibility.md).
     */
    public static Route of(String value) {
        return new Route(value != null && HOST_PORT.matcher(value).matches() ? "wss://" + value : value, null, null);
    }

    private static final java.util.regex.Pattern HOST_PORT = java.util.regex.Pattern.compile("[^:/\\s\\[\\]]+:\\d+");

    public static Route of(String hostname, int port) {
        return new Route(null, hostname, port);
    }

    @JsonValue
    Object json() {
        return switch (form) {
            case STRING -> value;
            case URL -> Map.of("url", value);
            case HOSTNAME, HOST -> {
                String key = form == Form.HOST ? "host" : "hostname";
                yield port == null ? Map.of(key, hostname) : Map.of(key, hostname, "port", port);
            }
        };
    }

    @JsonCreator
    static Route fromJson(JsonNode node) {
        if (node == null || node.isNull()) throw new InvalidRequestException("a route must not be null");
        if (node.isTextual()) return of(node.asText());
        JsonNode url = node.get("url");
        if (url != null && !url.isNull()) return new Route(url.asText(), null, null, Form.URL);
        JsonNode port = node.get("port");
        Integer portNumber = port == null || port.isNull() ? null : port.asInt();
        JsonNode hostname = node.get("hostname");
        if (hostname != null && !hostname.isNull()) return new Route(null, hostname.asText(), portNumber, Form.HOSTNAME);
        JsonNode host = node.get("host");
        return new Route(null, host == null || host.isNull() ? null : host.asText(), portNumber, Form.HOST);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Route r && Objects.equals(value, r.value) && Objects.equals(hostname, r.hostname)
                && Objects.equals(port, r.port);
    }

    @Override
    public int hashCode() {
        return Objects.hash(value, hostname, port);
    }

    @Override
    public String toString() {
        return value != null ? value : hostname + (port == null ? "" : ":" + port);
    }
}

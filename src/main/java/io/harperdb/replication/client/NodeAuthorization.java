package io.harperdb.replication.client;

import com.fasterxml.jackson.annotation.JsonValue;
import java.util.Map;
import java.util.Objects;

/**
 * The credentials a node uses to reach the peer named in {@code add_node}: a username and password
 * (sent as an object) or a ready HTTP Authorization header value (sent as a string).
 * {@link #toString()} never shows the secret.
 */
public final class NodeAuthorization {
    private final String username;
    private final String password;
    private final String header;

    private NodeAuthorization(String username, String password, String header) {
        this.username = username;
        this.password = password;
        this.header = header;
    }

    public static NodeAuthorization basic(String username, String password) {
        if (username == null || username.isBlank() || password == null || password.isBlank()) {
            throw new InvalidRequestException("authorization needs a username and a password");
        }
        return new NodeAuthorization(username, password, null);
    }

    public static NodeAuthorization header(String authorizationHeader) {
        if (authorizationHeader == null || authorizationHeader.isBlank()) {
            throw new InvalidRequestException("authorization header must not be empty");
        }
        return new NodeAuthorization(null, null, authorizationHeader);
    }

    /** The JSON HarperDB expects: {@code {"username", "password"}} or the header string. */
    @JsonValue
    Object json() {
        return header != null ? header : Map.of("username", username, "password", password);
    }

    public String username() {
        return username;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof NodeAuthorization other
                && Objects.equals(username, other.username)
                && Objects.equals(password, other.password)
                && Objects.equals(header, other.header);
    }

    @Override
    public int hashCode() {
        return Objects.hash(username, password, header);
    }

    @Override
    public String toString() {
        return header != null ? "NodeAuthorization[header=***]" : "NodeAuthorization[username=" + username + ", password=***]";
    }
}

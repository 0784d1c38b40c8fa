package io.harperdb.operator.resources;

/**
 * A cluster's managed resources cannot be built from its spec and the operator's configuration (such as
 * OPERATOR_IMAGE). The message says what to change; it is shown as the cluster's condition and in a
 * Warning Event, so it never holds a secret.
 */
public class ConfigurationException extends IllegalStateException {
    public ConfigurationException(String message) {
        super(message);
    }
}

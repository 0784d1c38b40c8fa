package io.harperdb.replication.sidecar;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Objects;

/**
 * The local admin's username and password, as a Kubernetes Secret volume mounts them: one file each,
 * {@code username} and {@code password}. {@link #toString()} never shows the password.
 */
public final class AdminCredentials {
    private final String username;
    private final String password;

    AdminCredentials(String username, String password) {
        this.username = username;
        this.password = password;
    }

    /**
     * Reads both files. Called on every poll: they are two tiny files, and re-reading them is the
     * simplest way to follow a rotated Secret (the kubelet swaps a symlink, so mtimes are no better).
     *
     * @throws CredentialsUnavailableException when a file is missing, unreadable or blank; its message
     *                                         names the file, never a content
     */
    public static AdminCredentials read(Path dir) {
        return new AdminCredentials(readOne(dir.resolve("username")), readOne(dir.resolve("password")));
    }

    private static String readOne(Path file) {
        String text;
        try {
            text = Files.readString(file, StandardCharsets.UTF_8);
        } catch (NoSuchFileException e) {
            throw new CredentialsUnavailableException(file + " does not exist");
        } catch (IOException e) {
            throw new CredentialsUnavailableException(file + " cannot be read: " + e.getClass().getSimpleName());
        }
        // A Secret made from a file often keeps the file's final newline; HarperDB would refuse it.
        String value = text.replaceAll("[\r\n]+$", "");
        if (value.isBlank()) {
            throw new CredentialsUnavailableException(file + " is empty");
        }
        return value;
    }

    public String username() {
        return username;
    }

    public String password() {
        return password;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof AdminCredentials other && username.equals(other.username) && password.equals(other.password);
    }

    @Override
    public int hashCode() {
        return Objects.hash(username, password);
    }

    @Override
    public String toString() {
        return "AdminCredentials[username=" + username + ", password=***]";
    }

    /** The credentials cannot be read; the message names the file and never holds a secret. */
    public static final class CredentialsUnavailableException extends RuntimeException {
        CredentialsUnavailableException(String message) {
            super(message);
        }
    }
}

package io.harperdb.operator.reconciler;

/** A member's super_user credentials, read from its Secret. {@link #toString()} hides the password. */
public record MemberCredentials(String username, String password) {
    @Override
    public String toString() {
        return "MemberCredentials[username=" + username + ", password=***]";
    }
}

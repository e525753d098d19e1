package io.qflow.rest.internal;

import java.util.Locale;

/**
 * What an API token may do, each role including the ones before it: {@code viewer} reads,
 * {@code editor} also writes workflows and executions, {@code admin} may do everything, in
 * particular install and remove plugins.
 */
public enum Role {
    VIEWER, EDITOR, ADMIN;

    /** Whether a token of this role may do what {@code needed} may. */
    boolean includes(Role needed) {
        return compareTo(needed) >= 0;
    }

    /** The role's name in settings and messages: {@code admin}, {@code editor}, {@code viewer}. */
    String label() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** The role called {@code label}, or null. */
    static Role byLabel(String label) {
        for (Role role : values()) {
            if (role.label().equals(label)) {
                return role;
            }
        }
        return null;
    }

    @Override
    public String toString() {
        return label();
    }
}

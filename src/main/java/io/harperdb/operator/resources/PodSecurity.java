package io.harperdb.operator.resources;

import io.fabric8.kubernetes.api.model.PodSecurityContext;
import io.fabric8.kubernetes.api.model.PodSecurityContextBuilder;
import io.fabric8.kubernetes.api.model.SecurityContext;
import io.fabric8.kubernetes.api.model.SecurityContextBuilder;

/**
 * Security contexts of a managed pod, within the "restricted" Pod Security Standard: non-root, no
 * privilege escalation, no capabilities, the runtime's default seccomp profile.
 */
final class PodSecurity {
    /** The user of the official HarperDB image. */
    static final long USER = 1000L;

    private PodSecurity() {
    }

    static PodSecurityContext pod() {
        return new PodSecurityContextBuilder()
                .withRunAsNonRoot(true)
                .withRunAsUser(USER)
                .withRunAsGroup(USER)
                // The volume's files belong to the group, so HarperDB can write them;
                // OnRootMismatch skips the recursive chown at each start once it is done.
                .withFsGroup(USER)
                .withFsGroupChangePolicy("OnRootMismatch")
                .withNewSeccompProfile().withType("RuntimeDefault").endSeccompProfile()
                .build();
    }

    /** HarperDB writes outside its volume (its boot pointer in ~/.harperdb), so its root filesystem stays writable. */
    static SecurityContext container(boolean readOnlyRootFilesystem) {
        return new SecurityContextBuilder()
                .withAllowPrivilegeEscalation(false)
                .withNewCapabilities().withDrop("ALL").endCapabilities()
                .withReadOnlyRootFilesystem(readOnlyRootFilesystem)
                .withRunAsNonRoot(true)
                .build();
    }
}

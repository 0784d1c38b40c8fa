package io.harperdb.operator.testing.pods;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/**
 * What the test kubelet knows of an image: its filesystem (where a container path is on this machine),
 * its default command, its environment, and which of its listeners must be pinned to the pod's address
 * (each pod would have its own network namespace; here pods share the machine's and get a loopback
 * address each).
 */
interface ContainerImage {

    /** ENTRYPOINT followed by CMD, with the program resolved on this machine. */
    List<String> entrypoint();

    List<String> cmd();

    /** The image's ENV. */
    Map<String, String> env();

    /** Where a path of the image's own filesystem is on this machine, or null when the image has no such path. */
    Path hostPath(String containerPath);

    /** The program named first in a container's command, as the image's PATH finds it. */
    List<String> program(String name);

    /**
     * Variables that bind the image's listeners to {@code podIp}: existing bare port values become
     * {@code podIp:port}, listeners the spec does not mention are added, bound to {@code podIp}.
     */
    Map<String, String> pinListeners(Map<String, String> env, String podIp);
}

package io.harperdb.operator.testing.pods;

import io.harperdb.testing.HarperDbFixture;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The image {@code harperdb/harperdb}: the npm package harperdb that the tests install, run by this
 * machine's Node.js. Its default command is {@code harperdb run}, which installs HarperDB on the first
 * start from the environment ({@code TC_AGREEMENT}, {@code HDB_ADMIN_*}, {@code ROOTPATH}, ...) and
 * then runs it in the foreground; its user's home is {@code /home/harperdb}.
 */
final class HarperDbImage implements ContainerImage {
    static final String HOME = "/home/harperdb";
    /** HarperDB's listeners that the operator leaves at their defaults: bound to the pod's address here. */
    private static final Map<String, Integer> UNSET_LISTENERS = Map.of("MQTT_NETWORK_PORT", 1883, "MQTT_NETWORK_SECUREPORT", 8883);

    private final Path node = HarperDbFixture.findNode();
    private final Path harperdbJs = HarperDbFixture.findHarperdb(HarperDbFixture.installDir());
    private final Path home;

    /** @param home where this container's {@code /home/harperdb} is (its writable layer) */
    HarperDbImage(Path home) {
        this.home = home;
    }

    static boolean runs(String image) {
        return image != null && image.startsWith("harperdb/harperdb");
    }

    @Override
    public List<String> entrypoint() {
        return List.of();
    }

    @Override
    public List<String> cmd() {
        return List.of("harperdb", "run");
    }

    @Override
    public Map<String, String> env() {
        return Map.of("HOME", HOME);
    }

    @Override
    public Path hostPath(String containerPath) {
        if (containerPath.equals(HOME) || containerPath.startsWith(HOME + "/")) {
            return home.resolve(containerPath.substring(HOME.length()).replaceFirst("^/+", ""));
        }
        return null;
    }

    @Override
    public List<String> program(String name) {
        if (name.equals("harperdb")) {
            return List.of(node.toString(), harperdbJs.toString());
        }
        throw new IllegalStateException("the harperdb image has no program " + name + " known to the test kubelet");
    }

    @Override
    public Map<String, String> pinListeners(Map<String, String> env, String podIp) {
        Map<String, String> pinned = new LinkedHashMap<>();
        env.forEach((name, value) -> pinned.put(name,
                name.endsWith("PORT") && value.matches("\\d+") ? podIp + ":" + value : value));
        UNSET_LISTENERS.forEach((name, port) -> pinned.putIfAbsent(name, podIp + ":" + port));
        return pinned;
    }
}

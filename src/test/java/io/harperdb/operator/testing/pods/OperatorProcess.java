package io.harperdb.operator.testing.pods;

import io.harperdb.testing.ProcessGroups;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The operator's own container run as a process of its own: the image laid out from the Dockerfile
 * ({@link OperatorImage}, so {@code mvn package} must have run), its ENTRYPOINT and CMD, the image's ENV
 * plus the given environment (what the Deployment sets: WATCH_NAMESPACES, LEADER_ELECTION, HOSTNAME as the
 * pod name...). It can be stopped politely or killed at once (SIGKILL: no shutdown hook, a Lease left held),
 * as a node failure would.
 */
public final class OperatorProcess implements AutoCloseable {
    private final String name;
    private final Process process;
    private final Path log;

    private OperatorProcess(String name, Process process, Path log) {
        this.name = name;
        this.process = process;
        this.log = log;
    }

    /** Starts the operator image's default command with {@code env} added to the image's ENV, in its own process group. */
    public static OperatorProcess start(String name, Path dir, Map<String, String> env) {
        try {
            Files.createDirectories(dir);
            OperatorImage image = OperatorImage.build(Path.of("").toAbsolutePath(), dir.resolve("image-" + name));
            List<String> command = new ArrayList<>();
            List<String> declared = new ArrayList<>(image.entrypoint());
            declared.addAll(image.cmd());
            command.addAll(image.program(declared.get(0)));
            for (String arg : declared.subList(1, declared.size())) {
                Path host = arg.startsWith("/") ? image.hostPath(arg) : null;
                command.add(host == null ? arg : host.toString());
            }
            Map<String, String> environment = new LinkedHashMap<>(image.env());
            environment.putAll(env);
            Path log = dir.resolve(name + ".log");
            Files.deleteIfExists(log);
            return new OperatorProcess(name, ProcessGroups.start(command, environment, log), log);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public String name() {
        return name;
    }

    /** The process's id (the java process itself: the image's ENTRYPOINT runs java directly). */
    public long pid() {
        return process.pid();
    }

    public boolean isAlive() {
        return process.isAlive();
    }

    /** SIGKILL to the whole process group: nothing of the operator runs afterwards, no Lease is released. */
    public void kill() {
        ProcessGroups.killNow(process.pid());
    }

    /** The last lines of its log, for failure messages. */
    public String logTail(int lines) {
        try {
            List<String> all = Files.readAllLines(log);
            return String.join("\n", all.subList(Math.max(0, all.size() - lines), all.size()));
        } catch (IOException e) {
            return "(no log: " + e.getMessage() + ")";
        }
    }

    @Override
    public void close() {
        ProcessGroups.kill(process.pid(), Duration.ofSeconds(10));
    }
}

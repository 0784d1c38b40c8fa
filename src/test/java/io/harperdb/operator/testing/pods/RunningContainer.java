package io.harperdb.operator.testing.pods;

import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.ContainerPort;
import io.fabric8.kubernetes.api.model.IntOrString;
import io.fabric8.kubernetes.api.model.Probe;
import io.harperdb.testing.ProcessGroups;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.HttpURLConnection;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One container of a pod, run as a process group on this machine the way a kubelet runs it: the
 * command from the spec or the image (Kubernetes' rules for command/args against ENTRYPOINT/CMD), the
 * image's environment overridden by the spec's, its volumes mounted (container paths mapped to the
 * pod's directories), the pod's address in place of its loopback, the cluster DNS as /etc/hosts, and
 * its probes run as declared: startup first, then liveness (a failure restarts it) and readiness
 * (which alone makes it Ready).
 */
final class RunningContainer {
    private static final Logger LOG = LoggerFactory.getLogger(RunningContainer.class);
    private static final Pattern ABSOLUTE_PATH = Pattern.compile("(?<=^|[\\s:=])/[^\\s:=]*");
    private static final Pattern LOOPBACK = Pattern.compile("\\b(127\\.0\\.0\\.1|localhost)\\b");
    private static final boolean ROOT = "root".equals(System.getProperty("user.name"));

    private final String pod;
    private final Container spec;
    private final ContainerImage image;
    private final String podIp;
    private final Map<String, Path> mounts;
    private final Map<String, String> env;
    private final Path hostsFile;
    private final Path log;
    private final Duration terminationGrace;

    private Process process;
    private long startedAt;
    private long restartAt;
    private int restarts;
    private boolean started;
    private boolean ready;
    private final ProbeState startup;
    private final ProbeState liveness;
    private final ProbeState readiness;

    /**
     * @param mounts container path -> directory on this machine, one per volume mount
     * @param env    the spec's environment, resolved ({@link ContainerEnvironment})
     */
    RunningContainer(String pod, Container spec, ContainerImage image, String podIp, Map<String, Path> mounts,
                     Map<String, String> env, Path hostsFile, Path log, Duration terminationGrace) {
        this.pod = pod;
        this.spec = spec;
        this.image = image;
        this.podIp = podIp;
        this.mounts = mounts;
        this.env = env;
        this.hostsFile = hostsFile;
        this.log = log;
        this.terminationGrace = terminationGrace;
        this.startup = ProbeState.of(spec.getStartupProbe());
        this.liveness = ProbeState.of(spec.getLivenessProbe());
        this.readiness = ProbeState.of(spec.getReadinessProbe());
    }

    String name() {
        return spec.getName();
    }

    synchronized void start() {
        List<String> command = command();
        Map<String, String> environment = environment();
        List<String> wrapped = new ArrayList<>();
        // A private mount namespace whose /etc/hosts is the cluster DNS; then exec the container's command.
        wrapped.add("unshare");
        if (!ROOT) {
            wrapped.addAll(List.of("--user", "--map-root-user"));
        }
        wrapped.addAll(List.of("--mount", "--propagation", "private", "sh", "-c",
                "mount --bind \"$0\" /etc/hosts && exec \"$@\"", hostsFile.toString()));
        wrapped.addAll(command);
        try {
            Files.createDirectories(log.getParent());
            Files.writeString(log, "---- " + pod + "/" + name() + " starts: " + String.join(" ", command) + "\n",
                    java.nio.file.StandardOpenOption.CREATE, java.nio.file.StandardOpenOption.APPEND);
            process = ProcessGroups.start(wrapped, environment, log);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot start " + pod + "/" + name(), e);
        }
        startedAt = System.nanoTime();
        started = startup == null;
        ready = false;
        for (ProbeState probe : new ProbeState[]{startup, liveness, readiness}) {
            if (probe != null) {
                probe.reset(startedAt);
            }
        }
        LOG.info("{}/{} started (pid {}) on {}", pod, name(), process.pid(), podIp);
    }

    synchronized void stop() {
        if (process != null) {
            ProcessGroups.kill(process.pid(), terminationGrace);
            process = null;
        }
        ready = false;
        started = false;
    }

    /** One step of the kubelet's loop: restart what exited or failed its liveness, run the probes that are due. */
    synchronized void tick() {
        if (process == null) {
            return;
        }
        long now = System.nanoTime();
        if (!process.isAlive()) {
            if (restartAt == 0) {
                // CrashLoopBackOff: 10 s, doubling, at most 40 s here (5 min in a kubelet).
                long backoff = Duration.ofSeconds(Math.min(40, 10L << Math.min(restarts, 3))).toNanos();
                restartAt = now + backoff;
                ready = false;
                LOG.warn("{}/{} exited with code {}: restarting it in {} s (see {})", pod, name(), process.exitValue(),
                        Duration.ofNanos(backoff).toSeconds(), log);
            } else if (now - restartAt >= 0) {
                restartAt = 0;
                restart();
            }
            return;
        }
        if (!started) {
            if (startup.due(now)) {
                Boolean result = startup.record(now, check(startup.probe));
                if (Boolean.TRUE.equals(result)) {
                    started = true;
                    if (liveness != null) {
                        liveness.reset(now);
                    }
                    if (readiness != null) {
                        readiness.reset(now);
                    }
                } else if (Boolean.FALSE.equals(result)) {
                    LOG.warn("{}/{} failed its startup probe: restarting it", pod, name());
                    restart();
                }
            }
            return;
        }
        if (liveness != null && liveness.due(now) && Boolean.FALSE.equals(liveness.record(now, check(liveness.probe)))) {
            LOG.warn("{}/{} failed its liveness probe: restarting it", pod, name());
            restart();
            return;
        }
        if (readiness == null) {
            ready = true;
        } else if (readiness.due(now)) {
            Boolean result = readiness.record(now, check(readiness.probe));
            if (result != null) {
                ready = result;
            }
        }
    }

    synchronized boolean ready() {
        return ready;
    }

    synchronized boolean started() {
        return process != null && started;
    }

    synchronized int restarts() {
        return restarts;
    }

    synchronized long pid() {
        return process == null ? -1 : process.pid();
    }

    private void restart() {
        stop();
        restarts++;
        start();
    }

    /** Kubernetes: command replaces ENTRYPOINT (and drops CMD); args replace CMD. */
    List<String> command() {
        List<String> entry = notEmpty(spec.getCommand()) ? spec.getCommand() : image.entrypoint();
        List<String> args = notEmpty(spec.getArgs()) ? spec.getArgs() : notEmpty(spec.getCommand()) ? List.of() : image.cmd();
        List<String> all = new ArrayList<>(entry);
        all.addAll(args);
        if (all.isEmpty()) {
            throw new IllegalStateException(pod + "/" + name() + ": neither the spec nor the image gives a command");
        }
        List<String> resolved = new ArrayList<>();
        String program = all.get(0);
        if (program.startsWith("/")) {
            resolved.add(mapPaths(program));
        } else {
            resolved.addAll(image.program(program));
        }
        all.subList(1, all.size()).forEach(arg -> resolved.add(mapPaths(arg)));
        return resolved;
    }

    Map<String, String> environment() {
        Map<String, String> merged = new LinkedHashMap<>(image.env());
        merged.putAll(env);
        merged.put("HOSTNAME", pod);
        merged = image.pinListeners(merged, podIp);
        Map<String, String> result = new LinkedHashMap<>();
        // The image's programs, from this machine's PATH.
        result.put("PATH", System.getenv().getOrDefault("PATH", "/usr/local/bin:/usr/bin:/bin"));
        merged.forEach((name, value) -> result.put(name, mapPaths(LOOPBACK.matcher(value).replaceAll(podIp))));
        return result;
    }

    /** Absolute container paths in a value (alone, or after ':', '=' or a space) -> where they are on this machine. */
    String mapPaths(String value) {
        Matcher m = ABSOLUTE_PATH.matcher(value);
        StringBuilder out = new StringBuilder();
        while (m.find()) {
            Path host = hostPath(m.group());
            m.appendReplacement(out, Matcher.quoteReplacement(host == null ? m.group() : host.toString()));
        }
        m.appendTail(out);
        return out.toString();
    }

    private Path hostPath(String containerPath) {
        String mount = mounts.keySet().stream()
                .filter(p -> containerPath.equals(p) || containerPath.startsWith(p.endsWith("/") ? p : p + "/"))
                .max(Comparator.comparingInt(String::length))
                .orElse(null);
        if (mount != null) {
            String rest = containerPath.substring(mount.length()).replaceFirst("^/+", "");
            return rest.isEmpty() ? mounts.get(mount) : mounts.get(mount).resolve(rest);
        }
        return image.hostPath(containerPath);
    }

    private boolean check(Probe probe) {
        int timeoutMillis = (probe.getTimeoutSeconds() == null ? 1 : probe.getTimeoutSeconds()) * 1000;
        if (probe.getHttpGet() != null) {
            var get = probe.getHttpGet();
            String host = get.getHost() == null ? podIp : get.getHost();
            String scheme = get.getScheme() == null ? "http" : get.getScheme().toLowerCase();
            String path = get.getPath() == null ? "/" : get.getPath();
            try {
                HttpURLConnection connection = (HttpURLConnection) URI.create(scheme + "://" + host + ":" + port(get.getPort()) + path)
                        .toURL().openConnection();
                connection.setConnectTimeout(timeoutMillis);
                connection.setReadTimeout(timeoutMillis);
                int code = connection.getResponseCode();
                connection.disconnect();
                return code >= 200 && code < 400;
            } catch (IOException e) {
                return false;
            }
        }
        if (probe.getTcpSocket() != null) {
            try (Socket socket = new Socket()) {
                socket.connect(new InetSocketAddress(podIp, port(probe.getTcpSocket().getPort())), timeoutMillis);
                return true;
            } catch (IOException e) {
                return false;
            }
        }
        throw new IllegalStateException(pod + "/" + name() + ": the test kubelet runs httpGet and tcpSocket probes only: " + probe);
    }

    /** A port by number, or by the name of one of the container's ports. */
    private int port(IntOrString port) {
        if (port.getIntVal() != null) {
            return port.getIntVal();
        }
        Function<ContainerPort, Boolean> named = p -> port.getStrVal().equals(p.getName());
        return spec.getPorts().stream().filter(named::apply).findFirst()
                .map(ContainerPort::getContainerPort)
                .orElseThrow(() -> new IllegalStateException(pod + "/" + name() + ": a probe names port " + port.getStrVal()
                        + ", which the container does not declare"));
    }

    private static boolean notEmpty(List<String> list) {
        return list != null && !list.isEmpty();
    }

    /** A probe's schedule and its consecutive results, with Kubernetes' defaults. */
    private static final class ProbeState {
        final Probe probe;
        final long initialDelay;
        final long period;
        final int failureThreshold;
        final int successThreshold;
        long next;
        int failures;
        int successes;

        private ProbeState(Probe probe) {
            this.probe = probe;
            this.initialDelay = Duration.ofSeconds(probe.getInitialDelaySeconds() == null ? 0 : probe.getInitialDelaySeconds()).toNanos();
            this.period = Duration.ofSeconds(probe.getPeriodSeconds() == null ? 10 : probe.getPeriodSeconds()).toNanos();
            this.failureThreshold = probe.getFailureThreshold() == null ? 3 : probe.getFailureThreshold();
            this.successThreshold = probe.getSuccessThreshold() == null ? 1 : probe.getSuccessThreshold();
        }

        static ProbeState of(Probe probe) {
            return probe == null ? null : new ProbeState(probe);
        }

        void reset(long now) {
            next = now + initialDelay;
            failures = 0;
            successes = 0;
        }

        boolean due(long now) {
            return now - next >= 0;
        }

        /** Records a result; answers true once the success threshold is reached, false at the failure threshold, else null. */
        Boolean record(long now, boolean ok) {
            next = now + period;
            if (ok) {
                failures = 0;
                successes++;
                return successes >= successThreshold ? Boolean.TRUE : null;
            }
            successes = 0;
            failures++;
            return failures >= failureThreshold ? Boolean.FALSE : null;
        }
    }
}

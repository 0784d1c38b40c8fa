package io.harperdb.operator.bench;

import io.harperdb.operator.testing.MockKubernetes;
import io.harperdb.operator.testing.pods.OperatorProcess;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The operator as its container runs it ({@link OperatorProcess}: the image's layout, command and ENV), in a JVM of its
 * own with the options the chart would pass in JDK_JAVA_OPTIONS, against the benchmark's mock API server. What the
 * benchmark reads of it comes from outside, as a user would: /metrics (JOSDK's reconcile histogram), /proc (CPU of the
 * whole process, GC and JIT included; peak RSS) and {@code jcmd} (the live heap after a full collection).
 */
final class OperatorInItsOwnJvm implements AutoCloseable {
    private static final Pattern HEAP_USED = Pattern.compile("heap\\s+total\\s+(\\d+)K,\\s+used\\s+(\\d+)K");

    private final OperatorProcess process;
    private final long pid;
    private final URI metrics;
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    private OperatorInItsOwnJvm(OperatorProcess process, long pid, URI metrics) {
        this.process = process;
        this.pid = pid;
        this.metrics = metrics;
    }

    /** Starts it watching {@code namespace} and waits until /metrics answers. */
    static OperatorInItsOwnJvm start(MockKubernetes kubernetes, String namespace, String jvmOptions) throws Exception {
        int port;
        try (ServerSocket free = new ServerSocket(0)) {
            port = free.getLocalPort();
        }
        Map<String, String> env = Map.of(
                "KUBERNETES_MASTER", kubernetes.client().getMasterUrl().toString(),
                "WATCH_NAMESPACES", namespace,
                "LEADER_ELECTION", "false",
                "HOSTNAME", "bench-operator",
                "HTTP_PORT", String.valueOf(port),
                "JDK_JAVA_OPTIONS", jvmOptions);
        OperatorProcess process = OperatorProcess.start("bench-operator", Path.of("target", "bench"), env);
        OperatorInItsOwnJvm operator = new OperatorInItsOwnJvm(process, process.pid(), URI.create("http://127.0.0.1:" + port + "/metrics"));
        long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
        while (true) {
            try {
                operator.scrape();
                return operator;
            } catch (IOException e) {
                if (!process.isAlive() || System.nanoTime() > deadline) {
                    operator.close();
                    throw new IllegalStateException("the operator did not serve /metrics; its log:\n" + process.logTail(40), e);
                }
                Thread.sleep(200);
            }
        }
    }

    String scrape() throws IOException {
        try {
            HttpResponse<String> response = http.send(HttpRequest.newBuilder(metrics).timeout(Duration.ofSeconds(10)).build(),
                    HttpResponse.BodyHandlers.ofString());
            if (response.statusCode() != 200) {
                throw new IOException("/metrics answered " + response.statusCode());
            }
            return response.body();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted", e);
        }
    }

    ReconcileTimes reconcileTimes() {
        try {
            return ReconcileTimes.parse(scrape());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** CPU of the whole process (user and system, every thread: the operator's, its GC's and JIT's), in nanoseconds. */
    long cpuNanos() {
        try {
            String stat = Files.readString(Path.of("/proc", Long.toString(pid), "stat"));
            String[] fields = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
            // after "pid (comm) ": state is field 3, utime 14 and stime 15 (1-based), in clock ticks of 10 ms
            long ticks = Long.parseLong(fields[11]) + Long.parseLong(fields[12]);
            return TimeUnit.MILLISECONDS.toNanos(ticks * 10);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    long procStatusKib(String field) {
        try {
            for (String line : Files.readAllLines(Path.of("/proc", Long.toString(pid), "status"))) {
                if (line.startsWith(field)) {
                    return Long.parseLong(line.substring(field.length()).trim().split("\\s+")[0]);
                }
            }
            return -1;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The heap in use after a full collection ({@code jcmd GC.run}, then {@code GC.heap_info}), in bytes; -1 if unknown. */
    long liveHeap() throws IOException, InterruptedException {
        jcmd("GC.run");
        Matcher m = HEAP_USED.matcher(jcmd("GC.heap_info"));
        return m.find() ? Long.parseLong(m.group(2)) * 1024 : -1;
    }

    private String jcmd(String command) throws IOException, InterruptedException {
        Path jcmd = Path.of(System.getProperty("java.home"), "bin", "jcmd");
        Process p = new ProcessBuilder(List.of(jcmd.toString(), Long.toString(pid), command)).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes());
        p.waitFor(30, TimeUnit.SECONDS);
        return out;
    }

    String logTail(int lines) {
        return process.logTail(lines);
    }

    @Override
    public void close() {
        process.close();
    }
}

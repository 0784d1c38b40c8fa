package io.harperdb.replication.sidecar;

import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Prints the memory the sidecar takes: starts {@link SidecarMain} in a child JVM with the flags the
 * pod uses, against a real HarperDB, scrapes it as Prometheus and the kubelet would, and prints its
 * RSS (from /proc) and heap (from jcmd). A printed figure, not a test: nothing is asserted.
 *
 * <pre>
 * mvn -q test-compile dependency:build-classpath -Dmdep.outputFile=target/classpath.txt
 * java -cp target/classes:target/test-classes:$(cat target/classpath.txt) \
 *   io.harperdb.replication.sidecar.SidecarFootprint http://127.0.0.21:9925 DIR_WITH_USERNAME_AND_PASSWORD 60
 * </pre>
 *
 * The child gets this classpath without the test classes, so it logs with the production logback.xml.
 * Arguments after SECONDS are added to the child's JVM flags.
 */
public final class SidecarFootprint {
    static final List<String> JVM_FLAGS = List.of("-Xmx48m", "-XX:+UseSerialGC", "-Xss256k", "-XX:TieredStopAtLevel=1");
    private static final Pattern HEAP_USED = Pattern.compile("(?:def new generation|tenured generation)\\s+total \\d+K, used (\\d+)K");
    private static final Pattern METASPACE_USED = Pattern.compile("Metaspace\\s+used (\\d+)K");

    private SidecarFootprint() {
    }

    public static void main(String[] args) throws Exception {
        if (args.length < 2) {
            System.err.println("usage: SidecarFootprint HARPERDB_URL CREDENTIALS_DIR [SECONDS [EXTRA_JVM_FLAG...]]");
            System.exit(2);
        }
        String harperdbUrl = args[0];
        Path credentials = Path.of(args[1]);
        int seconds = args.length > 2 ? Integer.parseInt(args[2]) : 60;
        List<String> flags = new java.util.ArrayList<>(JVM_FLAGS);
        // e.g. the pod's own: -XX:ReservedCodeCacheSize=16m -XX:MaxDirectMemorySize=8m -XX:-UsePerfData
        flags.addAll(List.of(args).subList(Math.min(3, args.length), args.length));
        int port = freePort();

        List<String> command = new java.util.ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        command.addAll(flags);
        command.addAll(List.of("-cp", withoutTestClasses(System.getProperty("java.class.path")), SidecarMain.class.getName()));
        ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true)
                .redirectOutput(Files.createTempFile("sidecar-footprint", ".log").toFile());
        builder.environment().put("HARPERDB_URL", harperdbUrl);
        builder.environment().put("HARPERDB_CREDENTIALS_DIR", credentials.toString());
        builder.environment().put("SIDECAR_PORT", Integer.toString(port));
        builder.environment().put("POLL_INTERVAL", "1s");
        Process sidecar = builder.start();
        try {
            HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
            System.out.printf("sidecar pid %d, flags %s, against %s, scraped every second for %d s%n",
                    sidecar.pid(), String.join(" ", flags), harperdbUrl, seconds);
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(seconds);
            int scrapes = 0;
            int metricsBytes = 0;
            while (System.nanoTime() < deadline && sidecar.isAlive()) {
                Thread.sleep(1000);
                for (String path : List.of("/metrics", "/readyz", "/healthz")) {
                    try {
                        HttpResponse<String> response = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
                                .timeout(Duration.ofSeconds(2)).build(), HttpResponse.BodyHandlers.ofString());
                        if (path.equals("/metrics")) {
                            metricsBytes = response.body().length();
                        }
                        scrapes++;
                    } catch (IOException notYetServing) {
                        // the child is still starting
                    }
                }
            }
            String status = Files.readString(Path.of("/proc", Long.toString(sidecar.pid()), "status"), StandardCharsets.UTF_8);
            String heapInfo = run("jcmd", Long.toString(sidecar.pid()), "GC.heap_info");
            long heapUsedKiB = sum(HEAP_USED, heapInfo);
            run("jcmd", Long.toString(sidecar.pid()), "GC.run");
            long liveKiB = sum(HEAP_USED, run("jcmd", Long.toString(sidecar.pid()), "GC.heap_info"));
            System.out.printf("requests answered: %d (last /metrics %d bytes)%n", scrapes, metricsBytes);
            System.out.printf("VmRSS %s, VmHWM %s%n", field(status, "VmRSS"), field(status, "VmHWM"));
            System.out.printf("heap used %d KiB (young + old, garbage included), live after a full GC %d KiB; metaspace used %d KiB%n",
                    heapUsedKiB, liveKiB, sum(METASPACE_USED, heapInfo));
            System.out.printf("threads %s%n", field(status, "Threads"));
        } finally {
            sidecar.destroy();
            sidecar.waitFor(10, TimeUnit.SECONDS);
        }
    }

    private static String withoutTestClasses(String classpath) {
        return java.util.Arrays.stream(classpath.split(java.io.File.pathSeparator))
                .filter(entry -> !entry.endsWith("test-classes") && !entry.endsWith("test-classes/"))
                .collect(java.util.stream.Collectors.joining(java.io.File.pathSeparator));
    }

    private static String field(String procStatus, String name) {
        Matcher m = Pattern.compile("(?m)^" + name + ":\\s+(.+)$").matcher(procStatus);
        return m.find() ? m.group(1).trim() : "?";
    }

    private static long sum(Pattern pattern, String text) {
        Matcher m = pattern.matcher(text);
        long total = 0;
        while (m.find()) {
            total += Long.parseLong(m.group(1));
        }
        return total;
    }

    private static String run(String... command) throws IOException, InterruptedException {
        Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        process.waitFor(30, TimeUnit.SECONDS);
        return output;
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }
}

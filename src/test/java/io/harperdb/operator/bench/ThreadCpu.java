package io.harperdb.operator.bench;

import java.lang.management.ManagementFactory;
import java.lang.management.ThreadInfo;
import java.lang.management.ThreadMXBean;
import java.util.HashMap;
import java.util.Map;
import java.util.TreeMap;

/**
 * CPU time by whose threads spent it, for a JVM that holds the operator, the Fabric8 mock API server and the simulated
 * fleet: threads are told apart by name. The fleet's are {@code fleet-*} (its handlers), and {@code HTTP-Dispatcher}
 * and {@code idle-timeout-task} (one each per member's HttpServer); the mock API server's are Vert.x's ({@code vert.x-*}, {@code vertx-*}; the operator's
 * Kubernetes client is OkHttp); the JVM's own service threads (reference handler and the like); {@code main} is the benchmark;
 * every other thread is the operator's (JOSDK's executors and informers, OkHttp, the HarperDB observers). The GC and JIT
 * compiler threads are not listed as Java threads: their time is the process total less all Java threads' ("GC and JIT"). A thread that ends between two snapshots loses its time since the
 * first (the operator's pools keep idle threads for 60 s, longer than a poll).
 */
final class ThreadCpu {
    static final String OPERATOR = "operator";
    static final String FLEET = "fleet";
    static final String MOCK_API = "mock API server";
    static final String JVM = "JVM service threads";
    static final String GC_AND_JIT = "GC and JIT";
    static final String BENCHMARK = "benchmark";

    private static final ThreadMXBean THREADS = ManagementFactory.getThreadMXBean();

    private record Sample(String owner, long cpuNanos) {
    }

    private final Map<Long, Sample> byThread;
    private final long processNanos;

    private ThreadCpu(Map<Long, Sample> byThread, long processNanos) {
        this.byThread = byThread;
        this.processNanos = processNanos;
    }

    static ThreadCpu snapshot() {
        if (!THREADS.isThreadCpuTimeEnabled()) {
            THREADS.setThreadCpuTimeEnabled(true);
        }
        Map<Long, Sample> samples = new HashMap<>();
        for (ThreadInfo info : THREADS.getThreadInfo(THREADS.getAllThreadIds())) {
            if (info == null) {
                continue;   // ended meanwhile
            }
            long cpu = THREADS.getThreadCpuTime(info.getThreadId());
            if (cpu >= 0) {
                samples.put(info.getThreadId(), new Sample(owner(info.getThreadName()), cpu));
            }
        }
        return new ThreadCpu(samples,
                ((com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean()).getProcessCpuTime());
    }

    static String owner(String threadName) {
        if (threadName.startsWith("fleet-") || threadName.equals("HTTP-Dispatcher") || threadName.equals("idle-timeout-task")) {
            return FLEET;
        }
        if (threadName.startsWith("vert.x-") || threadName.startsWith("vertx-")) {
            return MOCK_API;
        }
        if (threadName.equals("main")) {
            return BENCHMARK;
        }
        if (threadName.equals("Reference Handler") || threadName.equals("Finalizer")
                || threadName.equals("Signal Dispatcher") || threadName.equals("Common-Cleaner") || threadName.equals("Notification Thread")
                || threadName.equals("Service Thread") || threadName.equals("Attach Listener") || threadName.startsWith("Sweeper")
                || threadName.equals("Monitor Deflation Thread")) {
            return JVM;
        }
        return OPERATOR;
    }

    /** Nanoseconds of CPU by owner since {@code earlier}, "GC and JIT", and "process" (all of it). */
    Map<String, Long> since(ThreadCpu earlier) {
        Map<String, Long> spent = new TreeMap<>();
        long javaThreads = 0;
        for (Map.Entry<Long, Sample> e : byThread.entrySet()) {
            Sample before = earlier.byThread.get(e.getKey());
            long delta = e.getValue().cpuNanos - (before == null ? 0 : before.cpuNanos);
            spent.merge(e.getValue().owner, delta, Long::sum);
            javaThreads += delta;
        }
        spent.put("process", processNanos - earlier.processNanos);
        spent.put(GC_AND_JIT, Math.max(0, processNanos - earlier.processNanos - javaThreads));
        return spent;
    }
}

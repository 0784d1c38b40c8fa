package io.harperdb.replication.sidecar;

import java.util.concurrent.CountDownLatch;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Entry point of the replication sidecar (same jar and image as the operator, its own command):
 * {@code java -Xmx48m -XX:+UseSerialGC -Xss256k -XX:TieredStopAtLevel=1 -cp app.jar
 * io.harperdb.replication.sidecar.SidecarMain}. Settings come from the environment, see
 * {@link SidecarConfig}.
 *
 * <p>Footprint (FOOTPRINT_PLACEHOLDER)
 */
public final class SidecarMain {
    private static final Logger LOG = LoggerFactory.getLogger(SidecarMain.class);

    private SidecarMain() {
    }

    public static void main(String[] args) throws Exception {
        SidecarConfig config;
        try {
            config = SidecarConfig.fromEnv(System.getenv());
        } catch (IllegalArgumentException e) {
            LOG.error("Invalid configuration: {}", e.getMessage());
            System.exit(2);
            return;
        }
        ReplicationSidecar sidecar = ReplicationSidecar.start(config);
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            sidecar.close();
            stopped.countDown();
        }, "shutdown"));
        stopped.await();
    }
}

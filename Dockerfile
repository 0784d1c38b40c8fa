# The operator image; it also runs the replication sidecar of managed HarperDB pods:
#   operator (default):  io.harperdb.operator.Main
#   sidecar:             args: ["io.harperdb.replication.sidecar.SidecarMain"]
# Build it with `make image`, which packages the jar and its libraries first (target/lib/): this file
# copies them and builds nothing, so the only thing it needs from outside is the base image.
# The layout below (WORKDIR, the two COPY destinations, ENTRYPOINT, CMD) is what
# io.harperdb.operator.resources.ImageLayout says, and the sidecar's container command relies on it:
# ImageLayoutTest fails when the two diverge.
FROM eclipse-temurin:17-jre

LABEL org.opencontainers.image.title="harperdb-operator" \
      org.opencontainers.image.description="Kubernetes operator for HarperDB clusters, and its replication sidecar" \
      org.opencontainers.image.source="https://github.com/harperdb-operator/harperdb-operator"

WORKDIR /app
COPY target/lib/ /app/lib/
# The jar's manifest names lib/*.jar (Class-Path), so the jar alone is the class path.
COPY target/harperdb-operator-*.jar /app/app.jar

# A numeric non-root user, so that Kubernetes can check runAsNonRoot; the chart runs it with the same IDs.
USER 65532:65532
# No home directory for this user: keep the JVM's user.home and temporary files in /tmp, the only
# writable place under a read-only root filesystem (an emptyDir in the chart).
ENV JAVA_TOOL_OPTIONS="-Duser.home=/tmp -Djava.io.tmpdir=/tmp"

EXPOSE 8080
ENTRYPOINT ["java", "-cp", "/app/app.jar"]
CMD ["io.harperdb.operator.Main"]

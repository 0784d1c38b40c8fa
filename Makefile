# Thin wrappers over Maven and scripts; see README.md.
MVN ?= mvn -B -ntp
HARPERDB_VERSION ?= 4.7.29
HARPERDB_DIR ?= .harperdb
VERSION := $(shell grep -m1 '<version>' pom.xml | sed 's/.*<version>\(.*\)<\/version>.*/\1/')
JAR := target/harperdb-operator-$(VERSION).jar
IMAGE ?= ghcr.io/harperdb-operator/harperdb-operator
IMAGE_TAG ?= $(shell sed -n 's/^appVersion: *"*\([^"]*\)"*$$/\1/p' helm/harperdb-operator/Chart.yaml)
DOCKER ?= docker
# Runs a test-scope generator (a main class under src/test) with the test class path.
EXEC_TEST_MAIN = $(MVN) -q test-compile org.codehaus.mojo:exec-maven-plugin:3.5.0:java -Dexec.classpathScope=test -Dexec.mainClass=

.PHONY: build test demo run harperdb promtool clean crds bench deploy docs generate image

build:
	$(MVN) package -DskipTests

# Installs the real HarperDB the tests run (once) and promtool (for the alert rules' tests), then runs every test.
test: harperdb promtool
	$(MVN) verify -Dharperdb.install.dir=$(abspath $(HARPERDB_DIR))

# The operator on an embedded default: an in-process Kubernetes API (the Fabric8 mock server), local
# HarperDB instances standing in for the pods, and examples/managed-cluster.yaml applied. Ctrl-C stops it;
# DEMO_ARGS="--for 5m" bounds it, "--until-ready" stops at Ready (exit 2 if --for ends first).
DEMO_ARGS ?=
demo: harperdb
	$(MVN) -q package -DskipTests
	$(EXEC_TEST_MAIN)io.harperdb.operator.demo.Demo -Dharperdb.install.dir=$(abspath $(HARPERDB_DIR)) -Dexec.args="$(DEMO_ARGS)"

# Builds, then runs the operator against the current kube context (leader election is off outside a
# cluster; WATCH_NAMESPACES and the other settings of OperatorSettings apply).
run:
	$(MVN) -q package -DskipTests
	java -jar $(JAR)

harperdb:
	scripts/install-harperdb.sh $(HARPERDB_DIR) $(HARPERDB_VERSION)

promtool:
	scripts/install-promtool.sh

# Figures, not tests (see BENCHMARKS.md): the planner's time and allocation per plan (PlannerBenchmark), then the
# whole operator on the mock API against a simulated fleet (FleetBenchmark; members on loopback addresses from
# 127.55.0.1), then three real HarperDB instances forming a mesh through the operator and by the raw calls
# (MeshFormationBenchmark). Each runs in a JVM of its own. BENCH_PLANNER="1000" or BENCH_FLEET="10 100 1000" choose the
# sizes; BENCH_FLEET_OPTS passes -Xmx and the fleet.* properties (fleet.poll, fleet.idlePolls, fleet.members,
# fleet.firstAddress); BENCH_MESH_OPTS the fixture's (harperdb.test.firstAddress, harperdb.test.workDir) and mesh.trials.
# BENCH_PARTS="fleet" runs some parts only (planner, fleet, fleet1000, mesh). BENCH_OPERATOR_JVM="-Xmx256m" runs the fleet's
# operator as its container does, in a JVM of its own with that option (the image's layout from the packaged jar), instead of
# in the benchmark's. fleet1000 is the issue's figure: 1,000 clusters of 3 polled every 10 s, the operator alone in a JVM of
# its own at -Xmx256m (BENCH_FLEET1000_OPTS); 3,000 simulated members need about 9,200 open files, so it raises the soft
# limit to the hard one, and stops with the number to set when that is too low. It runs last, being the longest.
BENCH_PLANNER ?= 10 100 1000 5000
BENCH_FLEET ?= 10 100
BENCH_FLEET_OPTS ?= -Xmx512m
# 5,000 members in a full mesh are 25 million observed records: the input alone takes about 2 GB
BENCH_PLANNER_OPTS ?= -Xmx4g
BENCH_MESH_OPTS ?=
BENCH_OPERATOR_JVM ?=
BENCH_FLEET1000_OPTS ?= -Xmx1g -Dfleet.poll=10s -Dfleet.idlePolls=10 -Dfleet.operatorJvm=-Xmx256m
BENCH_PARTS ?= planner fleet fleet1000 mesh
EXEC_TEST_JVM = $(MVN) -q org.codehaus.mojo:exec-maven-plugin:3.5.0:exec -Dexec.classpathScope=test -Dexec.executable=java
bench: $(if $(filter mesh,$(BENCH_PARTS)),harperdb)
	$(MVN) -q package -DskipTests
	$(if $(filter planner,$(BENCH_PARTS)),$(EXEC_TEST_JVM) -Dexec.args="$(BENCH_PLANNER_OPTS) -cp %classpath io.harperdb.replication.plan.PlannerBenchmark $(BENCH_PLANNER)")
	$(if $(filter fleet,$(BENCH_PARTS)),$(EXEC_TEST_JVM) -Dexec.args="$(BENCH_FLEET_OPTS) $(if $(BENCH_OPERATOR_JVM),-Dfleet.operatorJvm=$(BENCH_OPERATOR_JVM)) -cp %classpath io.harperdb.operator.bench.FleetBenchmark $(BENCH_FLEET)")
	$(if $(filter mesh,$(BENCH_PARTS)),$(EXEC_TEST_JVM) -Dexec.args="-Dharperdb.install.dir=$(abspath $(HARPERDB_DIR)) $(BENCH_MESH_OPTS) -cp %classpath io.harperdb.operator.bench.MeshFormationBenchmark")
	$(if $(filter fleet1000,$(BENCH_PARTS)),ulimit -n $$(ulimit -Hn) && $(EXEC_TEST_JVM) -Dexec.args="$(BENCH_FLEET1000_OPTS) -cp %classpath io.harperdb.operator.bench.FleetBenchmark 1000")

clean:
	$(MVN) clean

# Regenerates crds/ from the classes in io.harperdb.operator.api (CrdsInSyncTest fails when it is stale).
crds:
	$(MVN) process-classes
	mkdir -p crds
	rm -f crds/*.yml
	cp target/classes/META-INF/fabric8/*.yml crds/
	rm -f helm/harperdb-operator/crds/*.yml
	cp crds/*.yml helm/harperdb-operator/crds/

# Renders deploy/harperdb-operator.yaml from the chart with its default values (DeployManifestTest fails when it is stale).
deploy:
	$(EXEC_TEST_MAIN)io.harperdb.operator.helm.DeployManifest

# Regenerates docs/reference.md from the CRDs (ReferenceDocTest fails when it is stale).
docs:
	$(EXEC_TEST_MAIN)io.harperdb.operator.docs.ReferenceDoc

# Everything generated from the api classes, in order: CRDs (top-level and the chart's), deploy/, docs/.
generate: crds deploy docs

# The operator image (it also runs the sidecar). Needs a container engine and the base image's registry
# (eclipse-temurin:17-jre from Docker Hub), so CI does not build it.
image:
	@command -v $(DOCKER) >/dev/null 2>&1 || { echo "make image: '$(DOCKER)' is not installed; it needs Docker, or DOCKER=podman" >&2; exit 1; }
	@$(DOCKER) info >/dev/null 2>&1 || { echo "make image: '$(DOCKER) info' fails: it needs a running container engine (Docker daemon or podman)" >&2; exit 1; }
	$(MVN) clean package -DskipTests
	$(DOCKER) build -t $(IMAGE):$(IMAGE_TAG) . || { echo "make image: the build failed; it pulls eclipse-temurin:17-jre from Docker Hub (docker.io), so it needs that registry or a mirror of it" >&2; exit 1; }
	@echo "built $(IMAGE):$(IMAGE_TAG); the sidecar runs from it with args [io.harperdb.replication.sidecar.SidecarMain]"

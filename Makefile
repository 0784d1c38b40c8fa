# Thin wrappers over Maven and scripts; see README.md.
MVN ?= mvn -B -ntp
HARPERDB_VERSION ?= 4.7.29
HARPERDB_DIR ?= .harperdb

.PHONY: build test run harperdb clean crds bench

build:
	$(MVN) package -DskipTests

# Installs the real HarperDB the tests run (once), then runs every test.
test: harperdb
	$(MVN) verify -Dharperdb.install.dir=$(abspath $(HARPERDB_DIR))

harperdb:
	scripts/install-harperdb.sh $(HARPERDB_DIR) $(HARPERDB_VERSION)

# Planner time and allocation per plan for 10, 100 and 1000 members (a main, not a test).
bench:
	$(MVN) -q test-compile exec:java -Dexec.classpathScope=test -Dexec.mainClass=io.harperdb.replication.plan.PlannerBenchmark

clean:
	$(MVN) clean

# Regenerates crds/ from the classes in io.harperdb.operator.api (CrdsInSyncTest fails when it is stale).
crds:
	$(MVN) process-classes
	mkdir -p crds
	rm -f crds/*.yml
	cp target/classes/META-INF/fabric8/*.yml crds/

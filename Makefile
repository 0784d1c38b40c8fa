# Thin wrappers over Maven and scripts; see README.md.
MVN ?= mvn -B -ntp
HARPERDB_VERSION ?= 4.7.29
HARPERDB_DIR ?= .harperdb
VERSION := $(shell grep -m1 '<version>' pom.xml | sed 's/.*<version>\(.*\)<\/version>.*/\1/')
JAR := target/harperdb-operator-$(VERSION).jar

.PHONY: build test run harperdb clean crds

build:
	$(MVN) package -DskipTests

# Installs the real HarperDB the tests run (once), then runs every test.
test: harperdb
	$(MVN) verify -Dharperdb.install.dir=$(abspath $(HARPERDB_DIR))

# Builds, then runs the operator against the current kube context (leader election is off outside a
# cluster; WATCH_NAMESPACES and the other settings of OperatorSettings apply).
run:
	$(MVN) -q package -DskipTests
	java -jar $(JAR)

harperdb:
	scripts/install-harperdb.sh $(HARPERDB_DIR) $(HARPERDB_VERSION)

clean:
	$(MVN) clean

# Regenerates crds/ from the classes in io.harperdb.operator.api (CrdsInSyncTest fails when it is stale).
crds:
	$(MVN) process-classes
	mkdir -p crds
	rm -f crds/*.yml
	cp target/classes/META-INF/fabric8/*.yml crds/

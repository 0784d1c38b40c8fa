# Thin wrappers over Maven and scripts; see README.md.
MVN ?= mvn -B -ntp
HARPERDB_VERSION ?= 4.7.29
HARPERDB_DIR ?= .harperdb

.PHONY: build test run harperdb clean

build:
	$(MVN) package -DskipTests

# Installs the real HarperDB the tests run (once), then runs every test.
test: harperdb
	$(MVN) verify -Dharperdb.install.dir=$(abspath $(HARPERDB_DIR))

harperdb:
	scripts/install-harperdb.sh $(HARPERDB_DIR) $(HARPERDB_VERSION)

clean:
	$(MVN) clean

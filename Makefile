# GridWatch: the two commands are `make run` and `make test`.
MVN ?= mvn -B

.PHONY: build test run incident clean help

help:
	@echo "make run      start the local stack, every service and the gateway simulator (Ctrl-C stops all)"
	@echo "make test     build and run every test, end to end against real Kafka, MQTT and PostgreSQL"
	@echo "make build    build everything, skipping tests"
	@echo "make incident NAME=high-heart-rate DEVICE=mat-b1-101   inject an incident while 'make run' runs"
	@echo "make clean    remove build output and the local stack's data (.local)"

build:
	$(MVN) -q install -DskipTests

test:
	$(MVN) verify

run:
	deploy/run-local.sh

NAME ?= high-heart-rate
DEVICE ?= mat-b1-101
incident:
	@curl -fsS -X POST "http://localhost:$${GRIDWATCH_SIMULATOR_PORT:-8090}/incidents?name=$(NAME)&device=$(DEVICE)"

clean:
	$(MVN) -q clean
	rm -rf .local

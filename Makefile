# GridWatch: the two commands are `make run` and `make test`.
MVN ?= mvn -B

.PHONY: build test chaos run incident eval bench bench-detection bench-alerting bench-dispatch bench-storage bench-console bench-mqtt-auth detection-tools dispatch-tools telemetry-tools system-tools clean help

help:
	@echo "make run      start the local stack, every service and the gateway simulator (Ctrl-C stops all)"
	@echo "make test     build and run every test, end to end against real Kafka, MQTT and PostgreSQL"
	@echo "make build    build everything, skipping tests"
	@echo "make chaos    the fault drills at full size: Kafka, the MQTT broker and PostgreSQL killed mid-stream,"
	@echo "              detection's state lost (make test runs them short)"
	@echo "make incident NAME=high-heart-rate DEVICE=mat-b1-101   inject an incident while 'make run' runs"
	@echo "make eval     score detection on a labelled corpus (EVAL_ARGS=\"--residents 200 --days 2\"); table + CSV"
	@echo "make bench    detection throughput and latency (100,000 devices), then alert routing's detection-to-console"
	@echo "              latency at 1,000 detections/s, then the assignment decision with 10,000 workers and"
	@echo "              100,000 open tasks, then telemetry's readings/s against psql's copy; one at a time:"
	@echo "              make bench-detection, bench-alerting, bench-dispatch, bench-storage"
	@echo "make bench-console   the live board in a browser with 500 open alerts (load time, JavaScript, new alert shown)"
	@echo "make bench-mqtt-auth what the broker's security costs: connects/s and messages/s with and without it"
	@echo "make clean    remove build output and the local stack's data (.local)"

build:
	$(MVN) -q install -DskipTests

test:
	$(MVN) verify

# The fault drills of make test at full size (10,000 readings at 500/s each), and nothing else.
chaos: build
	$(MVN) verify -pl services/system-tests -Dgridwatch.chaos=full -DskipSystemTests=true

run:
	deploy/run-local.sh

NAME ?= high-heart-rate
DEVICE ?= mat-b1-101
incident:
	@curl -fsS -X POST "http://localhost:$${GRIDWATCH_SIMULATOR_PORT:-8090}/incidents?name=$(NAME)&device=$(DEVICE)"

# Generates the labelled corpus (200 residents, 20 elevators, 2 days by default) and replays it
# through the detection topology; prints per-rule accuracy and writes target/corpus/eval.csv.
EVAL_ARGS ?=
DETECTION_TEST_CP = services/detection/target/test-classes:services/detection/target/classes:$$(cat services/detection/target/tools.classpath)
detection-tools:
	$(MVN) -q install -DskipTests -pl services/detection,deploy/local-stack -am
	$(MVN) -q -pl services/detection dependency:build-classpath -Dmdep.includeScope=test -Dmdep.outputFile=target/tools.classpath

eval: detection-tools
	java -Xmx4g -cp "$(DETECTION_TEST_CP)" org.gridwatch.detection.eval.Evaluation \
	  --corpus target/corpus --regenerate true --registry-data services/registry/src/main/resources \
	  --csv target/corpus/eval.csv $(EVAL_ARGS)

# Detection alone on a real Kafka broker (started by the local stack launcher): a backlog for
# throughput, then a steady rate for latency. Writes target/bench/detection.txt.
BENCH_ARGS ?=
bench: bench-detection bench-alerting bench-dispatch bench-storage

bench-detection: detection-tools
	java -Xmx3g -cp "$(DETECTION_TEST_CP)" org.gridwatch.detection.bench.DetectionBenchmark \
	  --registry-data services/registry/src/main/resources --report target/bench/detection.txt $(BENCH_ARGS)

# Alert routing as a process (with the registry) on the local stack: detections at a steady rate
# to the live-feed frame at a console. Writes target/bench/alert-routing.txt. The benchmark's own
# heap is fixed, so that its collections (pauses of its console) stay rare.
ALERT_BENCH_ARGS ?=
SYSTEM_TEST_CP = services/system-tests/target/test-classes:$$(cat services/system-tests/target/tools.classpath)
bench-alerting: system-tools
	java -Xms1g -Xmx1g -cp "$(SYSTEM_TEST_CP)" org.gridwatch.systemtests.AlertRoutingBenchmark \
	  --report target/bench/alert-routing.txt $(ALERT_BENCH_ARGS)

# The live board in a real browser with 500 open alerts: load time (Navigation Timing), JavaScript
# per page, and how soon a new alert shows. Needs Debian's chromium and chromium-driver.
# Writes target/bench/console.txt.
CONSOLE_BENCH_ARGS ?=
bench-console: system-tools
	java -Xms512m -Xmx512m -cp "$(SYSTEM_TEST_CP)" org.gridwatch.systemtests.ConsoleBoardBenchmark \
	  --report target/bench/console.txt $(CONSOLE_BENCH_ARGS)

# What the MQTT broker's security costs: the same embedded HiveMQ with an allow-all authenticator and
# with GridWatch's (connects/s first and again, messages/s to the bridge's shared subscription).
# Writes target/bench/mqtt-auth.txt.
MQTT_AUTH_BENCH_ARGS ?=
LOCAL_STACK_TEST_CP = deploy/local-stack/target/test-classes:deploy/local-stack/target/classes:$$(cat deploy/local-stack/target/tools.classpath)
bench-mqtt-auth:
	$(MVN) -q install -DskipTests -pl deploy/local-stack -am
	$(MVN) -q -pl deploy/local-stack test-compile dependency:build-classpath -Dmdep.includeScope=test \
	  -Dmdep.outputFile=target/tools.classpath
	java -Xms1g -Xmx1g -cp "$(LOCAL_STACK_TEST_CP)" org.gridwatch.localstack.mqttauth.MqttAuthBenchmark \
	  --report target/bench/mqtt-auth.txt $(MQTT_AUTH_BENCH_ARGS)

# The assignment decision against PostgreSQL (a database of its own on the local stack) holding a
# city of 10,000 workers and 100,000 open tasks. Writes target/bench/dispatch.txt.
DISPATCH_BENCH_ARGS ?=
DISPATCH_TEST_CP = services/grid-dispatch/target/test-classes:services/grid-dispatch/target/classes:$$(cat services/grid-dispatch/target/tools.classpath)
bench-dispatch: dispatch-tools
	java -Xmx1g -cp "$(DISPATCH_TEST_CP)" org.gridwatch.dispatch.store.AssignmentBenchmark \
	  --report target/bench/dispatch.txt $(DISPATCH_BENCH_ARGS)

dispatch-tools:
	$(MVN) -q install -DskipTests -pl services/grid-dispatch,deploy/local-stack -am
	$(MVN) -q -pl services/grid-dispatch dependency:build-classpath -Dmdep.includeScope=test -Dmdep.outputFile=target/tools.classpath

# Readings/s through telemetry's writer into PostgreSQL (a database of its own on the local stack),
# wide and narrow layouts, against psql \copy of the same rows. Writes target/bench/storage.txt.
STORAGE_BENCH_ARGS ?=
TELEMETRY_TEST_CP = services/telemetry/target/test-classes:services/telemetry/target/classes:$$(cat services/telemetry/target/tools.classpath)
bench-storage: telemetry-tools
	java -Xmx3g -cp "$(TELEMETRY_TEST_CP)" org.gridwatch.telemetry.bench.StorageBenchmark \
	  --report target/bench/storage.txt $(STORAGE_BENCH_ARGS)

telemetry-tools:
	$(MVN) -q install -DskipTests -pl services/telemetry,deploy/local-stack -am
	$(MVN) -q -pl services/telemetry dependency:build-classpath -Dmdep.includeScope=test -Dmdep.outputFile=target/tools.classpath

system-tools:
	$(MVN) -q install -DskipTests
	$(MVN) -q -pl services/system-tests test-compile dependency:build-classpath -Dmdep.includeScope=test \
	  -Dmdep.outputFile=target/tools.classpath

clean:
	$(MVN) -q clean
	rm -rf .local

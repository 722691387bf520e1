package org.gridwatch.telemetry.bench;

import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Proxy;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.TimeUnit;

import javax.sql.DataSource;

import org.flywaydb.core.Flyway;
import org.gridwatch.telemetry.store.CopyWriter;
import org.gridwatch.testsupport.BenchArgs;
import org.gridwatch.testsupport.Endpoints;
import org.gridwatch.testsupport.Infrastructure;
import org.postgresql.ds.PGSimpleDataSource;

/**
 * Readings per second into PostgreSQL through telemetry's writer ({@link CopyWriter}: COPY into a
 * staging table, then an idempotent move), in batches as Kafka hands them over, for the two ways
 * of laying readings out: wide (one row per reading, its values as jsonb) and narrow (one row per
 * value); and the same narrow rows loaded by {@code psql \copy} from a file into a bare table with
 * the same key, as the practical limit of the machine. In a database of its own on the local
 * stack. Run by {@code make bench}; writes a report.
 *
 * <p>Arguments: {@code --readings 600000} from {@code --devices 10000}, {@code --batch 5000} (as the service polls),
 * {@code --runs 3}, {@code --report target/bench/storage.txt}, {@code --psql psql}.
 */
public final class StorageBenchmark {

    /** A reading as the writer gets it: a device's values at a time. */
    record Reading(Instant observedAt, String deviceId, String eventId, String gatewayId, String sensorType,
                   Instant receivedAt, Map<String, Double> values) {
    }

    /** One value of a reading: the narrow layout's row. */
    record Value(Instant observedAt, String deviceId, String metric, double value, String eventId, Instant receivedAt) {
    }

    private static final Map<String, List<String>> METRICS = new LinkedHashMap<>();

    static {
        METRICS.put("mattress", List.of("heartRate", "respirationRate", "inBed", "movement"));
        METRICS.put("smoke", List.of("smoke", "battery"));
        METRICS.put("electrical-fire", List.of("residualCurrent", "temperatureA", "temperatureB", "temperatureC"));
        METRICS.put("door-contact", List.of("open"));
        METRICS.put("infrared", List.of("presence", "battery"));
    }

    private StorageBenchmark() {
    }

    public static void main(String[] args) throws Exception {
        Map<String, String> options = BenchArgs.options(args);
        int count = Integer.parseInt(options.getOrDefault("readings", "600000"));
        int devices = Integer.parseInt(options.getOrDefault("devices", "10000"));
        int batch = Integer.parseInt(options.getOrDefault("batch", "5000"));
        int runs = Integer.parseInt(options.getOrDefault("runs", "3"));
        Path report = Path.of(options.getOrDefault("report", "target/bench/storage.txt"));
        String psql = options.getOrDefault("psql", "psql");

        Endpoints endpoints = Infrastructure.get();
        String url = Infrastructure.database("gridwatch_storage_bench");
        Flyway.configure().dataSource(url, endpoints.jdbcUser(), endpoints.jdbcPassword()).schemas("telemetry")
                .defaultSchema("telemetry").cleanDisabled(false).load().clean();
        Flyway.configure().dataSource(url, endpoints.jdbcUser(), endpoints.jdbcPassword()).schemas("telemetry")
                .defaultSchema("telemetry").load().migrate();
        PGSimpleDataSource unpooled = new PGSimpleDataSource();
        unpooled.setUrl(url);
        unpooled.setUser(endpoints.jdbcUser());
        unpooled.setPassword(endpoints.jdbcPassword());
        // One connection kept open, as the service's pool keeps them: the writer is measured, not log-ins.
        DataSource dataSource = oneConnection(unpooled.getConnection());

        List<Reading> readings = readings(count, devices);
        List<Value> values = new ArrayList<>();
        readings.forEach(r -> r.values().forEach((metric, value) ->
                values.add(new Value(r.observedAt(), r.deviceId(), metric, value, r.eventId(), r.receivedAt()))));
        Path csv = Files.createTempFile("gridwatch-narrow-", ".csv");
        writeCsv(values, csv);

        CopyWriter<Reading> wide = new CopyWriter<>("readings", "public.bench_wide", List.of("observed_at",
                "device_id", "event_id", "gateway_id", "sensor_type", "received_at", "\"values\""),
                (r, out) -> out.time(r.observedAt()).text(r.deviceId()).text(r.eventId()).text(r.gatewayId())
                        .text(r.sensorType()).time(r.receivedAt()).text(json(r.values())));
        // Narrow is the service's own table, made by its migrations, with the columns its writer fills.
        CopyWriter<Value> narrow = new CopyWriter<>("reading values", "telemetry.reading_value", List.of("observed_at",
                "device_id", "metric", "value", "event_id", "received_at"),
                (v, out) -> out.time(v.observedAt()).text(v.deviceId()).text(v.metric()).number(v.value())
                        .text(v.eventId()).time(v.receivedAt()));

        CopyWriter<Reading> meta = new CopyWriter<>("reading facts", "public.bench_meta", List.of("observed_at",
                "device_id", "event_id", "gateway_id", "sensor_type", "received_at"),
                (r, out) -> out.time(r.observedAt()).text(r.deviceId()).text(r.eventId()).text(r.gatewayId())
                        .text(r.sensorType()).time(r.receivedAt()));

        StringBuilder out = new StringBuilder();
        out.append(String.format("Telemetry storage, readings/s into plain PostgreSQL%n"));
        out.append(String.format("Data: %,d readings of %,d devices (%,d values, %.2f per reading), batches of %,d "
                + "readings; %d runs each, median reported%n", count, devices, values.size(),
                values.size() / (double) count, batch, runs));
        List<Double> wideRates = new ArrayList<>();
        List<Double> narrowRates = new ArrayList<>();
        List<Double> copyRates = new ArrayList<>();
        List<Double> splitRates = new ArrayList<>();
        long wideBytes = 0;
        long narrowBytes = 0;
        for (int run = 0; run < runs; run++) {
            reset(dataSource);
            wideRates.add(count / seconds(() -> writeInBatches(wide, dataSource, readings, batch)));
            // A batch of readings is all their values.
            narrowRates.add(count / seconds(() -> writeInBatches(narrow, dataSource, values,
                    (int) Math.round((double) batch * values.size() / count))));
            copyRates.add(count / seconds(() -> psqlCopy(psql, endpoints, url, csv)));
            // Split: a row of facts per reading (event id, gateway, type, received) and a row per value.
            try (Connection connection = dataSource.getConnection(); Statement sql = connection.createStatement()) {
                sql.execute("TRUNCATE telemetry.reading_value");
            }
            int valueBatch = (int) Math.round((double) batch * values.size() / count);
            splitRates.add(count / seconds(() -> {
                for (int from = 0, v = 0; from < readings.size(); from += batch, v += valueBatch) {
                    meta.write(dataSource, readings.subList(from, Math.min(readings.size(), from + batch)));
                    narrow.write(dataSource, values.subList(Math.min(values.size(), v),
                            Math.min(values.size(), v + valueBatch)));
                }
            }));
            wideBytes = size(dataSource, "bench_wide");
            narrowBytes = size(dataSource, "telemetry.reading_value");
            System.out.printf("run %d: wide %,.0f, narrow %,.0f, split %,.0f, \\copy %,.0f readings/s%n", run + 1,
                    wideRates.get(run), narrowRates.get(run), splitRates.get(run), copyRates.get(run));
        }
        // A redelivered batch stores nothing twice.
        int again = narrow.copy(dataSource, values.subList(0, Math.min(values.size(), batch * 3)));
        double wideRate = median(wideRates);
        double narrowRate = median(narrowRates);
        double copyRate = median(copyRates);
        out.append(String.format("Wide (jsonb values), writer:   %,10.0f readings/s  (runs %s), table and indexes "
                + "%,d MB%n", wideRate, rounded(wideRates), wideBytes >> 20));
        out.append(String.format("Narrow (a row per value), writer: %,7.0f readings/s  (runs %s), table and indexes "
                + "%,d MB%n", narrowRate, rounded(narrowRates), narrowBytes >> 20));
        out.append(String.format("Split (facts + values), writer: %,8.0f readings/s  (runs %s)%n",
                median(splitRates), rounded(splitRates)));
        out.append(String.format("Narrow rows by psql \\copy:      %,9.0f readings/s  (runs %s)%n", copyRate,
                rounded(copyRates)));
        out.append(String.format("Narrow writer / \\copy: %.0f %% (goal: at least 50,000 readings/s and 60 %%)%n",
                100 * narrowRate / copyRate));
        out.append(String.format("Redelivery of %,d values already stored: %d new rows%n",
                Math.min(values.size(), batch * 3), again));
        System.out.print(out);
        Files.createDirectories(report.toAbsolutePath().getParent());
        Files.writeString(report, out.toString());
        System.out.println("Written to " + report);
        Files.deleteIfExists(csv);
        System.exit(0);
    }

    private static <T> void writeInBatches(CopyWriter<T> writer, DataSource dataSource, List<T> rows,
                                           int batch) throws Exception {
        for (int from = 0; from < rows.size(); from += batch) {
            List<CopyWriter.Failed<T>> failed = writer.write(dataSource, rows.subList(from,
                    Math.min(rows.size(), from + batch)));
            if (!failed.isEmpty()) {
                throw new IllegalStateException("Rows not stored: " + failed.get(0));
            }
        }
    }

    private static void psqlCopy(String psql, Endpoints endpoints, String url, Path csv) throws Exception {
        // jdbc:postgresql://host:port/db -> postgresql://user:password@host:port/db
        String uri = url.replaceFirst("^jdbc:postgresql://", "postgresql://" + endpoints.jdbcUser() + ":"
                + endpoints.jdbcPassword() + "@");
        Process process;
        try {
            process = new ProcessBuilder(psql, uri, "-v", "ON_ERROR_STOP=1", "-c",
                "\\copy bench_copy (observed_at, device_id, metric, value, event_id, received_at) FROM '" + csv + "' WITH (FORMAT csv)")
                .redirectErrorStream(true).start();
        } catch (java.io.IOException e) {
            throw new IllegalStateException("psql is needed for the \\copy baseline (Debian: apt-get install "
                    + "postgresql-client), or name it with --psql: " + e.getMessage(), e);
        }
        String output = new String(process.getInputStream().readAllBytes());
        if (!process.waitFor(10, TimeUnit.MINUTES) || process.exitValue() != 0) {
            throw new IllegalStateException("psql \\copy failed: " + output);
        }
    }

    private static void reset(DataSource dataSource) throws SQLException {
        try (Connection connection = dataSource.getConnection(); Statement sql = connection.createStatement()) {
            sql.execute("DROP TABLE IF EXISTS bench_wide, bench_copy, bench_meta");
            sql.execute("TRUNCATE telemetry.reading_value");
            sql.execute("""
                    CREATE TABLE bench_wide (observed_at timestamptz NOT NULL, device_id text NOT NULL,
                        event_id text NOT NULL, gateway_id text NOT NULL, sensor_type text NOT NULL,
                        received_at timestamptz, "values" jsonb NOT NULL, attributes jsonb,
                        PRIMARY KEY (device_id, observed_at, event_id))""");
            sql.execute("CREATE TABLE bench_copy (LIKE telemetry.reading_value INCLUDING ALL)");
            sql.execute("""
                    CREATE TABLE bench_meta (observed_at timestamptz NOT NULL, device_id text NOT NULL,
                        event_id text NOT NULL, gateway_id text NOT NULL, sensor_type text NOT NULL,
                        received_at timestamptz, attributes jsonb, PRIMARY KEY (device_id, observed_at, event_id))""");
            sql.execute("CHECKPOINT");
        }
    }

    /** Readings of a day, devices of the kinds a community has, every device in turn. */
    private static List<Reading> readings(int count, int devices) {
        Random random = new Random(11);
        List<String> types = new ArrayList<>(METRICS.keySet());
        Instant start = Instant.parse("2026-11-26T00:00:00Z");
        List<Reading> readings = new ArrayList<>(count);
        for (int i = 0; i < count; i++) {
            int device = i % devices;
            String type = types.get(device % types.size());
            Map<String, Double> values = new LinkedHashMap<>();
            for (String metric : METRICS.get(type)) {
                values.put(metric, Math.round(random.nextDouble() * 1000) / 10.0);
            }
            Instant observed = start.plusMillis((long) (i / devices) * 60_000 + device);
            readings.add(new Reading(observed, "dev-" + device, "ev-" + i, "gw-" + device / 8, type,
                    observed.plusMillis(400), values));
        }
        return readings;
    }

    private static void writeCsv(List<Value> values, Path csv) throws Exception {
        StringBuilder text = new StringBuilder();
        for (Value v : values) {
            text.append(v.observedAt()).append(",\"").append(v.deviceId()).append("\",\"").append(v.metric())
                    .append("\",").append(v.value()).append(",\"").append(v.eventId()).append("\",")
                    .append(v.receivedAt()).append('\n');
        }
        Files.writeString(csv, text);
    }

    private static String json(Map<String, Double> values) {
        StringBuilder json = new StringBuilder("{");
        values.forEach((k, v) -> json.append(json.length() > 1 ? "," : "").append('"').append(k).append("\":").append(v));
        return json.append('}').toString();
    }

    /** A data source handing out the same open connection, whose close() leaves it open. */
    private static DataSource oneConnection(Connection connection) {
        Connection kept = (Connection) Proxy.newProxyInstance(StorageBenchmark.class.getClassLoader(),
                new Class<?>[] {Connection.class}, (proxy, method, args) -> {
                    if (method.getName().equals("close")) {
                        connection.setAutoCommit(true);
                        return null;
                    }
                    try {
                        return method.invoke(connection, args);
                    } catch (InvocationTargetException e) {
                        throw e.getCause();
                    }
                });
        PGSimpleDataSource delegate = new PGSimpleDataSource() {
            @Override
            public Connection getConnection() {
                return kept;
            }
        };
        return delegate;
    }

    /** A step to time. */
    @FunctionalInterface
    private interface Step {
        void run() throws Exception;
    }

    private static double seconds(Step step) throws Exception {
        long start = System.nanoTime();
        step.run();
        return (System.nanoTime() - start) / 1e9;
    }

    private static long size(DataSource dataSource, String table) throws SQLException {
        try (Connection connection = dataSource.getConnection();
             PreparedStatement query = connection.prepareStatement("SELECT pg_total_relation_size(?::regclass)")) {
            query.setString(1, table);
            try (ResultSet row = query.executeQuery()) {
                row.next();
                return row.getLong(1);
            }
        }
    }

    private static double median(List<Double> values) {
        List<Double> sorted = new ArrayList<>(values);
        sorted.sort(null);
        return sorted.get(sorted.size() / 2);
    }

    private static String rounded(List<Double> values) {
        return String.join(", ", values.stream().map(v -> String.format("%,.0f", v)).toList());
    }
}

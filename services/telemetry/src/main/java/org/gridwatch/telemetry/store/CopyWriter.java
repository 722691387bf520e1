package org.gridwatch.telemetry.store;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

import javax.sql.DataSource;

import org.gridwatch.plumbing.retry.SqlRetry;
import org.postgresql.PGConnection;

/**
 * Writes a batch of rows with PostgreSQL's COPY, idempotently: a batch is copied straight into
 * the table in one transaction; if any of its rows is there already under the table's key (Kafka
 * redelivered it), that fails as a whole and the batch goes again through a temporary staging
 * table and {@code INSERT ... SELECT ... ON CONFLICT DO NOTHING}, so nothing is stored twice. COPY
 * parses rows in bulk on the server, several times faster than batched INSERTs. While the database is unreachable it
 * waits and retries ({@link SqlRetry}), so an outage delays rows but loses none; if the batch fails
 * for a reason that will not pass, rows are written one by one and those that still fail are
 * returned with the reason.
 */
public final class CopyWriter<T> {

    private static final String UNIQUE_VIOLATION = "23505";

    /** Appends one row's fields, in the order of the writer's columns. */
    @FunctionalInterface
    public interface Encoder<T> {
        void encode(T row, CsvRow out);
    }

    /** A row that could not be stored, and why. */
    public record Failed<T>(T row, String reason) {
    }

    private final String name;
    private final String table;
    private final String staging;
    private final String columns;
    private final Encoder<T> encoder;

    /**
     * @param table   the schema-qualified table ({@code telemetry.reading_value})
     * @param columns the columns the encoder writes, in its order
     */
    public CopyWriter(String name, String table, List<String> columns, Encoder<T> encoder) {
        this.name = name;
        this.table = table;
        this.staging = "stage_" + table.substring(table.indexOf('.') + 1);
        this.columns = String.join(", ", columns);
        this.encoder = encoder;
    }

    public List<Failed<T>> write(DataSource dataSource, List<T> rows) {
        if (rows.isEmpty()) {
            return List.of();
        }
        try {
            SqlRetry.run("writing " + rows.size() + " " + name, () -> copy(dataSource, rows));
            return List.of();
        } catch (RuntimeException batchFailed) {
            return writeOneByOne(dataSource, rows);
        }
    }

    /**
     * Stores the rows; returns how many were new (the others were already there). First straight
     * into the table, the fast path of every batch seen for the first time; when a row is there
     * already (a redelivery: unique violation), again through the staging table, skipping the
     * rows that are there.
     */
    public int copy(DataSource dataSource, List<T> rows) throws SQLException, IOException {
        byte[] csv = csv(rows);
        try (Connection connection = dataSource.getConnection()) {
            connection.setAutoCommit(false);
            try {
                long stored = copyIn(connection, table, csv);
                connection.commit();
                return (int) stored;
            } catch (SQLException e) {
                connection.rollback();
                if (!UNIQUE_VIOLATION.equals(e.getSQLState())) {
                    throw e;
                }
            } catch (IOException | RuntimeException e) {
                connection.rollback();
                throw e;
            }
            try (Statement sql = connection.createStatement()) {
                sql.execute("CREATE TEMP TABLE IF NOT EXISTS " + staging + " (LIKE " + table
                        + " INCLUDING DEFAULTS) ON COMMIT DELETE ROWS");
                copyIn(connection, staging, csv);
                int stored = sql.executeUpdate("INSERT INTO " + table + " (" + columns + ") SELECT " + columns
                        + " FROM " + staging + " ON CONFLICT DO NOTHING");
                connection.commit();
                return stored;
            } catch (SQLException | IOException | RuntimeException e) {
                connection.rollback();
                throw e;
            }
        }
    }

    private long copyIn(Connection connection, String into, byte[] csv) throws SQLException, IOException {
        return connection.unwrap(PGConnection.class).getCopyAPI().copyIn("COPY " + into + " (" + columns
                + ") FROM STDIN WITH (FORMAT csv)", new ByteArrayInputStream(csv));
    }

    private byte[] csv(List<T> rows) {
        CsvRow out = new CsvRow(new StringBuilder(rows.size() * 96));
        for (T row : rows) {
            encoder.encode(row, out);
            out.end();
        }
        return out.text.toString().getBytes(StandardCharsets.UTF_8);
    }

    private List<Failed<T>> writeOneByOne(DataSource dataSource, List<T> rows) {
        List<Failed<T>> failed = new ArrayList<>();
        for (T row : rows) {
            try {
                SqlRetry.run("writing one " + name, () -> copy(dataSource, List.of(row)));
            } catch (RuntimeException e) {
                SQLException sql = SqlRetry.sqlCause(e);
                failed.add(new Failed<>(row, sql != null ? sql.getSQLState() + " " + sql.getMessage() : e.toString()));
            }
        }
        return failed;
    }

    /** One row of COPY's CSV format: text quoted, null as an empty unquoted field. */
    public static final class CsvRow {

        private final StringBuilder text;
        private boolean first = true;

        CsvRow(StringBuilder text) {
            this.text = text;
        }

        private StringBuilder next() {
            if (!first) {
                text.append(',');
            }
            first = false;
            return text;
        }

        public CsvRow text(String value) {
            StringBuilder out = next();
            if (value != null) {
                out.append('"');
                for (int i = 0; i < value.length(); i++) {
                    char c = value.charAt(i);
                    if (c == '"') {
                        out.append('"');
                    }
                    if (c != 0) {
                        // PostgreSQL text cannot hold NUL; it is dropped rather than failing the batch.
                        out.append(c);
                    }
                }
                out.append('"');
            }
            return this;
        }

        /** A double as float8 reads it: NaN and infinities included. */
        public CsvRow number(double value) {
            next().append(Double.isNaN(value) ? "NaN" : Double.isInfinite(value)
                    ? (value > 0 ? "Infinity" : "-Infinity") : Double.toString(value));
            return this;
        }

        public CsvRow time(Instant value) {
            StringBuilder out = next();
            if (value != null) {
                out.append(value);
            }
            return this;
        }

        public CsvRow bool(Boolean value) {
            StringBuilder out = next();
            if (value != null) {
                out.append(value ? 't' : 'f');
            }
            return this;
        }

        void end() {
            text.append('\n');
            first = true;
        }
    }
}

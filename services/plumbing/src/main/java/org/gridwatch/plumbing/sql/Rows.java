package org.gridwatch.plumbing.sql;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;

/**
 * Between rows and records: SQL NULL for what the wire contract (protobuf) has as an empty
 * string, and timestamps as instants.
 */
public final class Rows {

    private Rows() {
    }

    /** The column as an instant; null for SQL NULL. */
    public static Instant instant(ResultSet row, String column) throws SQLException {
        Timestamp value = row.getTimestamp(column);
        return value == null ? null : value.toInstant();
    }

    /** SQL NULL for an empty or absent string of the wire contract. */
    public static String emptyToNull(String value) {
        return value == null || value.isEmpty() ? null : value;
    }

    /** The wire contract's empty string for SQL NULL. */
    public static String nullToEmpty(String value) {
        return value == null ? "" : value;
    }
}

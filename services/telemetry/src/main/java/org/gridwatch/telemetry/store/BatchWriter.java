package org.gridwatch.telemetry.store;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;

import javax.sql.DataSource;

import org.gridwatch.outbox.SqlRetry;

/**
 * Writes a batch of rows in one transaction with a batched, idempotent INSERT (the table's
 * primary key and ON CONFLICT DO NOTHING absorb redeliveries). While the database is unreachable
 * it waits and retries, so an outage delays rows but loses none. If the batch fails for a reason
 * that will not pass, rows are written one by one and the ones that still fail are returned.
 */
public final class BatchWriter<T> {

    /** Sets the parameters of one row. */
    @FunctionalInterface
    public interface Binder<T> {
        void bind(PreparedStatement statement, T row) throws SQLException;
    }

    /** A row that could not be stored, and why. */
    public record Failed<T>(T row, String reason) {
    }

    private final String name;
    private final String insertSql;
    private final Binder<T> binder;

    public BatchWriter(String name, String insertSql, Binder<T> binder) {
        this.name = name;
        this.insertSql = insertSql;
        this.binder = binder;
    }

    public List<Failed<T>> write(DataSource dataSource, List<T> rows) {
        if (rows.isEmpty()) {
            return List.of();
        }
        try {
            SqlRetry.run("writing " + rows.size() + " " + name, () -> {
                insertAll(dataSource, rows);
                return null;
            });
            return List.of();
        } catch (RuntimeException batchFailed) {
            return writeOneByOne(dataSource, rows);
        }
    }

    private void insertAll(DataSource dataSource, List<T> rows) throws SQLException {
        try (Connection connection = dataSource.getConnection()) {
            connection.setAutoCommit(false);
            try (PreparedStatement insert = connection.prepareStatement(insertSql)) {
                for (T row : rows) {
                    binder.bind(insert, row);
                    insert.addBatch();
                }
                insert.executeBatch();
                connection.commit();
            } catch (SQLException | RuntimeException e) {
                connection.rollback();
                throw e;
            }
        }
    }

    private List<Failed<T>> writeOneByOne(DataSource dataSource, List<T> rows) {
        List<Failed<T>> failed = new ArrayList<>();
        for (T row : rows) {
            try {
                SqlRetry.run("writing one " + name, () -> {
                    insertAll(dataSource, List.of(row));
                    return null;
                });
            } catch (RuntimeException e) {
                SQLException sql = SqlRetry.sqlCause(e);
                failed.add(new Failed<>(row, sql != null ? sql.getSQLState() + " " + sql.getMessage() : e.toString()));
            }
        }
        return failed;
    }
}

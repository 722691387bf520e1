package org.gridwatch.plumbing.sql;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;

/**
 * Transaction-scoped advisory locks by name: held from here to the end of the caller's
 * transaction, so that replicas doing the same thing at once (opening related alerts, choosing a
 * worker in a grid) take turns. Names are hashed to 64 bits; a clash only makes two unrelated
 * things take turns.
 */
public final class Locks {

    private Locks() {
    }

    public static void holdUntilCommit(Connection connection, String name) throws SQLException {
        try (PreparedStatement lock = connection.prepareStatement("SELECT pg_advisory_xact_lock(hashtextextended(?, 0))")) {
            lock.setString(1, name);
            lock.execute();
        }
    }
}

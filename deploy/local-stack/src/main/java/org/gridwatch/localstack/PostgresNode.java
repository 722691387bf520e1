package org.gridwatch.localstack;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;

/**
 * PostgreSQL 17 from the zonky binaries. The server itself runs as its own process (started by
 * pg_ctl); this class only starts it, creates the GridWatch database, and stops it.
 */
final class PostgresNode implements AutoCloseable {

    static final String DATABASE = "gridwatch";
    static final String USER = "postgres";
    static final String PASSWORD = "postgres";

    private final EmbeddedPostgres postgres;
    private final Path dataDir;

    private PostgresNode(EmbeddedPostgres postgres, Path dataDir) {
        this.postgres = postgres;
        this.dataDir = dataDir;
    }

    static PostgresNode start(int port, Path dataDir) throws LocalStack.StartupException {
        try {
            Files.createDirectories(dataDir);
            EmbeddedPostgres postgres = EmbeddedPostgres.builder()
                    .setPort(port)
                    .setDataDirectory(dataDir)
                    .setCleanDataDirectory(false)
                    .setServerConfig("max_connections", "200")
                    .setServerConfig("shared_buffers", "128MB")
                    .setServerConfig("fsync", "on")
                    // The embedded server's builder turns this off by default. GridWatch's services
                    // commit a Kafka offset only once the rows it led to are committed, so a commit
                    // must be on disk when it returns, or a crash of the machine loses alerts and tasks.
                    .setServerConfig("synchronous_commit", "on")
                    .start();
            createDatabase(postgres);
            return new PostgresNode(postgres, dataDir);
        } catch (IOException | SQLException e) {
            throw new LocalStack.StartupException("PostgreSQL did not start on port " + port + ": " + e.getMessage());
        }
    }

    private static void createDatabase(EmbeddedPostgres postgres) throws SQLException {
        try (Connection connection = postgres.getPostgresDatabase().getConnection();
             Statement statement = connection.createStatement()) {
            try (ResultSet exists = statement.executeQuery(
                    "SELECT 1 FROM pg_database WHERE datname = '" + DATABASE + "'")) {
                if (exists.next()) {
                    return;
                }
            }
            statement.execute("CREATE DATABASE " + DATABASE);
            statement.execute("ALTER USER " + USER + " PASSWORD '" + PASSWORD + "'");
        }
    }

    /**
     * Kills the server and every backend at once (SIGKILL), as a crash of the machine would: what
     * was committed is on disk (synchronous commit), what was not is rolled back by the crash
     * recovery of the next start.
     */
    void kill() throws IOException {
        long pid = Long.parseLong(Files.readAllLines(dataDir.resolve("postmaster.pid")).get(0).strip());
        ProcessHandle postmaster = ProcessHandle.of(pid)
                .orElseThrow(() -> new IOException("no PostgreSQL server runs with pid " + pid));
        LocalStack.log("killing postgres (SIGKILL, pid " + pid + " and its backends)");
        List<ProcessHandle> backends = postmaster.descendants().toList();
        backends.forEach(ProcessHandle::destroyForcibly);
        postmaster.destroyForcibly();
        postmaster.onExit().join();
        backends.forEach(backend -> backend.onExit().join());
        try {
            // Releases the embedded server's lock on the data folder; stopping the dead server fails, as it should.
            postgres.close();
        } catch (IOException | RuntimeException expected) {
            LocalStack.log("postgres was already gone: " + expected.getMessage());
        }
    }

    @Override
    public void close() {
        try {
            LocalStack.log("stopping postgres");
            postgres.close();
        } catch (IOException e) {
            LocalStack.log("PostgreSQL did not stop cleanly: " + e.getMessage());
        }
    }
}

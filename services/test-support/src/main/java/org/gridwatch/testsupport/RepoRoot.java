package org.gridwatch.testsupport;

import java.nio.file.Files;
import java.nio.file.Path;

/** The repository root, where built artifacts of other modules are found. */
public final class RepoRoot {

    private RepoRoot() {
    }

    /** From the {@code gridwatch.repo.root} property the build sets, else the nearest folder holding {@code deploy/}. */
    public static Path get() {
        String configured = System.getProperty("gridwatch.repo.root");
        if (configured != null && !configured.isBlank()) {
            return Path.of(configured).toAbsolutePath();
        }
        Path dir = Path.of("").toAbsolutePath();
        while (dir != null) {
            if (Files.isDirectory(dir.resolve("deploy")) && Files.exists(dir.resolve("pom.xml"))) {
                return dir;
            }
            dir = dir.getParent();
        }
        throw new IllegalStateException("Cannot find the GridWatch repository root from " + Path.of("").toAbsolutePath());
    }
}

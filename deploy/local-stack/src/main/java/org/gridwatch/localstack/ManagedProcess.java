package org.gridwatch.localstack;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * A child JVM of the launcher. Its output goes to a log file; its standard input stays open as a
 * lifeline, so that the child ({@link ChildMain}) exits when the launcher dies, even by SIGKILL.
 */
final class ManagedProcess {

    private final String name;
    private final Process process;
    private final Path logFile;

    private ManagedProcess(String name, Process process, Path logFile) {
        this.name = name;
        this.process = process;
        this.logFile = logFile;
    }

    /** Starts {@code mainClass} in a new JVM on the launcher's own class path, watched by {@link ChildMain}. */
    static ManagedProcess startJava(String name, Path logFile, List<String> jvmOptions, String mainClass,
                                    List<String> args) {
        List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        command.addAll(jvmOptions);
        command.add("-Dlogback.configurationFile=" + LocalStack.LOGBACK_CONFIG);
        command.add("-cp");
        command.add(System.getProperty("java.class.path"));
        command.add(ChildMain.class.getName());
        command.add(mainClass);
        command.addAll(args);
        return start(name, logFile, command);
    }

    static ManagedProcess start(String name, Path logFile, List<String> command) {
        return start(name, logFile, command, Map.of());
    }

    /** Starts a command with {@code environment} added to the launcher's own. */
    static ManagedProcess start(String name, Path logFile, List<String> command, Map<String, String> environment) {
        try {
            ProcessBuilder builder = new ProcessBuilder(command);
            builder.environment().putAll(environment);
            Process process = builder
                    .redirectErrorStream(true)
                    .redirectOutput(ProcessBuilder.Redirect.appendTo(logFile.toFile()))
                    .start();
            return new ManagedProcess(name, process, logFile);
        } catch (IOException e) {
            throw new IllegalStateException("cannot start " + name + ": " + e.getMessage(), e);
        }
    }

    /** Runs a command to completion, for one-off steps such as formatting Kafka's storage. */
    static int runToCompletion(String name, Path logFile, List<String> jvmOptions, String mainClass,
                               List<String> args, Duration timeout) {
        ManagedProcess step = startJava(name, logFile, jvmOptions, mainClass, args);
        try {
            if (!step.process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
                step.process.destroyForcibly();
                throw new IllegalStateException(name + " did not finish within " + timeout.toSeconds() + " s");
            }
            return step.process.exitValue();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    boolean isAlive() {
        return process.isAlive();
    }

    int exitCode() {
        return process.isAlive() ? -1 : process.exitValue();
    }

    Path logFile() {
        return logFile;
    }

    /** Kills the child at once (SIGKILL: no shutdown hook runs, nothing is flushed), as a crash would. */
    void kill() {
        LocalStack.log("killing " + name + " (SIGKILL)");
        process.descendants().forEach(ProcessHandle::destroyForcibly);
        process.destroyForcibly();
        try {
            process.waitFor(30, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** Asks the child to stop (SIGTERM, so its shutdown hooks run), then kills it after the grace period. */
    void stop(Duration grace) {
        if (!process.isAlive()) {
            return;
        }
        LocalStack.log("stopping " + name);
        try {
            OutputStream lifeline = process.getOutputStream();
            lifeline.close();
        } catch (IOException ignored) {
            // The child may already be gone.
        }
        process.destroy();
        try {
            if (!process.waitFor(grace.toMillis(), TimeUnit.MILLISECONDS)) {
                LocalStack.log(name + " did not stop within " + grace.toSeconds() + " s, killing it");
                process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            process.destroyForcibly();
        }
    }
}

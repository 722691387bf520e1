package org.gridwatch.localstack;

import java.io.IOException;
import java.io.InputStream;
import java.lang.reflect.Method;
import java.util.Arrays;

/**
 * Entry point of every child JVM: runs the real main class and exits (running its shutdown hooks)
 * when standard input closes, that is when the launcher has gone away.
 */
public final class ChildMain {

    private ChildMain() {
    }

    public static void main(String[] args) throws Exception {
        Thread watcher = new Thread(() -> {
            try (InputStream in = System.in) {
                byte[] buffer = new byte[256];
                while (in.read(buffer) >= 0) {
                    // Discard: only the end of the stream matters.
                }
            } catch (IOException e) {
                // A broken pipe means the launcher is gone, too.
            }
            System.exit(0);
        }, "lifeline");
        watcher.setDaemon(true);
        watcher.start();

        Class<?> mainClass = Class.forName(args[0]);
        Method main = mainClass.getMethod("main", String[].class);
        main.invoke(null, (Object) Arrays.copyOfRange(args, 1, args.length));
    }
}

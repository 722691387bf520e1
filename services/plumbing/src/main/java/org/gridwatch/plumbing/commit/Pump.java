package org.gridwatch.plumbing.commit;

import java.time.Duration;

import org.jboss.logging.Logger;

/**
 * Runs a task on a thread of its own whenever it is woken, and at least once a period without a
 * wake-up. Wake-ups that come while the task runs make one more run, not one each, so a burst of
 * commits costs a few runs. Used where waiting for a scheduler's next tick would add latency:
 * outbox relays, live feeds, dispatchers.
 */
public final class Pump {

    private static final Logger LOG = Logger.getLogger(Pump.class);

    private final String name;
    private final long periodMillis;
    private final long minGapMillis;
    private final Runnable task;
    private final Object lock = new Object();
    private boolean woken;
    private volatile boolean running;

    /**
     * @param period the longest wait without a wake-up
     * @param minGap the shortest pause after a run: under a stream of wake-ups, runs come at most
     *               this often, each taking everything that is there (a few ms of latency for far
     *               fewer queries)
     */
    public Pump(String name, Duration period, Duration minGap, Runnable task) {
        this.name = name;
        this.periodMillis = period.toMillis();
        this.minGapMillis = minGap.toMillis();
        this.task = task;
    }

    public void start() {
        running = true;
        Thread thread = new Thread(this::loop, name);
        thread.setDaemon(true);
        thread.start();
    }

    public void stop() {
        running = false;
        wakeUp();
    }

    public void wakeUp() {
        synchronized (lock) {
            woken = true;
            lock.notifyAll();
        }
    }

    private void loop() {
        while (running) {
            synchronized (lock) {
                if (!woken) {
                    try {
                        lock.wait(periodMillis);
                    } catch (InterruptedException e) {
                        return;
                    }
                }
                woken = false;
            }
            if (!running) {
                return;
            }
            try {
                task.run();
            } catch (RuntimeException e) {
                // The next run tries again; a task keeps its own state consistent.
                LOG.warnf("%s: %s", name, e.toString());
            }
            if (minGapMillis > 0) {
                try {
                    Thread.sleep(minGapMillis);
                } catch (InterruptedException e) {
                    return;
                }
            }
        }
    }
}

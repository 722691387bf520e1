package org.gridwatch.localstack;

import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

import jetbrains.exodus.ArrayByteIterable;
import jetbrains.exodus.ByteIterable;
import jetbrains.exodus.env.Cursor;
import jetbrains.exodus.env.Environment;
import jetbrains.exodus.env.EnvironmentConfig;
import jetbrains.exodus.env.Environments;
import jetbrains.exodus.env.Store;
import jetbrains.exodus.env.StoreConfig;

/**
 * Makes the messages a crash left "in flight" in HiveMQ CE's shared-subscription queues
 * deliverable again, before the broker opens its data.
 *
 * <p>Why: HiveMQ marks a message of a shared group's queue as in flight (a packet id in its stored
 * value) when it sends it to a member, and clears the mark when the member acknowledges it or
 * disconnects. Killed (SIGKILL, power loss), the broker never clears them, and on start nothing
 * does: those messages, up to a receive maximum per member, are never sent again, and because the
 * queue is then never empty, a new message no longer wakes the group's members, so the
 * ingest-bridge sits idle while the queue fills. This does at start what HiveMQ does on a
 * member's disconnect: the mark goes, the message stays, in its place in the queue.
 *
 * <p>It knows HiveMQ's queue format (persistence {@value #VERSION}: key = queue id, one byte
 * "shared", an 8-byte index; value = a 2-byte packet id, then a flags byte whose top bit says
 * PUBLISH). A HiveMQ upgrade that changes the format changes the folder name, and the repair then
 * reports that it found nothing to repair rather than guessing; the MQTT fault drill would fail.
 */
final class SharedQueueRepair {

    static final String NAME = "client_queue";
    static final String VERSION = "040500";

    private static final byte PUBLISH_BIT = (byte) 0b1000_0000;
    private static final int INDEX_BYTES = Long.BYTES;

    private SharedQueueRepair() {
    }

    /** Clears every in-flight mark of a shared queue under HiveMQ's {@code dataFolder}; returns how many. */
    static int releaseInFlight(Path dataFolder) throws IOException {
        Path queues = dataFolder.resolve("persistence").resolve(NAME).resolve(VERSION);
        if (!Files.isDirectory(queues)) {
            return 0;
        }
        int released = 0;
        try (Stream<Path> buckets = Files.list(queues)) {
            for (Path bucket : buckets.filter(Files::isDirectory).sorted().toList()) {
                released += releaseInFlight(bucket.toFile());
            }
        }
        return released;
    }

    private static int releaseInFlight(File bucket) {
        Environment environment = Environments.newInstance(bucket, new EnvironmentConfig().setManagementEnabled(false));
        try {
            return environment.computeInTransaction(txn -> {
                Store store = environment.openStore(NAME, StoreConfig.WITHOUT_DUPLICATES_WITH_PREFIXING, txn);
                List<ByteIterable[]> marked = new ArrayList<>();
                try (Cursor cursor = store.openCursor(txn)) {
                    while (cursor.getNext()) {
                        byte[] key = bytes(cursor.getKey());
                        byte[] value = bytes(cursor.getValue());
                        if (isSharedQueue(key) && isMarkedPublish(value)) {
                            value[0] = 0;
                            value[1] = 0;
                            marked.add(new ByteIterable[] {new ArrayByteIterable(key), new ArrayByteIterable(value)});
                        }
                    }
                }
                for (ByteIterable[] entry : marked) {
                    store.put(txn, entry[0], entry[1]);
                }
                return marked.size();
            });
        } finally {
            environment.close();
        }
    }

    private static boolean isSharedQueue(byte[] key) {
        int sharedByte = key.length - INDEX_BYTES - 1;
        return sharedByte >= 0 && key[sharedByte] == 1;
    }

    private static boolean isMarkedPublish(byte[] value) {
        return value.length > 2 && (value[2] & PUBLISH_BIT) != 0 && (value[0] != 0 || value[1] != 0);
    }

    private static byte[] bytes(ByteIterable iterable) {
        byte[] copy = new byte[iterable.getLength()];
        System.arraycopy(iterable.getBytesUnsafe(), 0, copy, 0, copy.length);
        return copy;
    }
}

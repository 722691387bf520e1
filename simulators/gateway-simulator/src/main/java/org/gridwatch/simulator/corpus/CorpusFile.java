package org.gridwatch.simulator.corpus;

import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.Closeable;
import java.io.DataInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.zip.GZIPInputStream;
import java.util.zip.GZIPOutputStream;

import org.gridwatch.contract.v1.GatewayStatus;
import org.gridwatch.contract.v1.Reading;

import com.google.protobuf.Message;

/**
 * The recorded traffic of a corpus, in the order the bridge received it: a gzip stream of
 * records, each a tag byte ({@code R} reading, {@code G} gateway status) and a length-delimited
 * protobuf message of the v1 contract.
 */
public final class CorpusFile {

    public static final String TRAFFIC = "traffic.bin.gz";
    public static final String LABELS = "labels.csv";
    public static final String REGISTRY = "registry.json";

    /** One record: exactly one of the two is set. */
    public record Entry(Reading reading, GatewayStatus status) {
    }

    private CorpusFile() {
    }

    public static final class Writer implements Closeable {
        private final OutputStream out;
        private long count;

        public Writer(Path file) throws IOException {
            this.out = new BufferedOutputStream(new GZIPOutputStream(Files.newOutputStream(file), 1 << 16), 1 << 16);
        }

        public void write(Reading reading) throws IOException {
            put('R', reading);
        }

        public void write(GatewayStatus status) throws IOException {
            put('G', status);
        }

        private void put(char tag, Message message) throws IOException {
            out.write(tag);
            message.writeDelimitedTo(out);
            count++;
        }

        public long count() {
            return count;
        }

        @Override
        public void close() throws IOException {
            out.close();
        }
    }

    public static final class Reader implements Closeable {
        private final DataInputStream in;

        public Reader(Path file) throws IOException {
            InputStream raw = new GZIPInputStream(Files.newInputStream(file), 1 << 16);
            this.in = new DataInputStream(new BufferedInputStream(raw, 1 << 16));
        }

        /** The next record, or null at the end. */
        public Entry next() {
            try {
                int tag = in.read();
                if (tag < 0) {
                    return null;
                }
                return switch (tag) {
                    case 'R' -> new Entry(Reading.parseDelimitedFrom(in), null);
                    case 'G' -> new Entry(null, GatewayStatus.parseDelimitedFrom(in));
                    default -> throw new IOException("Not a corpus record: tag " + tag);
                };
            } catch (EOFException e) {
                return null;
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }

        @Override
        public void close() throws IOException {
            in.close();
        }
    }
}

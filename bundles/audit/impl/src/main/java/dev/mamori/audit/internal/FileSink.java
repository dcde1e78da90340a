package dev.mamori.audit.internal;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;

import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.ConfigurationPolicy;

import dev.mamori.audit.AuditSink;
import dev.mamori.audit.LogCheckpoint;
import dev.mamori.audit.proof.SinkLine;

/**
 * The default {@link AuditSink}: every checkpoint appended to a file outside the database, one JSON
 * line each ({@code {"kind":"checkpoint","log":...,"note":...,"size":...}}), forced to disk before
 * the write returns. Active when {@code sink.file} is set (the distribution sets it under
 * {@code ${karaf.data}}); point it at storage the database's administrators cannot rewrite.
 */
@Component(service = AuditSink.class, configurationPid = AuditConfig.PID, configurationPolicy = ConfigurationPolicy.REQUIRE,
        property = AuditSink.NAME + "=file")
public class FileSink implements AuditSink {
    private final Path file;
    private final Object lock = new Object();

    /** @param config the audit configuration (sink.file) */
    @Activate
    public FileSink(AuditConfig config) {
        this(config.sink_file().isBlank() ? null : Path.of(config.sink_file()));
    }

    FileSink(Path file) {
        this.file = file;
    }

    @Override
    public void write(String log, LogCheckpoint checkpoint) {
        if (file == null) {
            return;
        }
        byte[] line = (SinkLine.write(log, checkpoint.size(), checkpoint.note()) + "\n").getBytes(StandardCharsets.UTF_8);
        synchronized (lock) {
            try {
                Files.createDirectories(file.toAbsolutePath().getParent());
                try (FileChannel ch = FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.WRITE, StandardOpenOption.APPEND)) {
                    ByteBuffer b = ByteBuffer.wrap(line);
                    while (b.hasRemaining()) {
                        ch.write(b);
                    }
                    ch.force(true);
                }
            } catch (IOException e) {
                throw new UncheckedIOException("The audit checkpoint file " + file + " cannot be written", e);
            }
        }
    }

    @Override
    public List<String> notes(String log) {
        if (file == null || !Files.exists(file)) {
            return List.of();
        }
        List<String> out = new ArrayList<>();
        synchronized (lock) {
            // line by line, a malformed byte replaced: a torn line is one unreadable line, never the whole file
            java.nio.charset.CharsetDecoder utf8 = StandardCharsets.UTF_8.newDecoder()
                    .onMalformedInput(java.nio.charset.CodingErrorAction.REPLACE)
                    .onUnmappableCharacter(java.nio.charset.CodingErrorAction.REPLACE);
            try (java.io.BufferedReader r = new java.io.BufferedReader(new java.io.InputStreamReader(Files.newInputStream(file), utf8))) {
                for (String l; (l = r.readLine()) != null;) {
                    SinkLine.read(l).filter(n -> n.log().equals(log)).ifPresent(n -> out.add(n.note()));
                }
            } catch (IOException e) {
                throw new UncheckedIOException("The audit checkpoint file " + file + " cannot be read", e);
            }
        }
        return out;
    }
}

package org.referralhub.archive;

import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;

/** The local hub's archive: one file per payload under a directory, written atomically. */
public final class DirectoryRawArchive implements RawArchive {

    private final Path root;

    public DirectoryRawArchive(Path root) {
        this.root = root.toAbsolutePath().normalize();
    }

    @Override
    public String store(RawPayload payload) {
        Path target = root.resolve(payload.key()).normalize();
        if (!target.startsWith(root)) {
            throw new IllegalArgumentException("archive key escapes the archive directory");
        }
        try {
            Files.createDirectories(target.getParent());
            Path temp = Files.createTempFile(target.getParent(), ".incoming-", ".tmp");
            Files.write(temp, payload.body());
            Files.move(temp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            return target.toUri().toString();
        } catch (IOException e) {
            throw new ArchiveUnavailableException("cannot archive payload " + payload.id(), e);
        }
    }

    @Override
    public byte[] read(String reference) {
        Path path = Path.of(URI.create(reference)).normalize();
        if (!path.startsWith(root)) {
            throw new IllegalArgumentException("reference is not in this archive");
        }
        try {
            return Files.readAllBytes(path);
        } catch (IOException e) {
            throw new ArchiveUnavailableException("cannot read archived payload", e);
        }
    }

    @Override
    public boolean erase(String reference) {
        String whole = reference.contains("#") ? reference.substring(0, reference.indexOf('#')) : reference;
        Path path = Path.of(URI.create(whole)).normalize();
        if (!path.startsWith(root)) {
            throw new IllegalArgumentException("reference is not in this archive");
        }
        try {
            return Files.deleteIfExists(path);
        } catch (IOException e) {
            throw new ArchiveUnavailableException("cannot erase archived payload", e);
        }
    }

    @Override
    public void checkAvailable() {
        try {
            Files.createDirectories(root);
            if (!Files.isWritable(root)) {
                throw new IllegalStateException("archive directory is not writable");
            }
        } catch (IOException e) {
            throw new ArchiveUnavailableException("archive directory is not available", e);
        }
    }
}

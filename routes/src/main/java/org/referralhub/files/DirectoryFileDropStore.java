package org.referralhub.files;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;

/** The local hub's file drop: the SFTP server's root directory, one home directory per user. */
public final class DirectoryFileDropStore implements FileDropStore {

    private final Path root;

    public DirectoryFileDropStore(Path root) {
        this.root = root.toAbsolutePath().normalize();
    }

    private Path resolve(String key) {
        Path path = root.resolve(key).normalize();
        if (!path.startsWith(root) || path.equals(root)) {
            throw new IllegalArgumentException("file key escapes the drop directory");
        }
        return path;
    }

    @Override
    public byte[] read(String key, long maxBytes) {
        Path path = resolve(key);
        try {
            long size = Files.size(path);
            if (size > maxBytes) {
                throw new TooLargeException(size, maxBytes);
            }
            return Files.readAllBytes(path);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read dropped file", e);
        }
    }

    @Override
    public void write(String key, byte[] content) {
        Path path = resolve(key);
        try {
            Files.createDirectories(path.getParent());
            Path temp = Files.createTempFile(path.getParent(), ".writing-", ".tmp");
            Files.write(temp, content);
            Files.move(temp, path, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write file", e);
        }
    }

    @Override
    public void move(String from, String to) {
        Path target = resolve(to);
        try {
            Files.createDirectories(target.getParent());
            Files.move(resolve(from), target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot move file", e);
        }
    }

    @Override
    public boolean exists(String key) {
        return Files.exists(resolve(key));
    }
}

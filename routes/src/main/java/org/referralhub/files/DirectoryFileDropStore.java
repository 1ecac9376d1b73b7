package org.referralhub.files;

import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

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
    public List<String> leftIn(String folder, Instant before, int limit) {
        List<String> keys = new ArrayList<>();
        try (var users = Files.list(root)) {
            for (Path user : (Iterable<Path>) users.filter(Files::isDirectory).sorted()::iterator) {
                Path dir = user.resolve(folder);
                if (!Files.isDirectory(dir)) {
                    continue;
                }
                try (var listed = Files.list(dir)) {
                    for (Path file : (Iterable<Path>) listed.filter(Files::isRegularFile).sorted()::iterator) {
                        if (keys.size() >= limit) {
                            return keys;
                        }
                        if (Files.getLastModifiedTime(file).toInstant().isBefore(before)) {
                            keys.add(root.relativize(file).toString().replace(File.separatorChar, '/'));
                        }
                    }
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot list the file drop", e);
        }
        return keys;
    }

    @Override
    public boolean exists(String key) {
        return Files.exists(resolve(key));
    }

    @Override
    public List<String> erase(String prefix) {
        Path dir = resolve(prefix.substring(0, Math.max(1, prefix.lastIndexOf('/'))));
        String start = prefix.substring(prefix.lastIndexOf('/') + 1);
        List<String> erased = new ArrayList<>();
        if (!Files.isDirectory(dir)) {
            return erased;
        }
        try (var listed = Files.list(dir)) {
            for (Path file : (Iterable<Path>) listed.filter(f -> f.getFileName().toString().startsWith(start))::iterator) {
                if (Files.deleteIfExists(file)) {
                    erased.add(root.relativize(file).toString().replace(File.separatorChar, '/'));
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot erase from the file drop", e);
        }
        return erased;
    }
}

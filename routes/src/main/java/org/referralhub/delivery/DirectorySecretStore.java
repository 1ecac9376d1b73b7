package org.referralhub.delivery;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;

/** The local key store: one file per secret in a directory only its owner may read. */
public final class DirectorySecretStore implements SecretStore {

    private final Path root;

    public DirectorySecretStore(Path root) {
        this.root = root.toAbsolutePath().normalize();
    }

    @Override
    public byte[] get(String name) {
        Path file = file(name);
        try {
            return Files.readAllBytes(file);
        } catch (IOException e) {
            throw new IllegalStateException("no secret named '" + name + "' in the local key store");
        }
    }

    /** Stores a secret readable by its owner only (the directory too). */
    @Override
    public void put(String name, byte[] secret) {
        Path file = file(name);
        try {
            Files.createDirectories(root);
            restrict(root, "rwx------");
            Files.write(file, secret);
            restrict(file, "rw-------");
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write the local key store", e);
        }
    }

    public boolean has(String name) {
        return Files.exists(file(name));
    }

    private Path file(String name) {
        if (name == null || !name.matches("[A-Za-z0-9._-]{1,100}") || name.startsWith(".")) {
            throw new IllegalArgumentException("a secret name is 1-100 of A-Z a-z 0-9 . _ -");
        }
        return root.resolve(name);
    }

    private static void restrict(Path path, String permissions) throws IOException {
        try {
            Files.setPosixFilePermissions(path, PosixFilePermissions.fromString(permissions));
        } catch (UnsupportedOperationException e) {
            // a file system without POSIX permissions (Windows): left to its own ACLs
        }
    }
}

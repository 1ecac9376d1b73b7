package org.referralhub.delivery;

/**
 * Where the hub keeps its secrets — SFTP private keys, mailbox passwords, webhook signing secrets, the status-link
 * key: Secrets Manager in AWS (through the SDK's client, reads kept a while: {@link CachedSecretStore}), an owner-only directory
 * locally. Configuration names a secret ({@code privateKeyRef}, {@code {{secret:name}}}); it never holds one.
 */
public interface SecretStore {

    /** The secret's bytes; throws when there is no such secret. */
    byte[] get(String name);

    /** Stores a new secret under a name not used before; a store the hub may only read refuses. */
    default void put(String name, byte[] secret) {
        throw new UnsupportedOperationException("this secret store is read-only");
    }
}

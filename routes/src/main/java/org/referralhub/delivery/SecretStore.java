package org.referralhub.delivery;

/**
 * Where the hub keeps the secrets it uses on partners' servers (SFTP private keys): the Parameters and Secrets
 * Lambda extension in front of Secrets Manager in AWS, an owner-only directory locally. Configuration names a
 * secret; it never holds one.
 */
public interface SecretStore {

    /** The secret's bytes; throws when there is no such secret. */
    byte[] get(String name);
}

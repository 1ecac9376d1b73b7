package org.referralhub.aws;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Assumptions;

/**
 * AWS's own tools the AWS-mode tests use — moto's server, the SAM translator — from the virtual environment that
 * {@code .ci/aws-tools} makes ({@code .venv-aws}, or {@code $AWS_TOOLS_VENV}). Without it a test is skipped with the
 * command to run, unless {@code AWS_TOOLS_REQUIRED=true} (CI), where it fails.
 */
final class AwsTools {

    private AwsTools() {
    }

    static Path root() {
        return Path.of(System.getProperty("hub.repository.root", "..")).toAbsolutePath().normalize();
    }

    static Path venv() {
        String set = System.getenv("AWS_TOOLS_VENV");
        return set != null && !set.isBlank() ? Path.of(set) : root().resolve(".venv-aws");
    }

    static Path bin(String name) {
        return venv().resolve("bin").resolve(name);
    }

    /** The tools are there, or the test is skipped (fails in CI) saying how to install them. */
    static void assumeInstalled() {
        boolean there = Files.isExecutable(bin("moto_server")) && Files.isExecutable(bin("python"));
        String why = "AWS's tools are not installed in " + venv() + ": run .ci/aws-tools once";
        if (!there && "true".equalsIgnoreCase(System.getenv("AWS_TOOLS_REQUIRED"))) {
            throw new IllegalStateException(why);
        }
        Assumptions.assumeTrue(there, why);
    }
}

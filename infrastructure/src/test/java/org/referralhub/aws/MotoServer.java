package org.referralhub.aws;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.referralhub.local.LocalHub;
import org.referralhub.referral.CanonicalJson;

/**
 * moto's server — the AWS API emulator LocalStack builds on — on a free loopback port, its log in a file whose tail
 * goes into every failure it causes. {@link #deploy} puts template.yaml's data resources into its CloudFormation.
 */
final class MotoServer implements AutoCloseable {

    static final String REGION = "ca-central-1";
    static final String ACCOUNT = "123456789012";
    static final String ACCESS_KEY = "testing";
    static final String SECRET_KEY = "testing";

    private final Process process;
    private final Path log;
    private final String endpoint;
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

    private MotoServer(Process process, Path log, String endpoint) {
        this.process = process;
        this.log = log;
        this.endpoint = endpoint;
    }

    static MotoServer start() throws Exception {
        AwsTools.assumeInstalled();
        IllegalStateException last = null;
        for (int attempt = 0; attempt < 3; attempt++) {
            int port = LocalHub.freePort();
            Path log = Files.createTempFile("moto-", ".log");
            Process process = new ProcessBuilder(AwsTools.bin("moto_server").toString(), "-H", "127.0.0.1", "-p",
                    Integer.toString(port)).redirectErrorStream(true).redirectOutput(log.toFile()).start();
            MotoServer server = new MotoServer(process, log, "http://127.0.0.1:" + port);
            try {
                server.awaitUp();
                return server;
            } catch (IllegalStateException e) {
                last = e;   // the port was taken between the choice and the bind: another one
                server.close();
            }
        }
        throw last;
    }

    private void awaitUp() throws InterruptedException {
        Instant deadline = Instant.now().plusSeconds(30);
        while (Instant.now().isBefore(deadline) && process.isAlive()) {
            try {
                if (http.send(HttpRequest.newBuilder(URI.create(endpoint + "/moto-api/")).build(),
                        HttpResponse.BodyHandlers.discarding()).statusCode() == 200) {
                    return;
                }
            } catch (IOException notYet) {
                // not listening yet
            }
            Thread.sleep(100);
        }
        throw new IllegalStateException("moto's server did not start at " + endpoint + logTail());
    }

    String endpoint() {
        return endpoint;
    }

    /** The last lines of the server's log, for a failure message. */
    String logTail() {
        try {
            List<String> lines = Files.readAllLines(log, StandardCharsets.UTF_8);
            return "\n--- moto server log (last 40 lines) ---\n"
                    + String.join("\n", lines.subList(Math.max(0, lines.size() - 40), lines.size()));
        } catch (IOException e) {
            return " (its log could not be read)";
        }
    }

    /**
     * Deploys template.yaml (through the SAM translator) into moto's CloudFormation as stack {@code name}, its data
     * resources only (infrastructure/aws/moto-stack.py says which and why); answers logical id to physical name.
     */
    Map<String, String> deploy(String name, String... parameters) throws Exception {
        List<String> command = new ArrayList<>(List.of(AwsTools.bin("python").toString(),
                AwsTools.root().resolve("infrastructure/aws/moto-stack.py").toString(), endpoint,
                AwsTools.root().resolve("template.yaml").toString(), name));
        command.addAll(List.of(parameters));
        ProcessBuilder builder = new ProcessBuilder(command);
        builder.environment().putAll(Map.of("AWS_ACCESS_KEY_ID", ACCESS_KEY, "AWS_SECRET_ACCESS_KEY", SECRET_KEY,
                "AWS_DEFAULT_REGION", REGION));
        Path errors = Files.createTempFile("moto-stack-", ".err");
        Process deploying = builder.redirectError(errors.toFile()).start();
        String out = new String(deploying.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!deploying.waitFor(120, TimeUnit.SECONDS) || deploying.exitValue() != 0) {
            throw new IllegalStateException("the template was not deployed into moto: "
                    + Files.readString(errors) + logTail());
        }
        return CanonicalJson.MAPPER.readValue(out, new TypeReference<Map<String, String>>() { });
    }

    /** What moto keeps of its services' data ({@code /moto-api/data.json}): the mail SES sent, for one. */
    JsonNode data() throws Exception {
        HttpResponse<String> response = http.send(HttpRequest.newBuilder(URI.create(endpoint + "/moto-api/data.json"))
                .build(), HttpResponse.BodyHandlers.ofString());
        return CanonicalJson.MAPPER.readTree(response.body());
    }

    /** The raw messages SES took, oldest first. */
    List<String> sentMail() throws Exception {
        List<String> out = new ArrayList<>();
        data().path("ses").path("RawMessage").forEach(m -> out.add(m.path("raw_data").asText()));
        return out;
    }

    @Override
    public void close() {
        process.destroy();
        try {
            if (!process.waitFor(10, TimeUnit.SECONDS)) {
                process.destroyForcibly();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}

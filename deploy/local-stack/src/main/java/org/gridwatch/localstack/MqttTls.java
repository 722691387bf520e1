package org.gridwatch.localstack;

import java.io.IOException;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * The MQTT broker's TLS material, made at first start under the data folder with the JDK's own
 * {@code keytool}: a certificate authority of this installation ({@code ca.pem}, what gateways and
 * {@code mosquitto_pub --cafile} trust) and a server certificate it signed for {@code localhost},
 * {@code 127.0.0.1} and this machine's host name, in a PKCS#12 key store whose password is a random
 * one kept beside it (and handed to keytool as a file, never on a command line). Everything is readable by its owner only; the CA's private key never leaves
 * {@code ca.p12}. A later start reuses what is there, so gateways keep trusting the same CA.
 */
record MqttTls(Path serverKeyStore, String password, Path caCertificate) {

    private static final String CA_ALIAS = "gridwatch-ca";
    private static final String SERVER_ALIAS = "mqtt-server";

    static MqttTls ensure(Path folder) throws LocalStack.StartupException {
        Path caStore = folder.resolve("ca.p12");
        Path caPem = folder.resolve("ca.pem");
        Path serverStore = folder.resolve("server.p12");
        Path passwordFile = folder.resolve("keystore.password");
        try {
            if (Files.exists(serverStore) && Files.exists(caPem) && Files.exists(passwordFile)) {
                return new MqttTls(serverStore, Files.readString(passwordFile, StandardCharsets.UTF_8).strip(), caPem);
            }
            Files.createDirectories(folder);
            Files.setPosixFilePermissions(folder, PosixFilePermissions.fromString("rwx------"));
            for (Path stale : List.of(caStore, caPem, serverStore, passwordFile, folder.resolve("server.csr"),
                    folder.resolve("server.pem"))) {
                Files.deleteIfExists(stale);
            }
            byte[] random = new byte[24];
            new SecureRandom().nextBytes(random);
            String password = Base64.getUrlEncoder().withoutPadding().encodeToString(random);
            Files.createFile(passwordFile, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
            Files.writeString(passwordFile, password, StandardCharsets.UTF_8);

            keytool(folder, "-genkeypair", "-keystore", caStore, "-storetype", "PKCS12", "-storepass:file", passwordFile,
                    "-alias", CA_ALIAS, "-dname", "CN=GridWatch local MQTT CA", "-keyalg", "EC", "-groupname", "secp256r1",
                    "-validity", "3650", "-ext", "bc:c");
            keytool(folder, "-exportcert", "-keystore", caStore, "-storepass:file", passwordFile, "-alias", CA_ALIAS, "-rfc",
                    "-file", caPem);
            keytool(folder, "-genkeypair", "-keystore", serverStore, "-storetype", "PKCS12", "-storepass:file", passwordFile,
                    "-alias", SERVER_ALIAS, "-dname", "CN=localhost", "-keyalg", "EC", "-groupname", "secp256r1",
                    "-validity", "825");
            keytool(folder, "-certreq", "-keystore", serverStore, "-storepass:file", passwordFile, "-alias", SERVER_ALIAS,
                    "-file", folder.resolve("server.csr"));
            keytool(folder, "-gencert", "-keystore", caStore, "-storepass:file", passwordFile, "-alias", CA_ALIAS,
                    "-infile", folder.resolve("server.csr"), "-outfile", folder.resolve("server.pem"), "-rfc",
                    "-validity", "825", "-ext", "SAN=" + subjectAlternativeNames(), "-ext", "KU=digitalSignature",
                    "-ext", "EKU=serverAuth");
            // The CA first, so that keytool can chain the signed certificate to it.
            keytool(folder, "-importcert", "-keystore", serverStore, "-storepass:file", passwordFile, "-alias", CA_ALIAS,
                    "-file", caPem, "-noprompt");
            keytool(folder, "-importcert", "-keystore", serverStore, "-storepass:file", passwordFile, "-alias", SERVER_ALIAS,
                    "-file", folder.resolve("server.pem"));
            Files.delete(folder.resolve("server.csr"));
            for (Path made : List.of(caStore, caPem, serverStore, folder.resolve("server.pem"))) {
                Files.setPosixFilePermissions(made, PosixFilePermissions.fromString("rw-------"));
            }
            return new MqttTls(serverStore, password, caPem);
        } catch (IOException e) {
            throw new LocalStack.StartupException("cannot make the MQTT broker's TLS certificates in " + folder + ": "
                    + e.getMessage());
        }
    }

    private static String subjectAlternativeNames() {
        StringBuilder names = new StringBuilder("dns:localhost,ip:127.0.0.1");
        try {
            String host = InetAddress.getLocalHost().getHostName();
            if (!host.isBlank() && !host.equals("localhost") && host.matches("[A-Za-z0-9.-]+")) {
                names.append(",dns:").append(host);
            }
        } catch (IOException e) {
            // No host name to add: localhost and 127.0.0.1 remain.
        }
        return names.toString();
    }

    private static void keytool(Path folder, Object... args) throws IOException, LocalStack.StartupException {
        List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "keytool").toString());
        for (Object arg : args) {
            command.add(arg.toString());
        }
        Path output = folder.resolve("keytool.out");
        Process process = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(output.toFile()).start();
        try {
            if (!process.waitFor(60, TimeUnit.SECONDS) || process.exitValue() != 0) {
                process.destroyForcibly();
                throw new LocalStack.StartupException("keytool " + args[0] + " failed: "
                        + Files.readString(output, StandardCharsets.UTF_8).strip());
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new LocalStack.StartupException("interrupted while making the MQTT broker's TLS certificates");
        } finally {
            Files.deleteIfExists(output);
        }
    }
}

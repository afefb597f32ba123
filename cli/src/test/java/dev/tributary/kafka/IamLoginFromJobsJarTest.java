package dev.tributary.kafka;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tributary.config.ConfigValues;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.Properties;
import java.util.jar.JarFile;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.slf4j.LoggerFactory;

/**
 * Amazon MSK IAM access control cannot be exercised without MSK; what can be is that the shaded
 * jobs jar, alone on a class path as on a Flink cluster (plus the SLF4J API Flink provides), builds
 * Kafka clients with our {@code kafka.auth=iam} properties: Kafka finds MSK's login module and
 * callback handler in the jar, the login module logs in, and the handler builds its AWS
 * credentials chain (with an STS client to assume a role) on the jar's one HTTP client.
 */
class IamLoginFromJobsJarTest {
    private static final Path JAR = Path.of("../jobs/target/tributary-jobs-0.1.0-SNAPSHOT-flink.jar");

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"default-chain", "role"})
    void theJobsJarsKafkaClientsLogInWithMsksIamModule(String credentials) throws Exception {
        assertThat(JAR).as("the shaded jar the jobs module builds (mvn -pl jobs -am package)").exists();
        Map<String, String> values = credentials.equals("role")
                ? Map.of("kafka.auth", "iam", "kafka.auth.iam.role-arn", "arn:aws:iam::123456789012:role/msk-client", "kafka.auth.iam.role-session-name", "telemetry")
                : Map.of("kafka.auth", "iam");
        KafkaAuth auth = KafkaAuth.from(new ConfigValues(values), Map.of(), Map.of());
        URL jar = JAR.toUri().toURL();
        URL slf4j = LoggerFactory.class.getProtectionDomain().getCodeSource().getLocation();
        ClassLoader previous = Thread.currentThread().getContextClassLoader();
        try (URLClassLoader classes = new URLClassLoader(new URL[] {jar, slf4j}, ClassLoader.getPlatformClassLoader())) {
            for (String name : new String[] {KafkaAuth.IAM_LOGIN_MODULE, KafkaAuth.IAM_CALLBACK_HANDLER, "org.apache.kafka.clients.producer.KafkaProducer"}) {
                assertThat(Class.forName(name, true, classes).getProtectionDomain().getCodeSource().getLocation()).as(name).isEqualTo(jar);
            }
            // Kafka loads the login module (JAAS) and the callback handler class through the context class loader, as Flink's tasks set it.
            Thread.currentThread().setContextClassLoader(classes);
            Properties properties = new Properties();
            properties.putAll(auth.clientProperties());
            properties.put("bootstrap.servers", "localhost:9");
            properties.put("key.serializer", "org.apache.kafka.common.serialization.ByteArraySerializer");
            properties.put("value.serializer", "org.apache.kafka.common.serialization.ByteArraySerializer");
            Class<?> producerClass = classes.loadClass("org.apache.kafka.clients.producer.KafkaProducer");
            Object producer = producerClass.getConstructor(Properties.class).newInstance(properties);
            producerClass.getMethod("close", Duration.class).invoke(producer, Duration.ZERO);
        } finally {
            Thread.currentThread().setContextClassLoader(previous);
        }
    }

    @org.junit.jupiter.api.Test
    void theJarsAwsSdkIsTheBomsWithTheJdksHttpClientOnly() throws Exception {
        try (JarFile jar = new JarFile(JAR.toFile())) {
            java.util.Set<String> versions = new java.util.TreeSet<>();
            jar.stream().filter(entry -> entry.getName().startsWith("META-INF/maven/software.amazon.awssdk/") && entry.getName().endsWith("pom.properties"))
                    .forEach(entry -> {
                        try {
                            Properties pom = new Properties();
                            pom.load(jar.getInputStream(entry));
                            versions.add(pom.getProperty("version"));
                        } catch (java.io.IOException e) {
                            throw new java.io.UncheckedIOException(e);
                        }
                    });
            assertThat(versions).as("AWS SDK versions in the jar").containsExactly("2.40.2");
            assertThat(jar.getEntry("software/amazon/awssdk/http/urlconnection/UrlConnectionHttpClient.class")).isNotNull();
            assertThat(jar.getEntry("software/amazon/awssdk/http/apache/ApacheHttpClient.class")).as("Apache HTTP client").isNull();
            assertThat(jar.getEntry("software/amazon/awssdk/http/nio/netty/NettyNioAsyncHttpClient.class")).as("Netty HTTP client").isNull();
            assertThat(jar.getEntry("software/amazon/awssdk/services/secretsmanager/SecretsManagerClient.class")).isNotNull();
        }
    }
}

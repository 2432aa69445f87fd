package dev.dynamo.node;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.boot.context.properties.ConfigurationPropertiesScan;

/** A Dynamo node: every node is the same program; configuration says which one it is. */
// A node is no client of its own cluster: tests and benches put the starter on the node's classpath.
@SpringBootApplication(excludeName = {"dev.dynamo.client.autoconfigure.DynamoClientAutoConfiguration",
        "dev.dynamo.client.autoconfigure.DynamoHealthAutoConfiguration"})
@ConfigurationPropertiesScan
public class DynamoNodeApplication {

    public static void main(String[] args) {
        SpringApplication.run(DynamoNodeApplication.class, args);
    }
}

package dev.dynamo.node;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.boot.context.properties.ConfigurationPropertiesScan;

/** A Dynamo node: every node is the same program; configuration says which one it is. */
@SpringBootApplication
@ConfigurationPropertiesScan
public class DynamoNodeApplication {

    public static void main(String[] args) {
        SpringApplication.run(DynamoNodeApplication.class, args);
    }
}

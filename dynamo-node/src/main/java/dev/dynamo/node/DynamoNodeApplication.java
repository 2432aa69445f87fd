package dev.dynamo.node;

import dev.dynamo.node.cli.AdminCli;
import java.util.Arrays;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.boot.context.properties.ConfigurationPropertiesScan;

/** A Dynamo node: every node is the same program; configuration says which one it is. */
// A node is no client of its own cluster: tests and benches put the starter on the node's classpath.
@SpringBootApplication(excludeName = {"dev.dynamo.client.autoconfigure.DynamoClientAutoConfiguration",
        "dev.dynamo.client.autoconfigure.DynamoHealthAutoConfiguration"})
@ConfigurationPropertiesScan
public class DynamoNodeApplication {

    /** Runs a node; {@code admin ...} runs the operator CLI instead. */
    public static void main(String[] args) {
        if (args.length > 0 && args[0].equals("admin")) {
            // a client of a node's HTTP API, not a node: no Spring context, so it starts in a moment
            AdminCli.main(Arrays.copyOfRange(args, 1, args.length));
            return;
        }
        SpringApplication.run(DynamoNodeApplication.class, args);
    }
}

package dev.dynamo.node;

import dev.dynamo.node.membership.NodeIdentity;
import dev.dynamo.node.storage.StorageProperties;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.context.event.ApplicationReadyEvent;
import org.springframework.context.event.EventListener;
import org.springframework.stereotype.Component;

/** Tells the operator where the node answers and how to try it, and of a JVM known to crash under it. */
@Component
class StartupMessage {

    private static final Logger log = LoggerFactory.getLogger(StartupMessage.class);

    private final NodeIdentity identity;
    private final StorageProperties storage;

    StartupMessage(NodeIdentity identity, StorageProperties storage) {
        this.identity = identity;
        this.storage = storage;
    }

    @EventListener
    void ready(ApplicationReadyEvent event) {
        var environment = event.getApplicationContext().getEnvironment();
        String host = environment.getProperty("server.address", "127.0.0.1");
        String url = "http://" + host + ":" + environment.getProperty("local.server.port");
        log.info("""
                Dynamo node {} is ready at {}/ ({} storage in {})
                  try: curl -i -X PUT -H 'Content-Type: text/plain' --data 'hello' {}/kv/demo/greeting
                       curl -i {}/kv/demo/greeting""",
                identity.id(), url, storage.engine(), storage.path().toAbsolutePath().normalize(), url, url);
        JdkCompilerFault.warning().ifPresent(log::warn);
    }
}

package dev.dynamo.node.peer;

import static org.assertj.core.api.Assertions.assertThat;

import dev.dynamo.core.ring.Member;
import dev.dynamo.core.wire.Message;
import dev.dynamo.node.transport.MessageTooLargeException;
import dev.dynamo.node.transport.ScriptedTransport;
import dev.dynamo.node.transport.Transport;
import dev.dynamo.node.transport.TransportException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;

/** Every call's outcome reaches the failure detector once, and only outcomes that tell of the peer. */
class PeerCallsTest {

    private static final Member PEER = new Member("peer", "127.0.0.9:7070", "z");

    private final List<String> heard = new ArrayList<>();
    private final FailureDetector detector = new FailureDetector() {
        @Override
        public boolean isAvailable(String id) {
            return true;
        }

        @Override
        public void succeeded(String id) {
            heard.add("succeeded " + id);
        }

        @Override
        public void failed(String id) {
            heard.add("failed " + id);
        }

        @Override
        public void heartbeat(String id, long generation) {
        }
    };

    @Test
    void aReplyOfAnyKindIsAnAnswerAndOneOfAnotherTypeFailsTheCall() {
        PeerCalls calls = new PeerCalls(answering(new Message.Failure(Message.Failure.Kind.UNAVAILABLE, "starting")),
                detector);

        CompletableFuture<Message.Ack> call = calls.call(PEER, new Message.Describe(), Message.Ack.class);

        assertThat(call).failsWithin(Duration.ZERO).withThrowableThat()
                .havingCause().isInstanceOfSatisfying(UnexpectedReplyException.class,
                        e -> assertThat(e.failure()).isPresent());
        assertThat(heard).containsExactly("succeeded peer");
    }

    @Test
    void noReplyIsAFailureOfThePeerButATooLargeRequestIsNot() {
        new PeerCalls(failing(new TransportException("no reply")), detector).call(PEER, new Message.Describe());
        new PeerCalls(failing(new MessageTooLargeException("over the frame limit")), detector)
                .call(PEER, new Message.Describe());

        assertThat(heard).containsExactly("failed peer");
    }

    private static Transport answering(Message reply) {
        return fake(CompletableFuture.completedFuture(reply));
    }

    private static Transport failing(RuntimeException error) {
        return fake(CompletableFuture.failedFuture(error));
    }

    private static Transport fake(CompletableFuture<Message> outcome) {
        return new ScriptedTransport("127.0.0.1:7070", request -> outcome);
    }
}

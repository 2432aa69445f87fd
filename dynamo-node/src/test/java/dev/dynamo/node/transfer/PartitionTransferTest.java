package dev.dynamo.node.transfer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.dynamo.core.key.StorageKey;
import dev.dynamo.core.ring.Member;
import dev.dynamo.core.ring.PartitionRange;
import dev.dynamo.core.wire.Message.PartitionEntries.Estimate;
import dev.dynamo.node.transfer.PartitionTransfer.State;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import org.junit.jupiter.api.Test;

class PartitionTransferTest {

    private static final PartitionRange RANGE = new PartitionRange(1, 0);
    private static final Member SOURCE = new Member("node-1", "127.0.0.1:7001", "z");
    private static final StorageKey KEY = StorageKey.of("b", "k".getBytes(StandardCharsets.UTF_8));

    private final ManualClock clock = new ManualClock();
    private final PartitionTransfer transfer = new PartitionTransfer(RANGE, SOURCE);

    @Test
    void streamsBatchesAfterItsCursorUntilDone() {
        assertThat(transfer.state()).isEqualTo(State.PENDING);
        transfer.stream(clock.instant());
        assertThat(transfer.nextRead(10, 100).after()).as("the first batch starts the partition").isNull();

        clock.advance(Duration.ofSeconds(2));
        transfer.advance(KEY, 10, 4_000, new Estimate(100, 40_000), clock.instant());

        assertThat(transfer.nextRead(10, 100).after()).isEqualTo(KEY);
        assertThat(transfer.progress(clock.instant())).isEqualTo(new TransferProgress(0, "node-1", "127.0.0.1:7001",
                "STREAMING", 10, 100L, 4_000, 40_000L, 2_000, 18L, 0, null, 0, null));
        transfer.finish();
        assertThat(transfer.completion()).isCompleted();
        assertThat(transfer.progress(clock.instant())).extracting(TransferProgress::state,
                TransferProgress::keysTotal, TransferProgress::bytesTotal, TransferProgress::etaSeconds)
                .containsExactly("DONE", 10L, 4_000L, 0L);
        assertThat(transfer.standing().done()).isTrue();
    }

    @Test
    void aFailureGivesTheSlotBackAndARetryWaitsForOneAgain() {
        transfer.stream(clock.instant());
        assertThat(transfer.fail("refused")).isEqualTo(1);
        assertThat(transfer.state()).isEqualTo(State.FAILED);
        transfer.retry();
        transfer.stream(clock.instant());
        assertThat(transfer.fail("refused again")).isEqualTo(2);
        assertThat(transfer.progress(clock.instant())).extracting(TransferProgress::failures,
                TransferProgress::lastError).containsExactly(2, "refused again");
        transfer.retry();
        transfer.stream(clock.instant());
        transfer.advance(KEY, 1, 10, null, clock.instant());
        assertThat(transfer.progress(clock.instant())).extracting(TransferProgress::failures,
                TransferProgress::lastError, TransferProgress::keysTotal, TransferProgress::etaSeconds)
                .containsExactly(0, null, null, null);
    }

    @Test
    void eachTransitionHappensOnlyFromItsState() {
        assertThatThrownBy(() -> transfer.nextRead(1, 1)).isInstanceOf(IllegalStateException.class)
                .hasMessage("cannot ask for a batch the transfer of partition 0 in state PENDING, only in STREAMING");
        assertThatThrownBy(transfer::finish).isInstanceOf(IllegalStateException.class);
        assertThatThrownBy(() -> transfer.fail("x")).isInstanceOf(IllegalStateException.class);
        assertThatThrownBy(transfer::retry).isInstanceOf(IllegalStateException.class);
        transfer.stream(clock.instant());
        assertThatThrownBy(() -> transfer.stream(clock.instant())).isInstanceOf(IllegalStateException.class);
        transfer.finish();
        assertThatThrownBy(() -> transfer.advance(KEY, 1, 1, null, clock.instant()))
                .isInstanceOf(IllegalStateException.class);
        assertThatThrownBy(() -> transfer.switchSource(SOURCE)).isInstanceOf(IllegalStateException.class)
                .hasMessage("partition 0 is transferred already");
    }

    @Test
    void aKeptTransferResumesFromItsCursorOrStaysDone() {
        transfer.stream(clock.instant());
        transfer.advance(KEY, 7, 70, new Estimate(9, 90), clock.instant());
        Member other = new Member("node-2", "127.0.0.1:7002", "z");
        transfer.switchSource(other);

        PartitionTransfer resumed = new PartitionTransfer(TransferStore.decode(TransferStore.encode(transfer.standing())));

        assertThat(resumed.state()).isEqualTo(State.PENDING);
        assertThat(resumed.source()).isEqualTo(other);
        resumed.stream(clock.instant());
        assertThat(resumed.nextRead(5, 5).after()).isEqualTo(KEY);
        assertThat(resumed.progress(clock.instant())).extracting(TransferProgress::keysDone, TransferProgress::keysTotal,
                TransferProgress::bytesDone, TransferProgress::bytesTotal).containsExactly(7L, 9L, 70L, 90L);
        resumed.finish();
        PartitionTransfer done = new PartitionTransfer(TransferStore.decode(TransferStore.encode(resumed.standing())));
        assertThat(done.state()).isEqualTo(State.DONE);
        assertThat(done.completion()).isCompleted();
    }
}

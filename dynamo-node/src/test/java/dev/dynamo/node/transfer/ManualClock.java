package dev.dynamo.node.transfer;

import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;

/** A clock that moves only when a test moves it. */
final class ManualClock implements InstantSource {

    static final Instant START = Instant.parse("2025-01-01T00:00:00Z");

    private Instant now = START;

    @Override
    public Instant instant() {
        return now;
    }

    void advance(Duration duration) {
        now = now.plus(duration);
    }
}

package dev.dynamo.core.membership;

import static org.assertj.core.api.Assertions.assertThat;

import dev.dynamo.core.ring.Member;
import dev.dynamo.core.ring.Ring;
import dev.dynamo.core.ring.RingChange;
import org.junit.jupiter.api.Test;

class ClaimantTest {

    private static final int N = 3;
    private final MembershipView formed = MembershipView.formed(Ring.create(64, Views.members(3)));

    @Test
    void theClaimantIsTheFirstUpMemberOfTheRing() {
        assertThat(Claimant.of(formed)).hasValue("node-0");
        MembershipView leaving = formed.with(formed.member("node-0").orElseThrow()
                .changed(Views.member(0), MemberStatus.LEAVING, "node-2"));
        assertThat(Claimant.of(leaving)).hasValue("node-1");
        assertThat(Claimant.of(MembershipView.EMPTY)).isEmpty();
    }

    @Test
    void onlyTheClaimantSteps() {
        MembershipView joining = formed.with(MemberEntry.first(Views.member(3), MemberStatus.JOINING, "node-2"));
        assertThat(Claimant.step(joining, "node-1", N)).isSameAs(joining);
        assertThat(Claimant.step(joining, "node-0", N).next()).isPresent();
    }

    @Test
    void aJoinPublishesTheNextRingWaitsForTheCopiesThenInstallsItAndMarksTheJoinerUp() {
        Member joiner = Views.member(3);
        MembershipView view = formed.with(MemberEntry.first(joiner, MemberStatus.JOINING, "node-2"));

        view = view.merge(Claimant.step(view, "node-0", N));
        Ring ring = view.ring().orElseThrow();
        Ring next = view.next().orElseThrow();
        assertThat(next.members()).contains(joiner);
        assertThat(Claimant.step(view, "node-0", N)).as("waits for the joiner's copies").isSameAs(view);

        RingChange change = new RingChange(ring, next);
        for (Member m : next.members()) {
            if (!change.incoming(m.id(), N).isEmpty()) {
                view = view.withReady(m.id(), next.version());
            }
        }
        view = view.merge(Claimant.step(view, "node-0", N));
        assertThat(view.ring()).hasValue(next);
        assertThat(view.next()).isEmpty();
        assertThat(view.member(joiner.id()).orElseThrow().status()).as("still joining until the next step")
                .isEqualTo(MemberStatus.JOINING);

        view = view.merge(Claimant.step(view, "node-0", N));
        assertThat(view.member(joiner.id()).orElseThrow().status()).isEqualTo(MemberStatus.UP);
        assertThat(Claimant.step(view, "node-0", N)).as("nothing left to do").isSameAs(view);
    }

    @Test
    void aLeaveRemovesTheLeaverFromTheRingAfterTheOthersCopiedItsPartitionsThenMarksItRemoved() {
        MembershipView view = formed.with(formed.member("node-2").orElseThrow()
                .changed(Views.member(2), MemberStatus.LEAVING, "node-1"));
        view = view.merge(Claimant.step(view, "node-0", N));
        Ring next = view.next().orElseThrow();
        assertThat(next.members()).extracting(Member::id).containsExactly("node-0", "node-1");

        // with N=3 on three nodes the two that stay hold everything already: nobody has to copy
        view = view.merge(Claimant.step(view, "node-0", N));
        assertThat(view.ring()).hasValue(next);
        view = view.merge(Claimant.step(view, "node-0", N));
        assertThat(view.member("node-2").orElseThrow().status()).isEqualTo(MemberStatus.REMOVED);
        assertThat(view.isActive("node-2")).isFalse();
    }

    @Test
    void aRequestMadeDuringAChangeReplacesItsNextRingByANewerOneWithEveryRequest() {
        MembershipView view = formed.with(MemberEntry.first(Views.member(3), MemberStatus.JOINING, "node-2"));
        view = view.merge(Claimant.step(view, "node-0", N));
        Ring next = view.next().orElseThrow();
        assertThat(Claimant.step(view, "node-0", N)).as("nothing new: the change waits").isSameAs(view);

        view = view.with(MemberEntry.first(Views.member(4), MemberStatus.JOINING, "node-1"));
        view = view.merge(Claimant.step(view, "node-0", N));
        assertThat(view.next().orElseThrow().version()).isEqualTo(next.version() + 1);
        assertThat(view.next().orElseThrow().members()).extracting(Member::id)
                .containsExactly("node-0", "node-1", "node-2", "node-3", "node-4");
    }

    @Test
    void removingAJoinerThatNeverCopiedItsShareEndsTheChangeWithoutIt() {
        MembershipView view = formed.with(MemberEntry.first(Views.member(3), MemberStatus.JOINING, "node-2"));
        view = view.merge(Claimant.step(view, "node-0", N));
        view = view.with(view.member("node-3").orElseThrow().changed(Views.member(3), MemberStatus.LEAVING, "node-1"));

        view = view.merge(Claimant.step(view, "node-0", N));
        Ring next = view.next().orElseThrow();
        assertThat(next.members()).extracting(Member::id).containsExactly("node-0", "node-1", "node-2");

        view = settled(view);
        assertThat(view.ring()).as("nobody has anything to copy").hasValue(next);
        assertThat(view.member("node-3").orElseThrow().status()).isEqualTo(MemberStatus.REMOVED);
    }

    /** The view once the claimant has nothing left to do (each step waits on nobody here). */
    private static MembershipView settled(MembershipView view) {
        for (int step = 0; step < 10; step++) {
            MembershipView stepped = Claimant.step(view, "node-0", N);
            if (stepped == view) {
                return view;
            }
            view = view.merge(stepped);
        }
        throw new AssertionError("the claimant still had work after 10 steps: " + view);
    }
}

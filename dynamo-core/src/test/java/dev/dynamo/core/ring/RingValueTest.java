package dev.dynamo.core.ring;

import static dev.dynamo.core.ring.Rings.member;
import static dev.dynamo.core.ring.Rings.members;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import org.junit.jupiter.api.Test;

class RingValueTest {

    @Test
    void equalityIsByValue() {
        Ring a = Ring.create(64, members(5, 2));
        Ring b = Ring.create(64, members(5, 2).reversed());
        assertThat(a).isEqualTo(b).hasSameHashCodeAs(b).isNotSameAs(b);
        assertThat(a.withMember(member(9))).isEqualTo(b.withMember(member(9)));
        assertThat(a.withMember(member(9))).isNotEqualTo(a);
        assertThat(Ring.of(64, 7, a.members(), a.owners())).isNotEqualTo(a);
    }

    @Test
    void changesReturnNewRingsAndLeaveTheOldOneAlone() {
        Ring a = Ring.create(8, members(2, 1));
        List<String> owners = a.owners();
        a.withMember(member(2));
        assertThat(a.owners()).isEqualTo(owners);
        assertThatThrownBy(() -> a.owners().set(0, "x")).isInstanceOf(UnsupportedOperationException.class);
    }

    @Test
    void invalidChangesAreRejected() {
        Ring a = Ring.create(8, members(2, 1));
        assertThatThrownBy(() -> a.withMember(member(1))).hasMessageContaining("already in the ring");
        assertThatThrownBy(() -> a.withoutMember("nobody")).hasMessageContaining("not in the ring");
        assertThatThrownBy(() -> a.withoutMember(member(0).id()).withoutMember(member(1).id()))
                .hasMessageContaining("last member");
        assertThatThrownBy(() -> Ring.of(2, 1, members(1, 1), List.of("node-000", "ghost")))
                .hasMessageContaining("not a member");
        assertThatThrownBy(() -> Ring.create(8, List.of())).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void membersMustHaveIdAddressAndZone() {
        assertThatThrownBy(() -> new Member(" ", "h:1", "z")).hasMessageContaining("id");
        assertThatThrownBy(() -> new Member("a", "nohost", "z")).hasMessageContaining("host:port");
        assertThatThrownBy(() -> new Member("a", "h:1", "")).hasMessageContaining("zone");
        assertThatThrownBy(() -> new Member("a", null, "z")).isInstanceOf(NullPointerException.class);
    }
}

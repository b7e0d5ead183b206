package io.troupe.cluster.bootstrap;

import static org.assertj.core.api.Assertions.assertThat;

import io.troupe.cluster.bootstrap.Formation.Answer;
import io.troupe.cluster.bootstrap.Formation.Decision;
import io.troupe.cluster.bootstrap.Formation.FormSelf;
import io.troupe.cluster.bootstrap.Formation.Join;
import io.troupe.cluster.bootstrap.Formation.Reason;
import io.troupe.cluster.bootstrap.Formation.Round;
import io.troupe.cluster.bootstrap.Formation.Wait;
import java.time.Duration;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.pekko.actor.Address;
import org.junit.jupiter.api.Test;

/** Every rule of {@link Formation#decide}, one situation at a time, without a cluster. */
final class FormationTest {

  private static final Duration MARGIN = Duration.ofSeconds(5);
  private static final Duration STABLE = Duration.ofSeconds(6);

  private static final ContactPoint CP_A = new ContactPoint("10.0.0.5", 8558);
  private static final ContactPoint CP_B = new ContactPoint("10.0.0.6", 8558);
  private static final ContactPoint CP_C = new ContactPoint("10.0.0.7", 8558);

  private static final Address A = address("10.0.0.5", 2552);
  private static final Address B = address("10.0.0.6", 2552);
  private static final Address C = address("10.0.0.7", 2552);

  private static Address address(String host, int port) {
    return new Address("pekko", "troupe", host, port);
  }

  private static Answer empty(Address self) {
    return new Answer(self, List.of());
  }

  /** Three contact points, all answering with no seeds, stable: the fresh-cluster situation. */
  private static Map<ContactPoint, Answer> allEmpty() {
    Map<ContactPoint, Answer> answers = new LinkedHashMap<>();
    answers.put(CP_A, empty(A));
    answers.put(CP_B, empty(B));
    answers.put(CP_C, empty(C));
    return answers;
  }

  private static Decision decide(
      Set<ContactPoint> discovered,
      Map<ContactPoint, Answer> answers,
      Duration stable,
      Address self) {
    return Formation.decide(new Round(discovered, answers, stable, false), self, 3, MARGIN);
  }

  @Test
  void decide_whenAllAnsweredEmptyAndStable_lowestFormsAndOthersWait() {
    Set<ContactPoint> all = Set.of(CP_A, CP_B, CP_C);
    assertThat(decide(all, allEmpty(), STABLE, A)).isEqualTo(FormSelf.INSTANCE);
    for (Address other : List.of(B, C)) {
      Decision d = decide(all, allEmpty(), STABLE, other);
      assertThat(d).isInstanceOf(Wait.class);
      assertThat(((Wait) d).reason()).isEqualTo(Reason.NOT_LOWEST);
      assertThat(((Wait) d).detail()).contains(A.toString());
    }
  }

  @Test
  void decide_lowest_comparesHostThenPort() {
    Address samePortLower = address("10.0.0.6", 2551);
    Map<ContactPoint, Answer> answers = new HashMap<>();
    answers.put(CP_B, empty(B));
    answers.put(CP_C, empty(samePortLower));
    Set<ContactPoint> two = Set.of(CP_B, CP_C);
    Round round = new Round(two, answers, STABLE, false);
    assertThat(Formation.decide(round, samePortLower, 2, MARGIN)).isEqualTo(FormSelf.INSTANCE);
    assertThat(Formation.decide(round, B, 2, MARGIN)).isInstanceOf(Wait.class);
    // host first: "10.0.0.5" with a high port is lower than "10.0.0.6" with a low one
    answers.put(CP_A, empty(address("10.0.0.5", 65000)));
    Round three = new Round(Set.of(CP_A, CP_B, CP_C), answers, STABLE, false);
    assertThat(Formation.decide(three, address("10.0.0.5", 65000), 3, MARGIN))
        .isEqualTo(FormSelf.INSTANCE);
    assertThat(Formation.decide(three, samePortLower, 3, MARGIN)).isInstanceOf(Wait.class);
  }

  @Test
  void decide_whenNotAmongTheContactPoints_neverForms() {
    Address outsider = address("10.0.0.1", 2552); // lower than everyone, but not a contact point
    Decision d = decide(Set.of(CP_A, CP_B, CP_C), allEmpty(), STABLE, outsider);
    assertThat(d).isInstanceOf(Wait.class);
    assertThat(((Wait) d).reason()).isEqualTo(Reason.NOT_LOWEST);
  }

  @Test
  void decide_withFewerThanRequired_neverForms() {
    Map<ContactPoint, Answer> answers = allEmpty();
    answers.remove(CP_C);
    Decision d = decide(Set.of(CP_A, CP_B), answers, Duration.ofHours(1), A);
    assertThat(d).isInstanceOf(Wait.class);
    assertThat(((Wait) d).reason()).isEqualTo(Reason.TOO_FEW);
    assertThat(((Wait) d).detail()).contains("2 contact point(s)").contains("needs 3");
    // nothing discovered at all
    Decision none = decide(Set.of(), Map.of(), Duration.ofHours(1), A);
    assertThat(((Wait) none).reason()).isEqualTo(Reason.TOO_FEW);
  }

  @Test
  void decide_whenOneContactPointIsSilent_waits() {
    Map<ContactPoint, Answer> answers = allEmpty();
    answers.remove(CP_C);
    Decision d = decide(Set.of(CP_A, CP_B, CP_C), answers, STABLE, A);
    assertThat(d).isInstanceOf(Wait.class);
    assertThat(((Wait) d).reason()).isEqualTo(Reason.UNANSWERED);
    assertThat(((Wait) d).detail()).contains(CP_C.toString());
  }

  @Test
  void decide_untilUnchangedForTheMargin_waits_thenForms() {
    Set<ContactPoint> all = Set.of(CP_A, CP_B, CP_C);
    Decision early = decide(all, allEmpty(), MARGIN.minusMillis(1), A);
    assertThat(((Wait) early).reason()).isEqualTo(Reason.UNSTABLE);
    assertThat(decide(all, allEmpty(), Duration.ZERO, A)).isInstanceOf(Wait.class);
    assertThat(decide(all, allEmpty(), MARGIN, A)).isEqualTo(FormSelf.INSTANCE);
  }

  @Test
  void decide_whenSomeoneReportsSeeds_joinsThemEvenIfLowest() {
    Map<ContactPoint, Answer> answers = allEmpty();
    answers.put(CP_C, new Answer(C, List.of(C, B)));
    // even with too few, silent others or an unstable set, seeds are joined
    for (Duration stable : List.of(Duration.ZERO, STABLE)) {
      assertThat(decide(Set.of(CP_A, CP_B, CP_C), answers, stable, A))
          .isEqualTo(new Join(List.of(C, B)));
    }
    Map<ContactPoint, Answer> onlyC = Map.of(CP_C, new Answer(C, List.of(C)));
    assertThat(
            Formation.decide(
                new Round(Set.of(CP_A, CP_C), onlyC, Duration.ZERO, false), A, 3, MARGIN))
        .isEqualTo(new Join(List.of(C)));
  }

  @Test
  void decide_seedsFromContactPointsNoLongerDiscovered_areIgnored() {
    Map<ContactPoint, Answer> answers = allEmpty();
    answers.put(new ContactPoint("10.0.0.99", 8558), new Answer(C, List.of(C)));
    assertThat(decide(Set.of(CP_A, CP_B, CP_C), answers, STABLE, A)).isEqualTo(FormSelf.INSTANCE);
  }

  @Test
  void decide_whenTwoClustersAreReported_joinsTheLargerThenTheOneWithTheLowestOldest() {
    Address d = address("10.0.0.8", 2552);
    Map<ContactPoint, Answer> answers = new HashMap<>();
    answers.put(CP_A, new Answer(A, List.of(B, d)));
    answers.put(CP_B, new Answer(B, List.of(C)));
    Set<ContactPoint> two = Set.of(CP_A, CP_B);
    assertThat(Formation.decide(new Round(two, answers, STABLE, false), C, 2, MARGIN))
        .isEqualTo(new Join(List.of(B, d)));
    Address e = address("10.0.0.9", 2552);
    answers.put(CP_B, new Answer(B, List.of(C, A)));
    assertThat(Formation.decide(new Round(two, answers, STABLE, false), e, 2, MARGIN))
        .isEqualTo(new Join(List.of(B, d)));
    answers.put(CP_B, new Answer(B, List.of(A, C)));
    assertThat(Formation.decide(new Round(two, answers, STABLE, false), e, 2, MARGIN))
        .isEqualTo(new Join(List.of(A, C)));
  }

  @Test
  void decide_neverListsThisNodeAmongTheSeedsToJoin() {
    Map<ContactPoint, Answer> answers = allEmpty();
    answers.put(CP_B, new Answer(B, List.of(A, B)));
    assertThat(decide(Set.of(CP_A, CP_B, CP_C), answers, STABLE, A))
        .isEqualTo(new Join(List.of(B)));
    answers.put(CP_B, new Answer(B, List.of(A)));
    Decision d = decide(Set.of(CP_A, CP_B, CP_C), answers, STABLE, A);
    assertThat(((Wait) d).reason()).isEqualTo(Reason.ONLY_SELF_REPORTED);
  }

  @Test
  void decide_whenAlreadyJoiningOrMember_neverForms_butStillJoinsReportedSeeds() {
    Set<ContactPoint> all = Set.of(CP_A, CP_B, CP_C);
    Decision d = Formation.decide(new Round(all, allEmpty(), STABLE, true), A, 3, MARGIN);
    assertThat(d).isInstanceOf(Wait.class);
    assertThat(((Wait) d).reason()).isEqualTo(Reason.JOINING);
    Map<ContactPoint, Answer> answers = allEmpty();
    answers.put(CP_B, new Answer(B, List.of(B)));
    assertThat(Formation.decide(new Round(all, answers, STABLE, true), A, 3, MARGIN))
        .isEqualTo(new Join(List.of(B)));
  }

  @Test
  void decide_sameSituation_sameWaitDetail_soItIsLoggedOnce() {
    Map<ContactPoint, Answer> answers = allEmpty();
    answers.remove(CP_C);
    Set<ContactPoint> all = Set.of(CP_A, CP_B, CP_C);
    assertThat(decide(all, answers, Duration.ofSeconds(1), B))
        .isEqualTo(decide(all, answers, Duration.ofSeconds(9), B));
    assertThat(decide(all, allEmpty(), Duration.ofSeconds(1), B))
        .isEqualTo(decide(all, allEmpty(), Duration.ofSeconds(2), B));
  }
}

"""The programme scheduler: every placement keeps every rule, the optimum matches brute force, infeasible
programmes are explained, fixed sessions stay, the checker works on unfinished placements, and the
`schedule-programme` command. `solve` needs no database."""

import json
import re
from io import StringIO

import pytest
from django.core.management import CommandError, call_command
from django.utils import translation
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tadamon.programme.scheduler import objective, solve, violations

KINDS = ["conference", "workshop", "show"]
AUDIENCES = ["public", "public", "cooperatives", "women artisans", None]
PROPERTY = settings(max_examples=100, deadline=None, derandomize=True, suppress_health_check=[HealthCheck.too_slow])


@pytest.fixture(autouse=True)
def english():
    with translation.override("en"):
        yield


# ---- instances -----------------------------------------------------------------------------------

def slots(days, per_day, ids=None):
    """`per_day` slots of 90 minutes on each of `days` days, ids 1, 2, … unless given."""
    times = [("09:00", "10:30"), ("11:00", "12:30"), ("14:30", "16:00"), ("16:30", "18:00")]
    out = []
    for day in range(days):
        for start, end in times[:per_day]:
            key = len(out) + 1 if ids is None else ids[len(out)]
            out.append({"id": key, "day": f"2025-05-{12 + day}", "start": start, "end": end})
    return out


def space(id, capacity=100, kinds=("conference", "workshop", "show")):
    return {"id": id, "capacity": capacity, "kinds": list(kinds)}


def speaker(id, available):
    return {"id": id, "available_slots": list(available)}


def session(id, kind="conference", audience="public", duration=1, attendance=10, speakers=(), fixed=None):
    return {"id": id, "kind": kind, "audience": audience, "duration_slots": duration,
            "expected_attendance": attendance, "speakers": list(speakers), "fixed": fixed}


def programme(slot_list, spaces, sessions, speakers=()):
    return {"slots": slot_list, "spaces": spaces, "speakers": list(speakers), "sessions": sessions}


@st.composite
def instances(draw, max_days=2, max_per_day=3, max_spaces=3, max_sessions=6, audiences=AUDIENCES, crowded=False):
    """Small random programmes: 1-2 days of 1-3 slots, 1-3 spaces of various kinds and sizes, up to 3
    speakers available most of the time, sessions of 1 or 2 slots (now and then 3) for few audiences, a
    few fixed (not always sensibly), ids numbers or strings; no more sessions than slots × spaces. About
half cannot be placed, for every kind of reason. `crowded`: at least 2/3 as many sessions as that."""
    days, per_day = draw(st.integers(1, max_days)), draw(st.integers(1, max_per_day))
    text_ids = draw(st.booleans())
    slot_list = slots(days, per_day, ids=[f"t{n}" for n in range(days * per_day)] if text_ids else None)
    slot_ids = [s["id"] for s in slot_list]
    spaces = [space(f"room {k}" if text_ids else 100 + k, draw(st.sampled_from([40, 100, 200])),
                    draw(st.lists(st.sampled_from(KINDS), min_size=2, max_size=3, unique=True)))
              for k in range(draw(st.integers(1, max_spaces)))]
    speakers = [speaker(f"p{k}", [t for t in slot_ids if draw(st.integers(0, 5))])
                for k in range(draw(st.integers(0, 3)))]
    offered = sorted({kind for r in spaces for kind in r["kinds"]})
    durations = {1: [1], 2: [1, 1, 2], 3: [1, 1, 1, 2, 2, 3]}[per_day]
    sessions = []
    most = min(max_sessions, len(slot_list) * len(spaces))
    for n in range(draw(st.integers(max(1, 2 * most // 3) if crowded else 1, most))):
        fixed = None
        if draw(st.integers(0, 9)) == 0:
            fixed = {"slot": draw(st.sampled_from(slot_ids)), "space": draw(st.sampled_from(spaces))["id"]}
        sessions.append(session(
            f"s{n}" if text_ids else n + 1,
            kind="panel" if draw(st.integers(0, 29)) == 0 else draw(st.sampled_from(offered)),
            audience=draw(st.sampled_from(audiences)),
            duration=draw(st.sampled_from(durations)),
            attendance=draw(st.sampled_from([0, 15, 30, 80])),
            speakers=draw(st.lists(st.sampled_from([p["id"] for p in speakers]), max_size=2, unique=True))
            if speakers else [],
            fixed=fixed,
        ))
    return programme(slot_list, spaces, sessions, speakers)


def placeable(instance):
    """Whether some complete placement breaks no rule (depth-first, stopping at the first)."""
    sessions = instance["sessions"]

    def search(n, placement):
        if n == len(sessions):
            return True
        for t in instance["slots"]:
            for r in instance["spaces"]:
                trial = {**placement, str(sessions[n]["id"]): {"slot": t["id"], "space": r["id"]}}
                if not violations(instance, trial) and search(n + 1, trial):
                    return True
        return False

    return search(0, {})


def best_by_brute_force(instance):
    """The least objective over every complete placement that breaks no rule (None: there is none), by
    depth-first search over each session's possible places, cut as soon as a rule breaks or the pairs
    counted so far reach the best."""
    sessions = instance["sessions"]
    options = []
    for s in sessions:
        places = [{"slot": t["id"], "space": r["id"]} for t in instance["slots"] for r in instance["spaces"]]
        options.append([p for p in places if not violations(instance, {str(s["id"]): p})])
    best = None

    def search(n, placement):
        nonlocal best
        if n == len(sessions):
            best = objective(instance, placement)
            return
        for place in options[n]:
            trial = {**placement, str(sessions[n]["id"]): place}
            if violations(instance, trial):
                continue
            if best is not None and objective(instance, trial) >= best:
                continue
            search(n + 1, trial)

    search(0, {})
    return best


def check_result(instance, result):
    """What every result must be: a complete placement keeping every rule, its objective recounted, and
    fixed sessions in place; or infeasible with reasons and nothing placed."""
    assert set(result) == {"status", "objective", "placement", "conflicts"}
    if result["status"] == "infeasible":
        assert result["conflicts"] and all(isinstance(c, str) and c for c in result["conflicts"])
        assert result["placement"] == {} and result["objective"] == 0
        return
    assert result["status"] in ("optimal", "feasible") and result["conflicts"] == []
    placement = result["placement"]
    assert set(placement) == {str(s["id"]) for s in instance["sessions"]}
    assert violations(instance, placement, complete=True) == []
    assert result["objective"] == objective(instance, placement)
    slot_ids, space_ids = [t["id"] for t in instance["slots"]], [r["id"] for r in instance["spaces"]]
    for s in instance["sessions"]:
        place = placement[str(s["id"])]
        assert place["slot"] in slot_ids and place["space"] in space_ids
        assert any(type(place["slot"]) is type(t) for t in slot_ids)
        if s["fixed"]:  # ids match by their text
            assert (str(place["slot"]), str(place["space"])) == (str(s["fixed"]["slot"]), str(s["fixed"]["space"]))


# ---- properties ----------------------------------------------------------------------------------

@PROPERTY
@given(instances(max_days=3, max_spaces=4, max_sessions=10, audiences=["public", "public", "cooperatives", None]))
def test_every_placement_keeps_every_rule(instance):
    check_result(instance, solve(instance, time_limit=10))


@PROPERTY
@given(instances(max_days=2, max_spaces=3, max_sessions=5, audiences=["public"] * 3 + [None]))
def test_optimum_equals_brute_force(instance):
    result = solve(instance, time_limit=10)
    check_result(instance, result)
    best = best_by_brute_force(instance)
    if best is None:
        assert result["status"] == "infeasible"
        check_conflict_sets(instance, result["conflicts"])
    else:
        assert result["status"] == "optimal"
        assert result["objective"] == best


@PROPERTY
@given(instances(max_days=2, max_spaces=2, max_sessions=7, crowded=True))
def test_conflict_sets_cannot_be_placed_and_each_member_counts(instance):
    result = solve(instance, time_limit=10)
    check_result(instance, result)
    check_conflict_sets(instance, result["conflicts"])


CONFLICT_SET = re.compile(r"Sessions (.+?) cannot all be placed: (?:speakers? (.+?) can (?:each )?only|the spaces)")


def check_conflict_sets(instance, conflicts):
    """Each set of sessions (and speakers) named as a conflict cannot be placed on its own, the other
    speakers' one-at-a-time rule aside, and can without any one of its sessions or speakers."""
    for text in conflicts:
        match = CONFLICT_SET.match(text)
        if not match:
            continue
        sessions = [name.removesuffix(" (fixed)") for name in match.group(1).split(", ")]
        speakers = match.group(2).split(", ") if match.group(2) else []
        assert not placeable(restricted(instance, sessions, speakers))
        for name in sessions:
            assert placeable(restricted(instance, [s for s in sessions if s != name], speakers))
        for name in speakers:
            assert placeable(restricted(instance, sessions, [p for p in speakers if p != name]))


def restricted(instance, sessions, speakers):
    """The instance with only `sessions`, and each other speaker split into one per session (same
    availability), so that only `speakers` must be in one session at a time."""
    available = {str(p["id"]): p["available_slots"] for p in instance["speakers"]}
    kept, split = [], []
    for s in instance["sessions"]:
        if str(s["id"]) not in sessions:
            continue
        own = []
        for p in s["speakers"]:
            if str(p) in speakers:
                own.append(p)
            else:
                own.append(f"{p}@{s['id']}")
                split.append(speaker(own[-1], available[str(p)]))
        kept.append({**s, "speakers": own})
    named = [p for p in instance["speakers"] if str(p["id"]) in speakers]
    return {**instance, "sessions": kept, "speakers": named + split}


# ---- the objective -------------------------------------------------------------------------------

def test_objective_counts_pairs_sharing_a_slot_once():
    instance = programme(slots(1, 4), [space("A"), space("B"), space("C")], [
        session(1, duration=2), session(2, duration=2), session(3), session(4, audience="cooperatives"),
        session(5, audience=None), session(6, audience=None)])
    placement = {"1": {"slot": 1, "space": "A"}, "2": {"slot": 1, "space": "B"}, "3": {"slot": 2, "space": "C"},
                 "4": {"slot": 1, "space": "C"}, "5": {"slot": 3, "space": "A"}, "6": {"slot": 3, "space": "B"}}
    # 1-2 share two slots (one pair), 1-3 and 2-3 share slot 2; 4 is alone in its audience, 5 and 6 have none.
    assert objective(instance, placement) == 3
    assert violations(instance, placement, complete=True) == []
    assert objective(instance, {"1": {"slot": 1, "space": "A"}, "3": {"slot": 3, "space": "B"}}) == 0


def test_audiences_are_spread_when_they_can_be():
    instance = programme(slots(1, 3), [space("A"), space("B")], [
        session(1), session(2), session(3), session(4, audience="cooperatives"), session(5, audience="cooperatives"),
        session(6, audience="cooperatives")])
    result = solve(instance)
    check_result(instance, result)
    assert result["status"] == "optimal" and result["objective"] == 0


def test_unavoidable_overlaps_are_kept_to_the_least():
    # 5 public sessions (one of 2 slots) in 3 slots and 3 spaces: 6 slot-uses in 3 slots, at best 2 a slot.
    instance = programme(slots(1, 3), [space("A"), space("B"), space("C")], [
        session(1, duration=2), session(2), session(3), session(4), session(5)])
    result = solve(instance)
    check_result(instance, result)
    assert result["status"] == "optimal"
    assert result["objective"] == best_by_brute_force(instance) == 3


def test_many_sessions_of_one_audience():
    # 40 public talks in 8 slots and 5 rooms: 5 a slot at best, C(5, 2) = 10 pairs a slot.
    instance = programme(slots(2, 4), [space(k) for k in "ABCDE"], [session(n) for n in range(1, 41)])
    result = solve(instance, time_limit=20)
    check_result(instance, result)
    assert result["status"] == "optimal" and result["objective"] == 80


def test_a_long_session_is_kept_apart_too():
    # The conference takes the first half of the day in the hall; the two talks fit the other half.
    instance = programme(slots(1, 4), [space("hall"), space("room")], [
        session(1, duration=2, fixed={"slot": 1, "space": "hall"}), session(2), session(3)])
    result = solve(instance)
    check_result(instance, result)
    assert result["objective"] == 0
    assert {result["placement"]["2"]["slot"], result["placement"]["3"]["slot"]} == {3, 4}


# ---- fixed sessions and ids ----------------------------------------------------------------------

def test_fixed_sessions_stay_even_when_it_costs():
    instance = programme(slots(1, 2), [space("A"), space("B")], [
        session(1, fixed={"slot": 1, "space": "B"}), session(2, fixed={"slot": 1, "space": "A"}), session(3)])
    result = solve(instance)
    check_result(instance, result)
    assert result["placement"]["1"] == {"slot": 1, "space": "B"}
    assert result["placement"]["2"] == {"slot": 1, "space": "A"}
    assert result["placement"]["3"]["slot"] == 2 and result["objective"] == 1


def test_ids_keep_their_type_and_match_by_text():
    instance = programme(slots(1, 2, ids=["7", 8]), [space(5), space("hall")],
                         [session("a", fixed={"slot": 7, "space": "5"}, speakers=[1]), session(2, speakers=["1"])],
                         speakers=[speaker(1, [7, "8"])])
    result = solve(instance)
    check_result(instance, result)
    assert result["placement"]["a"] == {"slot": "7", "space": 5}
    assert result["placement"]["2"]["slot"] == 8


def test_on_solution_reports_each_better_placement():
    instance = programme(slots(2, 3), [space("A"), space("B")], [session(n, duration=1 + n % 2) for n in range(6)])
    found = []
    result = solve(instance, on_solution=lambda seconds, value: found.append((seconds, value)))
    values = [value for _seconds, value in found]
    assert values and values == sorted(set(values), reverse=True) and values[-1] == result["objective"]
    assert all(seconds >= 0 for seconds, _value in found)


def test_an_empty_programme():
    assert solve(programme(slots(1, 2), [space("A")], [])) == {
        "status": "optimal", "objective": 0, "placement": {}, "conflicts": []}


# ---- infeasible programmes -----------------------------------------------------------------------

def conflicts(instance):
    result = solve(instance, time_limit=10)
    assert result["status"] == "infeasible" and result["placement"] == {}
    return result["conflicts"]


def test_no_space_for_the_kind_or_the_crowd():
    instance = programme(slots(1, 2), [space("A", 100, ["conference"]), space("B", 300, ["show"])], [
        session(1, kind="panel"), session(2, kind="conference", attendance=250), session(3)])
    assert conflicts(instance) == [
        "Session 1: no space is meant for panel.",
        "Session 2 expects 250 people, but the largest space meant for conference seats 100.",
    ]


def test_no_run_of_slots_long_enough():
    instance = programme(slots(2, 2), [space("A")], [session(1, duration=3)])
    assert conflicts(instance) == ["Session 1 lasts 3 slots, but no day has that many slots in a row."]
    assert conflicts(programme([], [space("A")], [session(1)])) == ["Session 1: there is no slot."]


def test_speakers_never_available_for_the_session():
    # Day 1: slots 1, 2; day 2: slots 3, 4.
    instance = programme(slots(2, 2), [space("A")], [
        session(1, duration=2, speakers=["amina"]), session(2, speakers=["karim"]),
        session(3, duration=2, speakers=["amina", "youssef"]), session(4, speakers=["youssef", "karim"])],
        speakers=[speaker("amina", [2, 3]), speaker("karim", []), speaker("youssef", [1, 4])])
    assert conflicts(instance) == [
        "Session 1 lasts 2 slots, but speaker amina is never available for 2 slots in a row in one day.",
        "Session 2: speaker karim is available in no slot.",
        "Session 3 lasts 2 slots, but speaker amina is never available for 2 slots in a row in one day.",
        "Session 3 lasts 2 slots, but speaker youssef is never available for 2 slots in a row in one day.",
        "Session 4: speaker karim is available in no slot.",
    ]
    instance["speakers"][1]["available_slots"] = [2, 3]
    instance["sessions"] = instance["sessions"][3:]
    assert conflicts(instance) == ["Session 4: its speakers youssef, karim are never available in the same slot."]
    instance["sessions"] = [session(5, duration=2, speakers=["karim", "youssef"])]
    instance["speakers"][1]["available_slots"] = [1, 3, 4]
    instance["speakers"][2]["available_slots"] = [1, 2, 3]
    assert conflicts(instance) == ["Session 5 lasts 2 slots, but its speakers karim, youssef are never all "
                                   "available for 2 slots in a row in one day."]


def test_fixed_somewhere_that_breaks_a_rule():
    instance = programme(slots(1, 2), [space("A", 30, ["workshop"])], [
        session(1, kind="conference", attendance=50, fixed={"slot": 1, "space": "A"}),
        session(2, kind="workshop", duration=2, fixed={"slot": 2, "space": "A"}),
        session(3, kind="workshop", speakers=["amina"], fixed={"slot": 1, "space": "A"})],
        speakers=[speaker("amina", [2])])
    assert conflicts(instance) == [
        "Session 1 is fixed at slot 1 (2025-05-12, 09:00–10:30) in space A, but the space is not meant for "
        "conference; the space seats 30, not the 50 expected.",
        "Session 2 is fixed at slot 2 (2025-05-12, 11:00–12:30) in space A, but its 2 slots would run past the "
        "end of the day.",
        "Session 3 is fixed at slot 1 (2025-05-12, 09:00–10:30) in space A, but speaker amina is not available "
        "at slot 1 (2025-05-12, 09:00–10:30).",
    ]


def test_two_fixed_sessions_clash():
    instance = programme(slots(1, 3), [space("A"), space("B")], [
        session(1, duration=2, fixed={"slot": 1, "space": "A"}), session(2, fixed={"slot": 2, "space": "A"}),
        session(3, speakers=["amina"], fixed={"slot": 3, "space": "A"}),
        session(4, speakers=["amina"], duration=2, fixed={"slot": 2, "space": "B"}), session(5)],
        speakers=[speaker("amina", [1, 2, 3])])
    assert conflicts(instance) == [
        "Fixed sessions 1 and 2 are both in space A at slot 2 (2025-05-12, 11:00–12:30).",
        "Speaker amina is in fixed sessions 3 and 4 at once, at slot 3 (2025-05-12, 14:30–16:00).",
    ]


def test_too_many_sessions_for_the_spaces_names_just_those():
    # Workshops only fit the training room: 3 of 2 slots in a day of 4 slots is one too many; the shows are
    # fine, and so is the workshop whose trainer is elsewhere.
    instance = programme(slots(1, 4), [space("training", 30, ["workshop"]), space("hall", 300, ["show"])], [
        session(1, kind="workshop", duration=2), session(2, kind="show"), session(3, kind="workshop", duration=2),
        session(4, kind="workshop", duration=2), session(5, kind="show")])
    assert conflicts(instance) == [
        "Sessions 1, 3, 4 cannot all be placed: the spaces that suit them (training) are not free long enough in "
        "the slots when they can take place."]


def test_a_speaker_in_demand_is_named():
    # Two rooms, but amina is available in one slot only and speaks in two sessions; 3 is fixed there.
    instance = programme(slots(1, 3), [space("A"), space("B")], [
        session(1), session(2, speakers=["amina"]), session(3, speakers=["amina"], fixed={"slot": 2, "space": "B"})],
        speakers=[speaker("amina", [2])])
    assert conflicts(instance) == [
        "Sessions 2, 3 (fixed) cannot all be placed: speaker amina can only be in one of them at a time, and the "
        "spaces that suit them (A, B) are not free long enough in the slots when they can take place."]


def test_every_reason_at_once():
    # A session with no space is set aside; the others still hold two separate conflicts.
    instance = programme(slots(1, 2), [space("A", kinds=["conference"]), space("B", kinds=["show"])], [
        session(1, kind="panel"), session(2), session(3), session(4), session(5, kind="show", speakers=["k"]),
        session(6, kind="show", speakers=["k"])], speakers=[speaker("k", [1, 2])])
    found = conflicts(instance)
    assert found[0] == "Session 1: no space is meant for panel."
    assert found[1].startswith("Sessions 2, 3, 4 cannot all be placed")
    assert len(found) == 2


# ---- the checker on an unfinished placement ------------------------------------------------------

def test_violations_of_a_partial_placement():
    instance = programme(slots(1, 2), [space("A", 40, ["conference"]), space("B")], [
        session(1, attendance=50, speakers=["amina"]), session(2, speakers=["amina"], duration=2),
        session(3, fixed={"slot": 2, "space": "B"}), session(4)], speakers=[speaker("amina", [1, 2])])
    assert violations(instance, {}) == []
    assert violations(instance, {"2": {"slot": 1, "space": "A"}, "4": None}) == []
    placement = {"1": {"slot": 1, "space": "A"}, "2": {"slot": 2, "space": "A"}, "3": {"slot": 1, "space": "B"},
                 "9": {"slot": 1, "space": "A"}, "4": {"slot": 3, "space": "C"}}
    assert violations(instance, placement) == [
        "The placement names an unknown session 9.",
        "Session 4: unknown slot 3.",
        "Session 4: unknown space C.",
        "Session 1 at slot 1 (2025-05-12, 09:00–10:30) in space A: the space seats 40, not the 50 expected.",
        "Session 2 at slot 2 (2025-05-12, 11:00–12:30) in space A: its 2 slots would run past the end of the day.",
        "Session 3 is fixed at slot 2 (2025-05-12, 11:00–12:30) in space B, not at slot 1 (2025-05-12, "
        "09:00–10:30) in space B.",
    ]
    clash = {"1": {"slot": 1, "space": "B"}, "2": {"slot": 1, "space": "B"}}
    assert violations(instance, clash) == [
        "Sessions 1 and 2 are both in space B at slot 1 (2025-05-12, 09:00–10:30).",
        "Speaker amina is in sessions 1 and 2 at once, at slot 1 (2025-05-12, 09:00–10:30).",
    ]
    assert violations(instance, {"1": {"slot": 1, "space": "B"}}, complete=True) == [
        "Session 2 is not placed.", "Session 3 is not placed.", "Session 4 is not placed."]


# ---- malformed input -----------------------------------------------------------------------------

def _instance(**changes):
    instance = programme(slots(1, 2), [space("A")], [session(1)], [speaker("p", [1])])
    instance.update(changes)
    return instance


@pytest.mark.parametrize("instance,message", [
    ([], "must be an object"),
    ({"slots": [], "spaces": [], "speakers": []}, "lacks: sessions"),
    (_instance(spaces={}), "spaces must be a list"),
    (_instance(slots=[{"id": 1, "day": "d"}]), r"Slot #0 lacks: start, end"),
    (_instance(slots=slots(1, 2, ids=[1, "1"])), "Slot id '1' appears twice"),
    (_instance(spaces=[space("A", capacity=-1)]), "capacity must be a whole number"),
    (_instance(spaces=[{**space("A"), "kinds": "conference"}]), "kinds must be a list of strings"),
    (_instance(speakers=[speaker("p", [1, 9])]), r"Speaker 'p': unknown slot id\(s\) in available_slots: 9"),
    (_instance(sessions=[session(1, speakers=["q"])]), r"Session 1: unknown speaker id\(s\) in speakers: 'q'"),
    (_instance(sessions=[session(1, duration=0)]), "duration_slots must be a whole number ≥ 1, not 0"),
    (_instance(sessions=[session(1, attendance=-5)]), "expected_attendance must be a whole number ≥ 0"),
    (_instance(sessions=[session(1, fixed={"slot": 9, "space": "A"})]), "fixed at an unknown slot 9"),
    (_instance(sessions=[session(1, fixed={"slot": 1, "space": "Z"})]), "fixed in an unknown space 'Z'"),
    (_instance(sessions=[session(1, fixed={"slot": 1})]), "fixed must be null or"),
    (_instance(sessions=[session(1), session(1)]), "Session id 1 appears twice"),
    (_instance(sessions=[{"id": 1, "kind": "conference"}]), "lacks: audience, duration_slots"),
    (_instance(sessions=[session(True)]), "the id must be a number or a string"),
])
def test_malformed_input_is_refused(instance, message):
    with pytest.raises(ValueError, match=message):
        solve(instance)
    with pytest.raises(ValueError, match=message):
        violations(instance, {})


def test_fixed_may_be_left_out():
    instance = _instance(sessions=[{k: v for k, v in session(1).items() if k != "fixed"}])
    assert solve(instance)["status"] == "optimal"


# ---- the command ---------------------------------------------------------------------------------

def test_command_round_trips_a_file(tmp_path):
    instance = programme(slots(2, 2), [space("القاعة الكبرى"), space("B", 30, ["workshop"])], [
        session(1, audience="تعاونيات"), session(2, audience="تعاونيات"), session(3, kind="workshop", duration=2),
        session(4, fixed={"slot": 3, "space": "القاعة الكبرى"})])
    source, target = tmp_path / "in.json", tmp_path / "out.json"
    source.write_text(json.dumps(instance, ensure_ascii=False), encoding="utf-8")
    out = StringIO()
    call_command("schedule-programme", instance=str(source), out=str(target), time_limit=10, stdout=out)
    text = target.read_text(encoding="utf-8")
    assert "القاعة الكبرى" in text  # not escaped
    result = json.loads(text)
    check_result(instance, result)
    assert result["status"] == "optimal" and result["objective"] == 0
    assert out.getvalue().startswith("status: optimal, objective: 0, placed: 4/4, time: ")


def test_command_infeasible_is_a_result_not_an_error(tmp_path):
    instance = _instance(sessions=[session(1, kind="panel")])
    source, target = tmp_path / "in.json", tmp_path / "out.json"
    source.write_text(json.dumps(instance), encoding="utf-8")
    out = StringIO()
    call_command("schedule-programme", "--instance", str(source), "--out", str(target), stdout=out)
    assert json.loads(target.read_text(encoding="utf-8"))["conflicts"] == ["Session 1: no space is meant for panel."]
    assert out.getvalue().startswith("status: infeasible, objective: 0, placed: 0/1")


@pytest.mark.parametrize("content,message", [
    ("{not json", "not valid JSON"),
    (b"\xff\xfe{}", "not UTF-8"),
    ('{"slots": [], "spaces": [], "speakers": []}', "lacks: sessions"),
    (json.dumps(_instance(sessions=[session(1, speakers=["nobody"])])), "unknown speaker"),
])
def test_command_fails_cleanly_on_bad_input(tmp_path, content, message):
    source, target = tmp_path / "in.json", tmp_path / "out.json"
    if isinstance(content, bytes):
        source.write_bytes(content)
    else:
        source.write_text(content, encoding="utf-8")
    with pytest.raises(CommandError, match=message):
        call_command("schedule-programme", instance=str(source), out=str(target))
    assert not target.exists()


def test_command_missing_file_and_bad_time_limit(tmp_path):
    with pytest.raises(CommandError, match="Cannot read"):
        call_command("schedule-programme", instance=str(tmp_path / "nope.json"), out=str(tmp_path / "out.json"))
    with pytest.raises(CommandError, match="--time-limit must be a positive number"):
        call_command("schedule-programme", instance=str(tmp_path / "nope.json"), out=str(tmp_path / "out.json"),
                     time_limit=0)

"""The stand allocation engine: every hard constraint kept, the objective reported as computed, optimal
against brute force on tiny instances, infeasibility explained, locks kept, never worse than first come,
first placed, and the `allocate-stands` command. No database."""

import itertools
import json
from io import StringIO

import pytest
from django.core.management import CommandError, call_command
from django.utils import translation
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tadamon.fairs.allocation import greedy, objective, solve, violations

WEIGHTS = {"preference": [10, 6, 3], "zone": 4, "pair_same_sector": 2, "pair_requested": 8}


def stand(id, pole="P", capacity=2, zone=None, accessible=False, power=False):
    return {"id": id, "pole": pole, "capacity": capacity, "zone": zone, "accessible": accessible, "power": power,
            "x": 0.0, "y": 0.0, "w": 3.0, "h": 3.0}


def exhibitor(id, pole="P", sector="food", needs_accessible=False, needs_power=False, preferences=(),
              share_with=None, never_share_with=(), locked_stand=None):
    return {"id": id, "pole": pole, "sector": sector, "needs_accessible": needs_accessible,
            "needs_power": needs_power, "preferences": list(preferences), "share_with": share_with,
            "never_share_with": list(never_share_with), "locked_stand": locked_stand}


def fair(stands, exhibitors, weights=WEIGHTS):
    return {"weights": weights, "stands": stands, "exhibitors": exhibitors}


@st.composite
def instances(draw, stands=(1, 4), exhibitors=(1, 6), poles=("P", "Q")):
    """Random fairs, mostly feasible: one or two poles, capacities 0 to 3, zones, equipment, needs,
    preferences (some out of the pole, some twice), requests (some mutual), pairs kept apart, locks (now
    and then on a stand of another pole), ids of both types."""
    sectors = ["food", "crafts", "textile", None]
    rarely = st.integers(0, 7).map(lambda n: n == 3)
    stand_ids = [f"S{k}" for k in range(draw(st.integers(*stands)))]
    stand_list = [stand(i, draw(st.sampled_from(poles)), draw(st.sampled_from([2, 1, 3, 2, 0, 3])),
                        draw(st.sampled_from(sectors)), draw(st.booleans()), draw(st.booleans()))
                  for i in stand_ids]
    places = [s["pole"] for s in stand_list for _n in range(s["capacity"])] or list(poles)
    most = min(exhibitors[1], len(places) + draw(rarely))
    count = draw(st.integers(min(exhibitors[0], most), most))
    ids = list(range(1, count + 1)) if draw(st.booleans()) else [f"e{k}" for k in range(count)]
    people = []
    for i in ids:
        pole = draw(st.sampled_from(poles)) if draw(rarely) else draw(st.sampled_from(places))
        mine = [s["id"] for s in stand_list if s["pole"] == pole] or stand_ids
        partner = draw(st.sampled_from(ids)) if draw(st.booleans()) else None
        people.append(exhibitor(
            i, pole, draw(st.sampled_from(sectors)), draw(rarely), draw(rarely),
            preferences=draw(st.lists(st.sampled_from(stand_ids), max_size=4)),
            share_with=partner if partner != i else None,
            never_share_with=[v for v in draw(st.lists(st.sampled_from(ids), max_size=1)) if v != i],
            locked_stand=draw(st.sampled_from(stand_ids if draw(rarely) else mine)) if draw(rarely) else None))
    weights = {"preference": draw(st.lists(st.integers(0, 10), max_size=3)), "zone": draw(st.integers(0, 5)),
               "pair_same_sector": draw(st.integers(0, 5)), "pair_requested": draw(st.integers(0, 9))}
    return fair(stand_list, people, weights)


# ---- an independent checker and brute force --------------------------------------------------------

def evaluate(instance, assignment):
    """(valid, objective) of a complete assignment, straight from the contract."""
    stands = {str(s["id"]): s for s in instance["stands"]}
    people = {str(x["id"]): x for x in instance["exhibitors"]}
    if set(assignment) != set(people) or any(str(s) not in stands for s in assignment.values()):
        return False, None
    weights = instance["weights"]
    total, holders = 0, {}
    for key, stand_id in assignment.items():
        x, s = people[key], stands[str(stand_id)]
        if str(s["pole"]) != str(x["pole"]) or x["needs_accessible"] and not s["accessible"] \
                or x["needs_power"] and not s["power"] \
                or x["locked_stand"] is not None and str(x["locked_stand"]) != str(s["id"]):
            return False, None
        holders.setdefault(str(s["id"]), []).append(x)
        preferences = [str(p) for p in x["preferences"]]
        if str(s["id"]) in preferences and preferences.index(str(s["id"])) < len(weights["preference"]):
            total += weights["preference"][preferences.index(str(s["id"]))]
        if s["zone"] is not None and x["sector"] is not None and str(s["zone"]) == str(x["sector"]):
            total += weights["zone"]
    for stand_id, members in holders.items():
        if len(members) > stands[stand_id]["capacity"]:
            return False, None
        for x, y in itertools.combinations(members, 2):
            if str(y["id"]) in map(str, x["never_share_with"]) or str(x["id"]) in map(str, y["never_share_with"]):
                return False, None
            if x["sector"] is not None and str(x["sector"]) == str(y["sector"]):
                total += weights["pair_same_sector"]
            if str(x["share_with"]) == str(y["id"]) or str(y["share_with"]) == str(x["id"]):
                total += weights["pair_requested"]
    return True, total


def brute_force(instance):
    """The best objective over every assignment (None: no assignment keeps every hard constraint)."""
    people = instance["exhibitors"]
    options = [[s["id"] for s in instance["stands"] if str(s["pole"]) == str(x["pole"])] for x in people]
    best = None
    for choice in itertools.product(*options):
        valid, value = evaluate(instance, {str(x["id"]): s for x, s in zip(people, choice, strict=True)})
        if valid and (best is None or value > best):
            best = value
    return best


def check_result(instance, result, solver=True):
    """What every result must satisfy: the contract's shape, every hard constraint, the objective as the
    checker computes it, ids of their given types (and for the solver, "optimal" when the bound is met)."""
    assert set(result) == {"status", "objective", "bound", "assignment", "conflicts"}
    if result["status"] == "infeasible":
        assert result["conflicts"] and all(isinstance(c, str) and c for c in result["conflicts"])
        return
    assert result["status"] in ("optimal", "feasible") and result["conflicts"] == []
    assignment = result["assignment"]
    assert violations(instance, assignment) == []
    valid, value = evaluate(instance, assignment)
    assert valid and result["objective"] == value == objective(instance, assignment)
    assert result["objective"] <= result["bound"]
    if solver:
        assert (result["status"] == "optimal") == (result["objective"] == result["bound"])
    else:
        assert result["status"] == "feasible"
    given_ids = {s["id"] for s in instance["stands"]}
    assert all(any(type(v) is type(i) and v == i for i in given_ids) for v in assignment.values())
    for x in instance["exhibitors"]:
        if x["locked_stand"] is not None:
            assert assignment[str(x["id"])] == x["locked_stand"]


# ---- properties ----------------------------------------------------------------------------------

@settings(max_examples=400, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(instances())
def test_tiny_instances_are_solved_optimally(instance):
    result = solve(instance, time_limit=10, workers=1)
    check_result(instance, result)
    best = brute_force(instance)
    if best is None:
        assert result["status"] == "infeasible"
    else:
        assert result["status"] == "optimal" and result["objective"] == best


@settings(max_examples=100, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(instances(stands=(4, 14), exhibitors=(6, 28)))
def test_medium_instances_keep_every_constraint_and_beat_the_baseline(instance):
    result = solve(instance, time_limit=3, workers=1)
    check_result(instance, result)
    baseline = greedy(instance)
    assert baseline["status"] in ("feasible", "infeasible")
    if baseline["status"] == "feasible":
        check_result(instance, baseline, solver=False)
        assert baseline["objective"] <= result["objective"]
    else:
        assert baseline["conflicts"]
        with translation.override("en"):
            assert all(m.endswith("has no stand") for m in violations(instance, baseline["assignment"]))
    if result["status"] == "infeasible":
        assert baseline["status"] == "infeasible"


def test_a_fair_like_the_seeds_is_solved_to_optimality():
    """40 stands, 80 exhibitors: sector zones, power, preferences, requests, a pair kept apart, locks."""
    sectors = ["food", "crafts", "textile", "cosmetics"]
    stands = [stand(f"S{k}", zone=sectors[k // 5 % 4] if k % 10 < 4 else None, accessible=k % 3 == 0,
                    power=k % 4 != 1) for k in range(40)]
    people = []
    for n in range(1, 81):
        people.append(exhibitor(n, sector=sectors[n * 7 % 4], needs_power=n % 6 == 0, needs_accessible=n % 19 == 0,
                                preferences=[f"S{(n * 13 + k * 7) % 40}" for k in range(n % 4)],
                                share_with=n + 1 if n % 7 == 0 else None))
    people[3]["never_share_with"] = [5]
    people[10]["locked_stand"] = "S0"
    instance = fair(stands, people)
    result = solve(instance, time_limit=20)
    check_result(instance, result)
    assert result["status"] == "optimal"
    assert greedy(instance)["objective"] < result["objective"]


# ---- the objective and the checker, by hand --------------------------------------------------------

def test_objective_by_hand():
    stands = [stand("A", zone="food"), stand("B", capacity=3), stand("C")]
    people = [
        exhibitor(1, sector="food", preferences=["C", "A"]),  # 2nd choice 6, zone 4
        exhibitor(2, sector="food", preferences=["A", "A"], share_with=1),  # 1st choice 10, zone 4
        exhibitor(3, sector="crafts", preferences=["A", "C", "A", "B"], share_with=4),  # 4th: 0 (beyond P3)
        exhibitor(4, sector="crafts", share_with=3),
        exhibitor(5, sector=None),
    ]
    instance = fair(stands, people)
    assignment = {"1": "A", "2": "A", "3": "B", "4": "B", "5": "B"}
    # A: 6 + 4 + 10 + 4, food pair 2, request 8 = 34; B: crafts pair 2, mutual request once 8 = 10.
    assert objective(instance, assignment) == 44
    assert violations(instance, assignment) == []
    assert objective(instance, {"1": "A"}) == 10


def test_violations_name_every_broken_constraint():
    stands = [stand("A", capacity=1), stand("B", power=True), stand("C", pole="Q")]
    people = [exhibitor(1, needs_power=True, needs_accessible=True), exhibitor(2, never_share_with=[3]),
              exhibitor(3), exhibitor(4, locked_stand="B"), exhibitor(5)]
    instance = fair(stands, people)
    with translation.override("en"):
        found = violations(instance, {"1": "A", "2": "B", "3": "B", "4": "A", "5": "C", "9": "A", "6": "Z"})
    assert sorted(found) == sorted([
        "exhibitor 1 needs an accessible stand but is on stand A",
        "exhibitor 1 needs a stand with power but is on stand A",
        "exhibitor 4 is locked on stand B but is on stand A",
        "exhibitor 5 of pole P is on stand C of pole Q",
        "exhibitor 9 is not an exhibitor of this fair",
        "exhibitor 6 is not an exhibitor of this fair",
        "stand A holds 2 exhibitors for a capacity of 1",
        "exhibitors 2 and 3 share stand B but must never share a stand",
    ])
    with translation.override("en"):
        assert violations(instance, {"1": "B"})[-1] == "exhibitor 5 has no stand"
        assert "which does not exist" in violations(instance, {"1": "nowhere"})[0]


# ---- infeasible instances ------------------------------------------------------------------------

def conflicts_of(instance):
    with translation.override("en"):
        result = solve(instance, time_limit=10, workers=1)
    assert result["status"] == "infeasible"
    assert result["assignment"] == {} and result["objective"] == 0
    return result["conflicts"]


def test_a_need_no_stand_meets():
    instance = fair([stand("S1", pole="products", accessible=True), stand("S2", pole="products", power=True)],
                    [exhibitor(17, pole="products", needs_accessible=True, needs_power=True)])
    assert conflicts_of(instance) == ["exhibitor 17 needs an accessible stand with power in pole products: "
                                      "none exists"]


def test_more_exhibitors_than_places():
    stands = [stand(f"S{k}", pole="products") for k in range(130)]
    instance = fair(stands, [exhibitor(k, pole="products") for k in range(262)])
    assert conflicts_of(instance) == ["pole products: 262 exhibitors for a capacity of 260"]


def test_locked_on_a_stand_of_another_pole():
    instance = fair([stand("S1"), stand("S9", pole="Q")], [exhibitor(4, locked_stand="S9")])
    assert conflicts_of(instance) == ["exhibitor 4 is locked on stand S9 of another pole"]


def test_more_locked_exhibitors_than_the_stand_holds():
    instance = fair([stand("S3"), stand("S4", capacity=3)], [exhibitor(k, locked_stand="S3") for k in (1, 2, 3)])
    assert conflicts_of(instance) == ["stand S3 holds 3 locked exhibitors for a capacity of 2"]


def test_not_enough_places_with_power():
    stands = [stand("S1", power=True), stand("S2"), stand("S3")]
    people = [exhibitor(k, needs_power=k <= 3) for k in range(1, 6)]
    assert conflicts_of(fair(stands, people)) == [
        "pole P: 3 exhibitors need a stand with power, for a capacity of 2 on those stands"]


def test_a_lock_without_what_the_exhibitor_needs():
    instance = fair([stand("S1"), stand("S2", power=True)], [exhibitor(8, needs_power=True, locked_stand="S1")])
    assert conflicts_of(instance) == ["exhibitor 8 needs a stand with power but is locked on stand S1, which has none"]


def test_pairs_kept_apart_and_locks_are_named():
    """Two stands for two: 1 and 2 locked one on each, 3 kept apart from both. Freeing either lock or
    either pair would do, so all four are named."""
    people = [exhibitor(1, locked_stand="S1"), exhibitor(2, locked_stand="S2"), exhibitor(3, never_share_with=[1, 2])]
    conflicts = conflicts_of(fair([stand("S1"), stand("S2")], people))
    assert len(conflicts) == 1 and conflicts[0].startswith("pole P: its stands cannot take every exhibitor")
    for part in ("exhibitors 1 and 3 on different stands", "exhibitors 2 and 3 on different stands",
                 "exhibitor 1 on its locked stand S1", "exhibitor 2 on its locked stand S2"):
        assert part in conflicts[0]


def test_only_the_pairs_that_matter_are_named():
    """One stand for two and three exhibitors on a stand for three: 4 and 5 kept apart do not matter."""
    people = [exhibitor(1, never_share_with=[2]), exhibitor(2), exhibitor(3, never_share_with=[1]),
              exhibitor(4, pole="Q", never_share_with=[5]), exhibitor(5, pole="Q")]
    stands = [stand("S1"), stand("S2", capacity=1), stand("T1", pole="Q", capacity=1), stand("T2", pole="Q")]
    instance = fair(stands, people)
    result = solve(instance, time_limit=10, workers=1)
    assert result["status"] == "optimal"
    people[1]["never_share_with"] = [3]
    with translation.override("en"):
        assert conflicts_of(instance) == [
            "pole P: its stands cannot take every exhibitor with all of these together: exhibitors 1 and 2 on "
            "different stands; exhibitors 1 and 3 on different stands; exhibitors 2 and 3 on different stands"]


# ---- locks, ids, input -------------------------------------------------------------------------------

def test_locks_are_kept_even_against_preferences():
    stands = [stand("A"), stand("B")]
    people = [exhibitor(1, preferences=["A"], locked_stand="B"), exhibitor(2, preferences=["A"]),
              exhibitor(3, preferences=["A"])]
    result = solve(fair(stands, people), time_limit=10, workers=1)
    assert result["status"] == "optimal"
    assert result["assignment"] == {"1": "B", "2": "A", "3": "A"}
    assert result["objective"] == 10 + 10 + 2


def test_ids_keep_their_types_and_references_match_as_text():
    stands = [stand(7), stand("7b")]
    people = [exhibitor("x", preferences=["7"]), exhibitor(2, share_with="x")]
    result = solve(fair(stands, people), time_limit=10, workers=1)
    assert result["assignment"] == {"x": 7, "2": 7}
    assert result["objective"] == 10 + 2 + 8


def test_no_exhibitors():
    assert solve(fair([stand("A")], []), time_limit=5) == {
        "status": "optimal", "objective": 0, "bound": 0, "assignment": {}, "conflicts": []}


def _instance(**changes):
    instance = fair([stand("A")], [exhibitor(1)])
    instance.update(changes)
    return instance


@pytest.mark.parametrize("instance,message", [
    ([], "must be an object"),
    ({"weights": WEIGHTS, "stands": []}, "lacks: exhibitors"),
    (_instance(weights={**WEIGHTS, "zone": 1.5}), "weights.zone"),
    (_instance(weights={**WEIGHTS, "preference": [10, -1]}), "weights.preference"),
    (_instance(weights={**WEIGHTS, "pairs": 1}), "Unknown weight"),
    (_instance(weights={"zone": 1}), "weights lack"),
    (_instance(stands=[{"id": "A", "pole": "P"}]), "lacks: capacity"),
    (_instance(stands=[stand("A"), stand("A")]), "appears twice"),
    (_instance(stands=[stand("A", capacity=-1)]), "capacity"),
    (_instance(stands=[{**stand("A"), "power": "yes"}]), "power must be true or false"),
    (_instance(exhibitors=[exhibitor(1), exhibitor("1")]), "appears twice"),
    (_instance(exhibitors=[{**exhibitor(1), "needs_acessible": True, "needs_accessible": None}]), "needs_access"),
    (_instance(exhibitors=[exhibitor(1, preferences=["Z"])]), "preference 'Z' is not a stand"),
    (_instance(exhibitors=[exhibitor(1, share_with=2)]), "share_with 2 is not an exhibitor"),
    (_instance(exhibitors=[exhibitor(1, never_share_with=[1])]), "names the exhibitor itself"),
    (_instance(exhibitors=[exhibitor(1, locked_stand="Z")]), "locked_stand 'Z'"),
    (_instance(exhibitors=[{"id": 1, "pole": "P"}]), "lacks: sector"),
])
def test_malformed_input_is_refused(instance, message):
    with pytest.raises(ValueError, match=message):
        solve(instance)


def test_bad_run_parameters_are_refused():
    with pytest.raises(ValueError, match="time_limit"):
        solve(_instance(), time_limit=0)
    with pytest.raises(ValueError, match="workers"):
        solve(_instance(), workers=-1)


# ---- the command ---------------------------------------------------------------------------------

def _files(tmp_path, instance):
    source, target = tmp_path / "in.json", tmp_path / "out.json"
    source.write_text(json.dumps(instance, ensure_ascii=False), encoding="utf-8")
    return source, target


def test_command_round_trips_a_file(tmp_path):
    people = [exhibitor(1, sector="فلاحة", preferences=["جناح-1"]), exhibitor(2, sector="فلاحة"), exhibitor(3)]
    instance = fair([stand("جناح-1", zone="فلاحة"), stand("B")], people)
    source, target = _files(tmp_path, instance)
    out = StringIO()
    call_command("allocate-stands", instance=str(source), out=str(target), time_limit=10, stdout=out)
    text = target.read_text(encoding="utf-8")
    assert '"1": "جناح-1"' in text  # UTF-8, not escaped
    result = json.loads(text)
    assert result == solve(instance, time_limit=10)
    assert result["assignment"] == {"1": "جناح-1", "2": "جناح-1", "3": "B"} and result["status"] == "optimal"
    assert out.getvalue().startswith(f"status: optimal, objective: {result['objective']}, bound: {result['bound']}, "
                                     "gap: 0.00 %, placed: 3/3, time: ")


def test_command_greedy(tmp_path):
    instance = fair([stand("A"), stand("B")], [exhibitor(1), exhibitor(2, preferences=["B"])])
    source, target = _files(tmp_path, instance)
    out = StringIO()
    call_command("allocate-stands", "--instance", str(source), "--out", str(target), "--greedy", stdout=out)
    assert json.loads(target.read_text(encoding="utf-8")) == greedy(instance)
    assert out.getvalue().startswith("status: feasible, objective: 10, ")


def test_command_infeasible_is_a_result_not_an_error(tmp_path):
    instance = fair([stand("A")], [exhibitor(k) for k in range(3)])
    source, target = _files(tmp_path, instance)
    out = StringIO()
    with translation.override("en"):
        call_command("allocate-stands", instance=str(source), out=str(target), stdout=out)
    assert json.loads(target.read_text(encoding="utf-8"))["conflicts"] == ["pole P: 3 exhibitors for a capacity of 2"]
    assert out.getvalue().startswith("status: infeasible, objective: 0, bound: 0, gap: n/a, placed: 0/3")


@pytest.mark.parametrize("content,message", [
    ("{not json", "not valid JSON"),
    (b"\xff\xfe{}", "not UTF-8"),
    ('{"weights": {}, "stands": []}', "lacks: exhibitors"),
    ('{"weights": {"preference": [], "zone": 1, "pair_same_sector": 1, "pair_requested": 1}, "stands": [], '
     '"exhibitors": [{"id": 1, "pole": "P", "sector": null, "needs_accessible": 1, "needs_power": false}]}',
     "needs_accessible must be true or false"),
])
def test_command_fails_cleanly_on_bad_input(tmp_path, content, message):
    source, target = tmp_path / "in.json", tmp_path / "out.json"
    if isinstance(content, bytes):
        source.write_bytes(content)
    else:
        source.write_text(content, encoding="utf-8")
    with pytest.raises(CommandError, match=message):
        call_command("allocate-stands", instance=str(source), out=str(target))
    assert not target.exists()


def test_command_missing_file_and_bad_time_limit(tmp_path):
    with pytest.raises(CommandError, match="Cannot read"):
        call_command("allocate-stands", instance=str(tmp_path / "nope.json"), out=str(tmp_path / "out.json"))
    source, target = _files(tmp_path, _instance())
    with pytest.raises(CommandError, match="--time-limit must be a positive"):
        call_command("allocate-stands", instance=str(source), out=str(target), time_limit=0)

"""The selection engine: optimal against brute force, every constraint kept, conflicts named, pins
honoured, and the `select-exhibitors` command. `solve` needs no database."""

import json
import random
from fractions import Fraction
from io import StringIO

import pytest
from django.core.management import CommandError, call_command
from django.utils import translation

from tadamon.fairs.selection import PINS, solve

KINDS = [
    lambda rng: {"group_by": "organization", "max": 1},
    lambda rng: {"group_by": "province", "min": rng.randint(0, 2)},
    lambda rng: {"group_by": "sector", "max": rng.randint(1, 3)},
    lambda rng: {"where": {"outside_region": True}, "max": rng.randint(0, 2)},
    lambda rng: {"where": {"women_led": True}, "min": rng.randint(0, 3)},
    lambda rng: {"where": {"women_led": True}, "min_share": rng.choice([0.2, 0.25, 0.4, 0.5])},
    lambda rng: {"where": {"outside_region": True}, "max_share": rng.choice([0.2, 0.3, 0.5])},
    lambda rng: {"pole": "A", "where": {"women_led": False}, "group_by": "sector", "min": 1},
    lambda rng: {"pole": "B", "group_by": "province", "max_share": rng.choice([0.5, 0.6, 0.75])},
    lambda rng: {"pole": "B", "where": {"province": "P1"}, "min": 1, "max": 2, "min_share": 0.25},
]


def application(id, pole, score, organization=None, province="P1", sector="food", outside_region=False,
                women_led=False, pinned=None):
    return {"id": id, "pole": pole, "score": score, "organization": id if organization is None else organization,
            "province": province, "sector": sector, "outside_region": outside_region, "women_led": women_led,
            "pinned": pinned}


def random_instance(rng):
    """Up to 12 applications over 2 poles (and sometimes one without capacity), equal scores now and
    then, organizations applying twice, a few pins, and 1 to 4 quotas of every kind."""
    n = rng.randint(3, 12)
    string_ids = rng.random() < 0.3
    scores = [round(rng.uniform(0, 100), rng.choice([0, 1, 3])) for _ in range(4)]
    applications = []
    for k in range(n):
        applications.append(application(
            f"a{k}" if string_ids else k + 1,
            rng.choices(["A", "B", "C"], weights=(5, 5, 1))[0],
            rng.choice(scores) if rng.random() < 0.3 else round(rng.uniform(0, 100), 3),
            organization=rng.randint(1, max(1, n - 3)),
            province=rng.choice(["P1", "P2", "P3"]),
            sector=rng.choice(["food", "crafts", "textile"]),
            outside_region=rng.random() < 0.3,
            women_led=rng.random() < 0.4,
            pinned=rng.choices([None, "in", "out"], weights=(16, 1, 1))[0],
        ))
    quotas = []
    for number, kind in enumerate(rng.sample(KINDS, rng.randint(1, 4))):
        quotas.append({"name": f"quota {number}", **kind(rng)})
    return {"capacity": {"A": rng.randint(0, 4), "B": rng.randint(1, 5)}, "quotas": quotas,
            "applications": applications}


# ---- an independent checker and brute force --------------------------------------------------------

def broken(instance, selected, pins=True):
    """The names of the rules the selection breaks ("capacity", PINS or quota names), computed
    directly from the contract with exact fractions."""
    apps = instance["applications"]
    chosen = set(selected)
    candidates = [a for a in apps if str(a["pole"]) in instance["capacity"]]
    out = set()
    if len(chosen) != len(selected) or not chosen <= {a["id"] for a in candidates}:
        out.add("capacity")
    for pole, places in instance["capacity"].items():
        if sum(1 for a in candidates if a["id"] in chosen and str(a["pole"]) == pole) > places:
            out.add("capacity")
    if pins and any((a["pinned"] == "in") != (a["id"] in chosen) for a in apps if a["pinned"]):
        out.add(PINS)
    for quota in instance["quotas"]:
        pool = [a for a in candidates if quota.get("pole") is None or str(a["pole"]) == str(quota["pole"])]
        matching = [a for a in pool if all(a[k] == v for k, v in quota.get("where", {}).items())]
        key = quota.get("group_by")
        values = {a[key] for a in matching} if key else {None}
        total = sum(1 for a in pool if a["id"] in chosen)
        for value in values:
            count = sum(1 for a in matching if a["id"] in chosen and (key is None or a[key] == value))
            if quota.get("min") is not None and count < quota["min"]:
                out.add(quota["name"])
            if quota.get("max") is not None and count > quota["max"]:
                out.add(quota["name"])
            if quota.get("min_share") is not None and count < Fraction(str(quota["min_share"])) * total:
                out.add(quota["name"])
            if quota.get("max_share") is not None and count > Fraction(str(quota["max_share"])) * total:
                out.add(quota["name"])
    return out


def best_by_brute_force(instance, pins=True):
    """The best total score over every subset of the candidates (None: no subset keeps every rule)."""
    candidates = [a for a in instance["applications"] if str(a["pole"]) in instance["capacity"]]
    subsets = []
    for mask in range(1 << len(candidates)):
        subset = [a for bit, a in enumerate(candidates) if mask >> bit & 1]
        subsets.append((sum(a["score"] for a in subset), [a["id"] for a in subset]))
    subsets.sort(key=lambda s: -s[0])
    for total, ids in subsets:
        if not broken(instance, ids, pins=pins):
            return total
    return None


def restricted(instance, conflicts):
    """The instance with only the named quotas (and the pins only when named)."""
    quotas = [q for q in instance["quotas"] if q["name"] in conflicts]
    return {**instance, "quotas": quotas}, PINS in conflicts


def rank_key(a):
    return -a["score"], a["id"]


# ---- against brute force -------------------------------------------------------------------------

@pytest.mark.parametrize("seed", range(300))
def test_optimal_and_valid_against_brute_force(seed):
    rng = random.Random(seed)
    instance = random_instance(rng)
    result = solve(instance, time_limit=20)
    best = best_by_brute_force(instance)
    ids = {a["id"] for a in instance["applications"]}
    assert set(result["explanations"]) == {str(i) for i in ids}
    if best is None:
        assert result["status"] == "infeasible"
        assert result["selected"] == result["waitlist"] == []
        conflicts = result["conflicts"]
        assert conflicts and set(conflicts) <= {q["name"] for q in instance["quotas"]} | {PINS}
        # The quotas named cannot hold together, and each of them is needed for that.
        assert best_by_brute_force(*restricted(instance, conflicts)) is None
        for name in conflicts:
            assert best_by_brute_force(*restricted(instance, [c for c in conflicts if c != name])) is not None
        return
    assert result["status"] == "optimal"
    assert result["conflicts"] == []
    assert result["objective"] == pytest.approx(round(best, 3), abs=1e-6)
    assert not broken(instance, result["selected"])
    chosen = [a for a in instance["applications"] if a["id"] in set(result["selected"])]
    assert result["objective"] == round(sum(a["score"] for a in chosen), 3)
    assert all(type(i) is type(a["id"]) for i, a in zip(result["selected"], chosen, strict=False))
    expected_waitlist = sorted((a for a in instance["applications"] if a["pole"] in instance["capacity"]
                                and a["id"] not in set(result["selected"]) and a["pinned"] != "out"), key=rank_key)
    assert result["waitlist"] == [a["id"] for a in expected_waitlist]


def test_same_input_same_selection_and_ties_go_to_the_lower_id():
    instance = {"capacity": {"A": 2}, "quotas": [], "applications": [
        application(3, "A", 50.0), application(1, "A", 50.0), application(2, "A", 50.0), application(4, "A", 0.0)]}
    first = solve(instance)
    assert first["selected"] == [1, 2]
    assert first["waitlist"] == [3, 4]
    assert solve(instance) == first


def test_free_places_go_to_unscored_applications():
    instance = {"capacity": {"A": 3}, "quotas": [], "applications": [
        application(1, "A", 10.0), application(2, "A", 0.0)]}
    assert solve(instance)["selected"] == [1, 2]


# ---- infeasible instances ------------------------------------------------------------------------

def test_not_enough_women_led_applicants():
    applications = [application(i, "A", 50.0 + i, women_led=i <= 2) for i in range(1, 7)]
    instance = {"capacity": {"A": 5}, "applications": applications, "quotas": [
        {"name": "outside-region maximum", "where": {"outside_region": True}, "max": 2},
        {"name": "women-led minimum", "where": {"women_led": True}, "min": 3},
    ]}
    result = solve(instance)
    assert result["status"] == "infeasible"
    assert result["conflicts"] == ["women-led minimum"]
    assert result["objective"] == 0 and result["selected"] == [] and result["waitlist"] == []
    with translation.override("en"):
        assert "women-led minimum" in solve(instance)["explanations"]["1"]


def test_two_contradictory_quotas_are_both_named():
    applications = [application(i, "A", 10.0 * i, outside_region=i % 2 == 0) for i in range(1, 9)]
    instance = {"capacity": {"A": 6}, "applications": applications, "quotas": [
        {"name": "one per organization", "group_by": "organization", "max": 1},
        {"name": "outside at most 1", "where": {"outside_region": True}, "max": 1},
        {"name": "sector maximum", "group_by": "sector", "max": 6},
        {"name": "outside at least half", "where": {"outside_region": True}, "min_share": 0.5, "min": 1},
        {"name": "at least 4 exhibitors", "min": 4},
    ]}
    result = solve(instance)
    assert result["status"] == "infeasible"
    assert sorted(result["conflicts"]) == ["at least 4 exhibitors", "outside at least half", "outside at most 1"]


def test_pins_beyond_capacity_are_the_conflict():
    applications = [application(i, "A", 10.0, pinned="in") for i in range(1, 4)]
    result = solve({"capacity": {"A": 2}, "quotas": [], "applications": applications})
    assert result["status"] == "infeasible"
    assert result["conflicts"] == [PINS]


def test_pins_against_a_quota():
    applications = [application(1, "A", 10.0, outside_region=True, pinned="in"),
                    application(2, "A", 20.0, outside_region=True, pinned="in"), application(3, "A", 30.0)]
    quotas = [{"name": "outside-region maximum", "where": {"outside_region": True}, "max": 1}]
    result = solve({"capacity": {"A": 3}, "quotas": quotas, "applications": applications})
    assert result["status"] == "infeasible"
    assert sorted(result["conflicts"]) == sorted([PINS, "outside-region maximum"])


# ---- pins and explanations -----------------------------------------------------------------------

def test_pins_are_honoured_and_explained():
    applications = [application(1, "A", 90.0, pinned="out"), application(2, "A", 80.0),
                    application(3, "A", 10.0, pinned="in"), application(4, "A", 70.0), application(5, "B", 99.0)]
    instance = {"capacity": {"A": 2}, "quotas": [], "applications": applications}
    with translation.override("en"):
        result = solve(instance)
    assert result["status"] == "optimal"
    assert result["selected"] == [2, 3]
    assert result["objective"] == 90.0
    assert result["waitlist"] == [4]  # neither the pinned out one nor the one of a pole without capacity
    assert result["explanations"] == {
        "1": "pinned out by staff",
        "2": "selected (score 80)",
        "3": "pinned in by staff",
        "4": "waitlisted #1: pole A full (capacity 2)",
        "5": "not selected: pole B takes no applications",
    }


def test_waitlist_explains_the_binding_quota():
    applications = [application(1, "A", 90.0, outside_region=True), application(2, "A", 80.5, outside_region=True),
                    application(3, "A", 50.0), application(4, "A", 40.0, organization=3),
                    application(5, "A", 30.0, women_led=True), application(6, "A", 20.0)]
    instance = {"capacity": {"A": 4}, "applications": applications, "quotas": [
        {"name": "outside-region maximum", "where": {"outside_region": True}, "max": 1},
        {"name": "one application per organization", "group_by": "organization", "max": 1},
        {"name": "women-led minimum share", "where": {"women_led": True}, "min_share": 0.25},
    ]}
    with translation.override("en"):
        result = solve(instance)
    assert result["selected"] == [1, 3, 5, 6]
    assert result["waitlist"] == [2, 4]
    explanations = result["explanations"]
    assert explanations["1"] == "selected (score 90)"
    assert explanations["2"] == "waitlisted #1: quota “outside-region maximum” reached (max 1)"
    assert explanations["4"] == ("waitlisted #2: quota “one application per organization” reached for "
                                 "organization 3 (max 1)")


def test_string_ids_come_back_as_strings():
    applications = [application("x-1", "7", 10.0), application("x-2", 7, 20.0)]
    result = solve({"capacity": {"7": 1}, "quotas": [], "applications": applications})
    assert result["selected"] == ["x-2"] and result["waitlist"] == ["x-1"]


# ---- malformed input -----------------------------------------------------------------------------

def _instance(**changes):
    instance = {"capacity": {"A": 2}, "quotas": [], "applications": [application(1, "A", 10.0)]}
    instance.update(changes)
    return instance


@pytest.mark.parametrize("instance,message", [
    ({"capacity": {"A": 1}, "applications": []}, "lacks: quotas"),
    (_instance(capacity={"A": -1}), "capacity of pole 'A'"),
    (_instance(quotas=[{"name": "q", "where": {"colour": "red"}, "max": 1}]), "unknown attribute 'colour'"),
    (_instance(quotas=[{"name": "q", "group_by": "region", "max": 1}]), "unknown attribute 'region'"),
    (_instance(quotas=[{"name": "q", "maximum": 1}]), "unknown key"),
    (_instance(quotas=[{"name": "q", "max_share": 1.5}]), "from 0 to 1"),
    (_instance(quotas=[{"where": {"women_led": True}, "max": 1}]), "needs a name"),
    (_instance(applications=[{"id": 1, "pole": "A"}]), "lacks: score"),
    (_instance(applications=[application(1, "A", 1.0), application(1, "A", 2.0)]), "twice"),
    (_instance(applications=[application(1, "A", 1.0, pinned="yes")]), "pinned"),
    (_instance(applications=[application(1, "A", "high")]), "score"),
    ([], "must be an object"),
])
def test_malformed_input_is_refused(instance, message):
    with pytest.raises(ValueError, match=message):
        solve(instance)


# ---- the command ---------------------------------------------------------------------------------

def test_command_round_trips_a_file(tmp_path):
    rng = random.Random(5)
    instance = random_instance(rng)
    instance["applications"][0]["province"] = "فاس"
    source, target = tmp_path / "in.json", tmp_path / "out.json"
    source.write_text(json.dumps(instance, ensure_ascii=False), encoding="utf-8")
    out = StringIO()
    call_command("select-exhibitors", instance=str(source), out=str(target), time_limit=10, stdout=out)
    result = json.loads(target.read_text(encoding="utf-8"))
    assert result == json.loads(json.dumps(solve(instance, time_limit=10)))
    assert out.getvalue().startswith(f"status: {result['status']}, objective: {result['objective']}, "
                                     f"selected: {len(result['selected'])}, waitlist: {len(result['waitlist'])}")


def test_command_infeasible_is_a_result_not_an_error(tmp_path):
    instance = _instance(quotas=[{"name": "too many", "min": 5}])
    source, target = tmp_path / "in.json", tmp_path / "out.json"
    source.write_text(json.dumps(instance), encoding="utf-8")
    out = StringIO()
    call_command("select-exhibitors", "--instance", str(source), "--out", str(target), stdout=out)
    assert json.loads(target.read_text(encoding="utf-8"))["conflicts"] == ["too many"]
    assert "status: infeasible" in out.getvalue() and "conflicts: too many" in out.getvalue()


@pytest.mark.parametrize("content,message", [
    ("{not json", "not valid JSON"),
    (b"\xff\xfe{}", "not UTF-8"),
    ('{"capacity": {}, "quotas": []}', "lacks: applications"),
])
def test_command_fails_cleanly_on_bad_input(tmp_path, content, message):
    source, target = tmp_path / "in.json", tmp_path / "out.json"
    if isinstance(content, bytes):
        source.write_bytes(content)
    else:
        source.write_text(content, encoding="utf-8")
    with pytest.raises(CommandError, match=message):
        call_command("select-exhibitors", instance=str(source), out=str(target))
    assert not target.exists()


def test_command_missing_file(tmp_path):
    with pytest.raises(CommandError, match="Cannot read"):
        call_command("select-exhibitors", instance=str(tmp_path / "nope.json"), out=str(tmp_path / "out.json"))

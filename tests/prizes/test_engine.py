"""The jury assignment engine against brute force on tiny instances, its checker, and the ranking
method (z-score per juror, ties). No database needed."""

import itertools
import random

import pytest

from tadamon.prizes.assignment import check, solve
from tadamon.prizes.results import rank, sheet_total, z_scores


def random_instance(rng):
    jurors = list(range(1, rng.randint(2, 5) + 1))
    candidacies = [f"c{n}" for n in range(rng.randint(1, 5))]
    k = rng.randint(1, min(3, len(jurors)))
    conflicts = [[j, c] for j in jurors for c in candidacies if rng.random() < 0.2]
    return {"k": k, "jurors": jurors, "candidacies": candidacies, "conflicts": conflicts}


def brute_force(instance):
    """The best (max load, total, -min load) over every choice of exactly k allowed jurors per
    candidacy, or None when some candidacy cannot get k."""
    k, jurors = instance["k"], instance["jurors"]
    conflicts = {tuple(p) for p in instance["conflicts"]}
    options = []
    for c in instance["candidacies"]:
        allowed = [j for j in jurors if (j, c) not in conflicts]
        if len(allowed) < k:
            return None
        options.append(list(itertools.combinations(allowed, k)))
    best = None
    for choice in itertools.product(*options):
        loads = {j: 0 for j in jurors}
        for group in choice:
            for j in group:
                loads[j] += 1
        key = (max(loads.values()), -min(loads.values()))
        best = key if best is None or key < best else best
    return best


@pytest.mark.parametrize("shortcut", [True, False], ids=["greedy-first", "solver-only"])
@pytest.mark.parametrize("seed", range(60))
def test_solver_matches_brute_force(seed, shortcut):
    rng = random.Random(seed)
    instance = random_instance(rng)
    result = solve(instance, time_limit=5, shortcut=shortcut)
    assert check(instance, result) == []
    expected = brute_force(instance)
    if expected is None:
        assert result["status"] == "infeasible" and result["short"]
        return
    assert result["status"] == "optimal"
    assert (result["max_load"], -result["min_load"]) == expected
    # exactly k jurors per candidacy: no juror is given more work than needed
    assert len(result["assignments"]) == instance["k"] * len(instance["candidacies"])


def test_conflicted_juror_never_assigned_and_fixed_pairs_kept():
    instance = {"k": 2, "jurors": ["a", "b", "c"], "candidacies": [1, 2, 3],
                "conflicts": [["a", 1], ["b", 2]], "fixed": [["c", 3]]}
    result = solve(instance)
    pairs = {tuple(p) for p in result["assignments"]}
    assert ("a", 1) not in pairs and ("b", 2) not in pairs and ("c", 3) in pairs
    # c must score 1 and 2 (the only other juror of each is in conflict) and keeps 3: load 3
    assert result["max_load"] == 3 and check(instance, result) == []


def test_balanced_load_on_the_demo_shape():
    """30 candidacies, 5 jurors, 3 each: 90 sheets, 18 per juror."""
    instance = {"k": 3, "jurors": list(range(5)), "candidacies": list(range(30)), "conflicts": [[1, 0]]}
    result = solve(instance)
    assert result["status"] == "optimal"
    assert result["max_load"] == result["min_load"] == 18


def test_checker_finds_broken_results():
    instance = {"k": 2, "jurors": [1, 2], "candidacies": ["x"], "conflicts": []}
    bad = {"status": "optimal", "assignments": [[1, "x"]], "loads": {"1": 1, "2": 0}, "max_load": 1,
           "min_load": 0, "short": []}
    assert any("fewer than 2" in p for p in check(instance, bad))
    conflicted = {"k": 1, "jurors": [1, 2], "candidacies": ["x"], "conflicts": [[1, "x"]]}
    wrong = {"status": "optimal", "assignments": [[1, "x"]], "loads": {"1": 1, "2": 0}, "max_load": 1,
             "min_load": 0, "short": []}
    assert any("conflict" in p for p in check(conflicted, wrong))


@pytest.mark.parametrize("instance", [
    {"k": 0, "jurors": [1], "candidacies": [1]},
    {"k": 1, "jurors": [1, 1], "candidacies": [1]},
    {"k": 1, "jurors": [1], "candidacies": [1], "conflicts": [[9, 1]]},
    {"k": 1, "jurors": [1], "candidacies": [1], "conflicts": [[1, 1]], "fixed": [[1, 1]]},
    "not an instance",
])
def test_malformed_input_is_refused(instance):
    with pytest.raises(ValueError):
        solve(instance)


def test_sheet_total_is_a_weighted_percentage():
    criteria = [(1, 3, 10), (2, 1, 5)]
    assert sheet_total({"1": 10, "2": 5}, criteria) == 100
    assert sheet_total({"1": 5, "2": 0}, criteria) == pytest.approx(37.5)
    assert sheet_total({}, criteria) == 0


def test_z_scores_make_a_strict_and_a_generous_juror_weigh_the_same():
    # The strict juror gives 40/50/60, the generous one 70/80/90 to the same three candidacies.
    sheets = [{"juror": "strict", "candidacy": c, "total": t} for c, t in (("a", 40), ("b", 50), ("c", 60))]
    sheets += [{"juror": "generous", "candidacy": c, "total": t} for c, t in (("a", 70), ("b", 80), ("c", 90))]
    z = z_scores(sheets)
    assert z[("strict", "a")] == pytest.approx(z[("generous", "a")])
    assert z[("strict", "b")] == pytest.approx(0)
    # a juror without spread counts as 0
    assert z_scores([{"juror": "x", "candidacy": "a", "total": 70}]) == {("x", "a"): 0.0}


def test_ranking_order_and_tie_break():
    # Two jurors, each sees a and b; both candidacies get the same mean z (+1 and -1 swapped), so the
    # tie goes to the higher mean of raw points, then to the lower id.
    sheets = [
        {"juror": 1, "candidacy": "a", "total": 90}, {"juror": 1, "candidacy": "b", "total": 10},
        {"juror": 2, "candidacy": "a", "total": 50}, {"juror": 2, "candidacy": "b", "total": 60},
    ]
    rows = rank([{"id": "a", "category": 1}, {"id": "b", "category": 1}, {"id": "c", "category": 1}], sheets)
    assert [r["candidacy"] for r in rows] == ["a", "b"]  # c has no sheet: not ranked
    assert rows[0]["score"] == rows[1]["score"] == 0
    assert rows[0]["mean_total"] == 70 and rows[0]["rank"] == 1 and rows[1]["rank"] == 2
    equal = [{"juror": 1, "candidacy": x, "total": 50} for x in (5, 3)]
    assert [r["candidacy"] for r in rank([{"id": 5, "category": 1}, {"id": 3, "category": 1}], equal)] == [3, 5]


def test_ranks_restart_in_each_category():
    sheets = [{"juror": 1, "candidacy": n, "total": t} for n, t in ((1, 10), (2, 20), (3, 30), (4, 40))]
    rows = rank([{"id": 1, "category": "A"}, {"id": 2, "category": "A"}, {"id": 3, "category": "B"},
                 {"id": 4, "category": "B"}], sheets)
    assert [(r["category"], r["candidacy"], r["rank"]) for r in rows] == [
        ("A", 2, 1), ("A", 1, 2), ("B", 4, 1), ("B", 3, 2)]

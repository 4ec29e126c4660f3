"""The jury assignment engine: who scores which candidacy.

`solve` takes and returns plain JSON-ready data, like the fairs' selection engine, so that the staff
screen (`services.run_assignment`), tests and a stored run use the same code.

Every candidacy is scored by at least ``k`` jurors, never by a juror in conflict with it, and the
load is balanced. The model is a 0-1 programme solved with OR-Tools CP-SAT: one boolean per allowed
(juror, candidacy) pair, ``sum ≥ k`` per candidacy, pairs already scored kept (``fixed``), and a
lexicographic objective folded into one integer sum: the smallest largest load first, then the
largest smallest load. Every candidacy gets exactly ``k`` jurors (more only when fixed pairs give it
more): an extra sheet never lowers the largest load. A greedy assignment (candidacies with the fewest
free jurors first, each to its least loaded jurors) is given as a hint; when it already reaches both
bounds — the mean load rounded up for the largest, rounded down for the smallest — it is optimal as
it stands and the solver is not called.

A candidacy with fewer than ``k`` jurors free of conflict cannot be covered: the result is then
``infeasible`` and names those candidacies (``short``), without calling the solver.
"""

from ortools.sat.python import cp_model


def _pairs(raw, name):
    pairs = set()
    for pair in raw or []:
        if not isinstance(pair, (list, tuple)) or len(pair) != 2:
            raise ValueError(f"Each item of {name} must be a pair [juror, candidacy], not {pair!r}.")
        pairs.add((pair[0], pair[1]))
    return pairs


def _validate(instance):
    if not isinstance(instance, dict):
        raise ValueError("The instance must be an object with k, jurors and candidacies.")
    k = instance.get("k")
    if isinstance(k, bool) or not isinstance(k, int) or k < 1:
        raise ValueError(f"k must be a whole number ≥ 1, not {k!r}.")
    jurors, candidacies = list(instance.get("jurors") or []), list(instance.get("candidacies") or [])
    if len(set(jurors)) != len(jurors) or len(set(candidacies)) != len(candidacies):
        raise ValueError("Jurors and candidacies must not repeat.")
    conflicts = _pairs(instance.get("conflicts"), "conflicts")
    fixed = _pairs(instance.get("fixed"), "fixed")
    known_j, known_c = set(jurors), set(candidacies)
    for j, c in conflicts | fixed:
        if j not in known_j or c not in known_c:
            raise ValueError(f"Unknown juror or candidacy in the pair [{j!r}, {c!r}].")
    if fixed & conflicts:
        raise ValueError("A fixed pair is also a conflict.")
    return k, jurors, candidacies, conflicts, fixed


def allowed_pairs(jurors, candidacies, conflicts):
    return [(j, c) for c in candidacies for j in jurors if (j, c) not in conflicts]


def solve(instance, time_limit=10, *, shortcut=True):
    """Assign candidacies to jurors.

    ``instance`` is ``{"k": int, "jurors": [ID], "candidacies": [ID], "conflicts": [[juror, candidacy]],
    "fixed": [[juror, candidacy]]}`` (``conflicts`` and ``fixed`` may be left out). Returns ``{"status":
    "optimal" | "feasible" | "infeasible", "assignments": [[juror, candidacy]], "loads": {str(juror): n},
    "max_load", "min_load", "short": [candidacy]}``. Raises ValueError on malformed input and
    TimeoutError when no assignment was found within ``time_limit`` seconds. With ``shortcut`` (the
    default), a greedy assignment that already meets both bounds is returned without calling the solver.
    """
    k, jurors, candidacies, conflicts, fixed = _validate(instance)
    allowed = allowed_pairs(jurors, candidacies, conflicts)
    per_candidacy = {c: 0 for c in candidacies}
    for _j, c in allowed:
        per_candidacy[c] += 1
    short = [c for c in candidacies if per_candidacy[c] < k]
    if short:
        return {"status": "infeasible", "assignments": [], "loads": {}, "max_load": 0, "min_load": 0,
                "short": short}
    if not candidacies:
        return {"status": "optimal", "assignments": [], "loads": {str(j): 0 for j in jurors}, "max_load": 0,
                "min_load": 0, "short": []}

    model = cp_model.CpModel()
    x = {pair: model.new_bool_var(f"x{n}") for n, pair in enumerate(allowed)}
    for pair in fixed:
        model.add(x[pair] == 1)
    # The fewest sheets are exactly k per candidacy (more where fixed pairs give more): an extra sheet
    # never lowers the largest load, so the count is fixed instead of minimised.
    need = {c: max(k, sum(1 for _j, cc in fixed if cc == c)) for c in candidacies}
    by_candidacy, by_juror = {c: [] for c in candidacies}, {j: [] for j in jurors}
    for (j, c), var in x.items():
        by_candidacy[c].append(var)
        by_juror[j].append(var)
    for c in candidacies:
        model.add(sum(by_candidacy[c]) == need[c])
    n = len(candidacies)
    total = sum(need.values())
    max_load = model.new_int_var(-(-total // len(jurors)), n, "max_load")
    min_load = model.new_int_var(0, total // len(jurors), "min_load")
    for j in jurors:
        model.add(sum(by_juror[j]) <= max_load)
        model.add(sum(by_juror[j]) >= min_load)
    model.minimize(max_load * (n + 1) - min_load)
    hint = _greedy(jurors, candidacies, need, fixed, x)
    if shortcut:
        counts = {j: 0 for j in jurors}
        for (j, _c), value in hint.items():
            counts[j] += value
        if max(counts.values()) == -(-total // len(jurors)) and min(counts.values()) == total // len(jurors):
            # The greedy assignment meets both bounds (the mean load rounded up and down): it is optimal.
            return _answer("optimal", [[j, c] for (j, c), value in hint.items() if value], jurors)
    for pair, value in hint.items():
        model.add_hint(x[pair], value)
    solver = cp_model.CpSolver()
    solver.parameters.max_time_in_seconds = float(time_limit)
    solver.parameters.num_workers = 2
    status = solver.solve(model)
    if status not in (cp_model.OPTIMAL, cp_model.FEASIBLE):
        raise TimeoutError(f"No assignment found within {time_limit:g} s: allow more time.")
    chosen = [[j, c] for (j, c), var in x.items() if solver.boolean_value(var)]
    return _answer("optimal" if status == cp_model.OPTIMAL else "feasible", chosen, jurors)


def _answer(status, chosen, jurors):
    counts = {str(j): 0 for j in jurors}
    for j, _c in chosen:
        counts[str(j)] += 1
    return {"status": status, "assignments": chosen, "loads": counts, "max_load": max(counts.values(), default=0),
            "min_load": min(counts.values(), default=0), "short": []}


def _greedy(jurors, candidacies, need, fixed, x):
    """A first assignment for the solver's hint: candidacies with the fewest free jurors first, each
    to its least loaded free jurors."""
    load = {j: 0 for j in jurors}
    chosen = set(fixed)
    for j, _c in fixed:
        load[j] += 1
    free = {c: [j for j in jurors if (j, c) in x] for c in candidacies}
    for c in sorted(candidacies, key=lambda c: len(free[c])):
        have = sum(1 for j in free[c] if (j, c) in chosen)
        for j in sorted((j for j in free[c] if (j, c) not in chosen), key=lambda j: load[j])[:need[c] - have]:
            chosen.add((j, c))
            load[j] += 1
    return {pair: int(pair in chosen) for pair in x}


def check(instance, result):
    """Independent checker: the list of broken rules (empty when the result is valid)."""
    k, jurors, candidacies, conflicts, fixed = _validate(instance)
    problems = []
    if result["status"] == "infeasible":
        allowed = allowed_pairs(jurors, candidacies, conflicts)
        coverable = {c for c in candidacies if sum(1 for _j, cc in allowed if cc == c) >= k}
        if not result["short"] or any(c in coverable for c in result["short"]):
            problems.append("infeasible without a candidacy short of jurors")
        return problems
    pairs = [tuple(p) for p in result["assignments"]]
    if len(set(pairs)) != len(pairs):
        problems.append("a pair is assigned twice")
    for j, c in pairs:
        if j not in jurors or c not in candidacies:
            problems.append(f"unknown pair {j!r}, {c!r}")
        if (j, c) in conflicts:
            problems.append(f"juror {j!r} is in conflict with candidacy {c!r}")
    for pair in fixed:
        if pair not in pairs:
            problems.append(f"fixed pair {pair!r} dropped")
    for c in candidacies:
        got = sum(1 for _j, cc in pairs if cc == c)
        if got < k:
            problems.append(f"candidacy {c!r} has {got} jurors, fewer than {k}")
    loads = {str(j): sum(1 for jj, _c in pairs if jj == j) for j in jurors}
    if loads != result["loads"]:
        problems.append("reported loads differ from the assignments")
    return problems

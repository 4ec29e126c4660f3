"""The jury assignment engine: who scores which candidacy.

`solve` takes and returns plain JSON-ready data, like the fairs' selection engine, so that the staff
screen (`services.run_assignment`), tests and a stored run use the same code.

Every candidacy is scored by at least ``k`` jurors, never by a juror in conflict with it, and the
load is balanced. The model is a 0-1 programme solved with OR-Tools CP-SAT: one boolean per allowed
(juror, candidacy) pair, ``sum ≥ k`` per candidacy, pairs already scored kept (``fixed``), and a
lexicographic objective folded into one integer sum: the smallest largest load first, then the
fewest assignments (so every candidacy gets exactly ``k`` jurors unless fixed pairs give it more),
then the largest smallest load.

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


def solve(instance, time_limit=10):
    """Assign candidacies to jurors.

    ``instance`` is ``{"k": int, "jurors": [ID], "candidacies": [ID], "conflicts": [[juror, candidacy]],
    "fixed": [[juror, candidacy]]}`` (``conflicts`` and ``fixed`` may be left out). Returns ``{"status":
    "optimal" | "feasible" | "infeasible", "assignments": [[juror, candidacy]], "loads": {str(juror): n},
    "max_load", "min_load", "short": [candidacy]}``. Raises ValueError on malformed input and
    TimeoutError when no assignment was found within ``time_limit`` seconds.
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
    for c in candidacies:
        model.add(sum(x[(j, c)] for j in jurors if (j, c) in x) >= k)
    n = len(candidacies)
    max_load, min_load = model.new_int_var(0, n, "max_load"), model.new_int_var(0, n, "min_load")
    loads = {}
    for j in jurors:
        load = sum(x[(j, c)] for c in candidacies if (j, c) in x)
        loads[j] = load
        model.add(load <= max_load)
        model.add(load >= min_load)
    total = sum(x.values())
    b2 = n + 1
    b1 = (len(allowed) + 1) * b2
    model.minimize(max_load * b1 + total * b2 - min_load)
    solver = cp_model.CpSolver()
    solver.parameters.max_time_in_seconds = float(time_limit)
    solver.parameters.num_workers = 2
    status = solver.solve(model)
    if status not in (cp_model.OPTIMAL, cp_model.FEASIBLE):
        raise TimeoutError(f"No assignment found within {time_limit:g} s: allow more time.")
    chosen = [[j, c] for (j, c), var in x.items() if solver.boolean_value(var)]
    counts = {str(j): 0 for j in jurors}
    for j, _c in chosen:
        counts[str(j)] += 1
    return {"status": "optimal" if status == cp_model.OPTIMAL else "feasible", "assignments": chosen,
            "loads": counts, "max_load": max(counts.values(), default=0),
            "min_load": min(counts.values(), default=0), "short": []}


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

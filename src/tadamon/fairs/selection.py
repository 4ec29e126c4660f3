"""The fair selection engine: the best total score within each pole's capacity and the edition's quotas.

`solve` takes and returns plain JSON-ready data (the `select-exhibitors` contract, see its docstring),
so that the same code serves the staff screen (`services.run_selection`) and the command line, and a
run can be stored and replayed as it was.

The problem is a 0-1 integer programme solved with OR-Tools CP-SAT: one boolean per application,
a linear constraint per pole capacity, per quota bound and per pin. Scores are floats, so they are
scaled to integers (thousandths, the precision of `Application.score`: finer differences are not
seen), and shares are compared in integers too (count × 100 000 ≥ round(share × 100 000) × total):
the solver never sees a float, so "optimal" is exact.

When the quotas cannot all hold, the same rows are switched on and off by one literal per quota (and
one for all the pins) to name a minimal set that conflicts: one conflict at a time, the one to fix first.
"""

import math
import time
from dataclasses import dataclass, field
from numbers import Real

from django.utils.translation import gettext as _
from ortools.sat.python import cp_model

#: What a quota may filter (`where`) or group (`group_by`) on: the attributes of an application.
ATTRIBUTES = ("pole", "organization", "province", "sector", "outside_region", "women_led")
APPLICATION_KEYS = ("id", "pole", "score", "organization", "province", "sector", "outside_region", "women_led")
QUOTA_KEYS = {"name", "pole", "where", "group_by", "min", "max", "min_share", "max_share"}
#: The conflict name standing for the staff's pins taken together.
PINS = "pinned applications"
SCORE_SCALE = 1000
SHARE_SCALE = 100_000
#: Beyond this, the integer objective could lose precision in the solver's floating-point parts.
SAFE_OBJECTIVE = 2**53


@dataclass
class _Application:
    id: object
    pole: str
    score: float
    attributes: dict
    pinned: str | None


@dataclass
class _Quota:
    """A quota applied to this instance: its groups of candidates (one group when there is no `group_by`)."""

    name: str
    spec: dict
    denominator: list  # indices of the candidates its shares are measured against
    groups: list = field(default_factory=list)  # [(value, [indices])]
    group_of: dict = field(default_factory=dict)  # index -> position in groups

    def share(self, key):
        value = self.spec.get(key)
        return None if value is None else round(value * SHARE_SCALE)


def solve(instance, time_limit=30):
    """Choose the exhibitors of a fair.

    `instance` is ``{"capacity": {POLE: N}, "quotas": [QUOTA], "applications": [APPLICATION]}``; an
    application is ``{"id", "pole", "score", "organization", "province", "sector", "outside_region",
    "women_led", "pinned": "in" | "out" | None}`` (``pinned`` may be left out); a quota is ``{"name",
    "pole"?, "where"?: {ATTRIBUTE: VALUE}, "group_by"?: ATTRIBUTE, "min"?, "max"?, "min_share"?,
    "max_share"?}``: among the selected applications (of `pole` if given) matching every `where` pair,
    separately for each value of `group_by`, the count lies within min..max and its share of all the
    selected (of that pole if given) within min_share..max_share. The groups are the values found among
    the candidates, i.e. the applications of poles that have a capacity (poles absent from `capacity`
    take nobody), pinned out ones included: a province whose only applicant is pinned out still needs
    its minimum.

    Returns ``{"status": "optimal" | "feasible" | "infeasible", "objective", "selected", "waitlist",
    "conflicts", "explanations"}``: ids keep their input type, explanations are keyed by ``str(id)``.
    Among selections of equal total score, the higher scores (then the lower ids) are preferred, which
    also fills free places with unscored applications. Raises ValueError on malformed input, and
    TimeoutError when `time_limit` seconds were not enough to find any selection at all.
    """
    started = time.monotonic()
    applications, capacity, quotas = _validate(instance, time_limit)
    candidates = [i for i, a in enumerate(applications) if a.pole in capacity]
    compiled = [_compile(q, applications, candidates) for q in quotas]
    rows = list(_rows(applications, capacity, compiled, candidates))

    model, x, _literals = _model(rows, candidates)
    model.maximize(cp_model.LinearExpr.weighted_sum([x[i] for i in candidates], _weights(applications, candidates)))
    solver = _solver(time_limit)
    status = solver.solve(model)
    if status == cp_model.INFEASIBLE:
        remaining = max(time_limit - (time.monotonic() - started), 1.0)
        return _infeasible(applications, _conflicts(rows, candidates, remaining))
    if status not in (cp_model.OPTIMAL, cp_model.FEASIBLE):
        raise TimeoutError(f"No selection found within {time_limit:g} s ({solver.status_name(status)}): "
                           "allow more time.")
    chosen = {i for i in candidates if solver.boolean_value(x[i])}
    return _result("optimal" if status == cp_model.OPTIMAL else "feasible", applications, capacity, compiled,
                   chosen)


# ---- input ---------------------------------------------------------------------------------------

def _validate(instance, time_limit):
    """Check the contract and return (applications, capacity by pole key, quotas), with clear messages:
    a typo in a quota must not silently drop a constraint."""
    if isinstance(time_limit, bool) or not isinstance(time_limit, Real) or not time_limit > 0:
        raise ValueError(f"time_limit must be a positive number of seconds, not {time_limit!r}.")
    if not isinstance(instance, dict):
        raise ValueError("The instance must be an object with capacity, quotas and applications.")
    missing = [k for k in ("capacity", "quotas", "applications") if k not in instance]
    if missing:
        raise ValueError(f"The instance lacks: {', '.join(missing)}.")
    if not isinstance(instance["capacity"], dict):
        raise ValueError("capacity must be an object {pole: number of exhibitors}.")
    capacity = {}
    for pole, places in instance["capacity"].items():
        if not _is_int(places) or places < 0:
            raise ValueError(f"The capacity of pole {pole!r} must be a whole number ≥ 0, not {places!r}.")
        capacity[str(pole)] = places
    if not isinstance(instance["applications"], list):
        raise ValueError("applications must be a list.")
    applications, seen = [], set()
    for n, raw in enumerate(instance["applications"]):
        applications.append(_application(n, raw, seen))
    if not isinstance(instance["quotas"], list):
        raise ValueError("quotas must be a list.")
    names = {PINS}
    for n, quota in enumerate(instance["quotas"]):
        _check_quota(n, quota, names)
    return applications, capacity, instance["quotas"]


def _application(n, raw, seen):
    if not isinstance(raw, dict):
        raise ValueError(f"Application #{n} must be an object.")
    missing = [k for k in APPLICATION_KEYS if k not in raw]
    if missing:
        raise ValueError(f"Application #{n} lacks: {', '.join(missing)}.")
    key = raw["id"]
    if isinstance(key, bool) or not isinstance(key, int | str):
        raise ValueError(f"Application #{n}: the id must be a number or a string, not {key!r}.")
    if str(key) in seen:
        raise ValueError(f"Application id {key!r} appears twice.")
    seen.add(str(key))
    score = raw["score"]
    if isinstance(score, bool) or not isinstance(score, Real) or not math.isfinite(score):
        raise ValueError(f"Application {key!r}: the score must be a number, not {score!r}.")
    pinned = raw.get("pinned")
    if pinned not in ("in", "out", None):
        raise ValueError(f"Application {key!r}: pinned must be \"in\", \"out\" or null, not {pinned!r}.")
    attributes = {}
    for name in ATTRIBUTES:
        value = raw[name]
        if not isinstance(value, str | int | float | bool | None):
            raise ValueError(f"Application {key!r}: {name} must be a plain value, not {value!r}.")
        attributes[name] = str(value) if name == "pole" else value
    return _Application(key, str(raw["pole"]), float(score), attributes, pinned)


def _check_quota(n, quota, names):
    if not isinstance(quota, dict):
        raise ValueError(f"Quota #{n} must be an object.")
    name = quota.get("name")
    if not isinstance(name, str) or not name.strip():
        raise ValueError(f"Quota #{n} needs a name.")
    if name in names:
        raise ValueError(f"Quota name {name!r} is used twice (or is reserved).")
    names.add(name)
    unknown = set(quota) - QUOTA_KEYS
    if unknown:
        raise ValueError(f"Quota {name!r}: unknown key(s) {', '.join(sorted(unknown))} "
                         f"(known: {', '.join(sorted(QUOTA_KEYS))}).")
    where = quota.get("where", {})
    if not isinstance(where, dict):
        raise ValueError(f"Quota {name!r}: where must be an object {{attribute: value}}.")
    for attribute in list(where) + ([quota["group_by"]] if "group_by" in quota else []):
        if attribute not in ATTRIBUTES:
            raise ValueError(f"Quota {name!r}: unknown attribute {attribute!r} (known: {', '.join(ATTRIBUTES)}).")
    if not any(quota.get(k) is not None for k in ("min", "max", "min_share", "max_share")):
        raise ValueError(f"Quota {name!r} sets none of min, max, min_share, max_share.")
    for key in ("min", "max"):
        value = quota.get(key)
        if value is not None and (not _is_int(value) or value < 0):
            raise ValueError(f"Quota {name!r}: {key} must be a whole number ≥ 0, not {value!r}.")
    for key in ("min_share", "max_share"):
        value = quota.get(key)
        if value is not None and (isinstance(value, bool) or not isinstance(value, Real) or not 0 <= value <= 1):
            raise ValueError(f"Quota {name!r}: {key} must be a number from 0 to 1, not {value!r}.")


def _is_int(value):
    return isinstance(value, int) and not isinstance(value, bool)


def _compile(quota, applications, candidates):
    """Resolve a quota against the candidates: the denominator of its shares and its groups."""
    pole = None if quota.get("pole") is None else str(quota["pole"])
    where = {k: (str(v) if k == "pole" else v) for k, v in quota.get("where", {}).items()}
    denominator = [i for i in candidates if pole is None or applications[i].pole == pole]
    compiled = _Quota(quota["name"], quota, denominator)
    by_value = {}
    for i in denominator:
        attributes = applications[i].attributes
        if all(attributes[k] == v for k, v in where.items()):
            value = attributes[quota["group_by"]] if "group_by" in quota else None
            if value not in by_value:
                by_value[value] = len(compiled.groups)
                compiled.groups.append((value, []))
            compiled.groups[by_value[value]][1].append(i)
            compiled.group_of[i] = by_value[value]
    if "group_by" not in quota and not compiled.groups:
        compiled.groups.append((None, []))  # nobody matches: the bounds still apply (to a count of 0)
    return compiled


# ---- the model -----------------------------------------------------------------------------------

def _rows(applications, capacity, quotas, candidates):
    """Every constraint as (owner, indices, coefficients, lower, upper); owner None is the hard capacity,
    otherwise the quota name or PINS, so that infeasibility can be traced back to who asked for what."""
    for pole, places in capacity.items():
        yield None, [i for i in candidates if applications[i].pole == pole], None, 0, places
    candidate_set = set(candidates)
    for i, a in enumerate(applications):
        if a.pinned == "in":
            yield PINS, ([i] if i in candidate_set else []), None, 1, 1
        elif a.pinned == "out" and i in candidate_set:
            yield PINS, [i], None, 0, 0
    for q in quotas:
        low, high = q.spec.get("min"), q.spec.get("max")
        min_share, max_share = q.share("min_share"), q.share("max_share")
        for _value, members in q.groups:
            if low is not None or high is not None:
                yield q.name, members, None, low or 0, high
            inside = set(members)
            if min_share is not None:  # count × SCALE - share × total ≥ 0
                yield q.name, q.denominator, _share_row(q.denominator, inside, min_share), 0, None
            if max_share is not None:  # count × SCALE - share × total ≤ 0
                yield q.name, q.denominator, _share_row(q.denominator, inside, max_share), None, 0


def _share_row(denominator, inside, share):
    """The coefficients of count × SCALE - share × total (the count's members are part of the total),
    divided by their gcd to keep the numbers small."""
    step = math.gcd(SHARE_SCALE, share)
    return [((SHARE_SCALE if i in inside else 0) - share) // step for i in denominator]


def _model(rows, candidates, owners=()):
    """Build the CP-SAT model. With `owners`, each of their rows only holds when the owner's literal is
    true (used to find the conflicting quotas); rows that always hold are left out."""
    model = cp_model.CpModel()
    x = {i: model.new_bool_var(f"x{i}") for i in candidates}
    literals = {o: model.new_bool_var(f"enforce {o}") for o in owners}
    for owner, indices, coefficients, lower, upper in rows:
        coefficients = coefficients or [1] * len(indices)
        least = sum(c for c in coefficients if c < 0)
        most = sum(c for c in coefficients if c > 0)
        lower = least if lower is None else lower
        upper = most if upper is None else upper
        if lower <= least and most <= upper:
            continue
        if max(lower, least) > min(upper, most):
            # Can never hold (e.g. a minimum nobody can meet). Said outright: CP-SAT may drop an empty range.
            constraint = model.add_bool_or([])
        else:
            expression = cp_model.LinearExpr.weighted_sum([x[i] for i in indices], coefficients)
            constraint = model.add_linear_constraint(expression, lower, upper)
        if owner in literals:
            constraint.only_enforce_if(literals[owner])
    return model, x, literals


def _weights(applications, candidates):
    """Integer objective weights: the scaled score first, then a tie-break smaller than one thousandth of
    a point that prefers higher-ranked applications (score, then id), so equal-score runs are repeatable."""
    ranked = sorted(candidates, key=lambda i: _rank_key(applications[i]))
    tie = {i: len(ranked) - r for r, i in enumerate(ranked)}
    scaled = {i: round(applications[i].score * SCORE_SCALE) for i in candidates}
    unit = len(ranked) * (len(ranked) + 1) // 2 + 1
    if (sum(abs(s) for s in scaled.values()) + 1) * unit >= SAFE_OBJECTIVE:
        unit, tie = 1, dict.fromkeys(candidates, 0)
    return [scaled[i] * unit + tie[i] for i in candidates]


def _solver(time_limit, workers=8):
    solver = cp_model.CpSolver()
    solver.parameters.max_time_in_seconds = float(time_limit)
    solver.parameters.num_workers = workers
    solver.parameters.random_seed = 0
    return solver


def _rank_key(application):
    key = application.id
    return -application.score, (0, key, "") if isinstance(key, int) else (1, 0, key)


# ---- infeasibility -------------------------------------------------------------------------------

def _conflicts(rows, candidates, time_limit):
    """A small set of quotas (and the pins) that cannot hold together: the solver's sufficient
    assumptions, then a deletion filter so that each one named is needed for the conflict (when time
    allows; otherwise the set is still a conflict, only perhaps not a minimal one)."""
    owners = list(dict.fromkeys(owner for owner, *_rest in rows if owner is not None))
    deadline = time.monotonic() + time_limit
    proven, needed = _core(rows, candidates, owners, owners, deadline)
    if not proven:
        return owners
    for owner in list(needed):
        if time.monotonic() >= deadline:
            break
        if owner in needed:
            proven, smaller = _core(rows, candidates, owners, [o for o in needed if o != owner], deadline)
            if proven:
                needed = smaller
    return needed


def _core(rows, candidates, owners, subset, deadline):
    """Whether the rows of `subset` (with the capacities) are proven infeasible, and the part of
    `subset` the solver needed to prove it. A single worker: assumptions cores come from it."""
    model, _x, literals = _model(rows, candidates, owners)
    model.add_assumptions([literals[o] for o in subset])
    solver = _solver(max(deadline - time.monotonic(), 0.1), workers=1)
    if solver.solve(model) != cp_model.INFEASIBLE:
        return False, subset
    owner_of = {literal.index: o for o, literal in literals.items()}
    core = {owner_of[i] for i in solver.sufficient_assumptions_for_infeasibility()}
    return True, [o for o in subset if o in core] or subset


def _infeasible(applications, conflicts):
    names = ", ".join(f"“{name}”" for name in conflicts)
    text = _("not selected: these cannot all hold together: %(conflicts)s") % {"conflicts": names}
    return {"status": "infeasible", "objective": 0.0, "selected": [], "waitlist": [], "conflicts": conflicts,
            "explanations": {str(a.id): text for a in applications}}


# ---- the result and its explanations -------------------------------------------------------------

def _result(status, applications, capacity, quotas, chosen):
    def ranked(indices):
        return sorted(indices, key=lambda i: _rank_key(applications[i]))

    selected = ranked(chosen)
    waitlist = ranked(i for i, a in enumerate(applications)
                      if a.pole in capacity and i not in chosen and a.pinned != "out")
    why = _Reasons(applications, capacity, quotas, chosen)
    place = {i: rank for rank, i in enumerate(waitlist, start=1)}
    explanations = {}
    for i, a in enumerate(applications):
        if i in chosen:
            text = _("pinned in by staff") if a.pinned == "in" else \
                _("selected (score %(score)s)") % {"score": _number(a.score)}
        elif a.pinned == "out":
            text = _("pinned out by staff")
        elif a.pole not in capacity:
            text = _("not selected: pole %(pole)s takes no applications") % {"pole": a.pole}
        else:
            text = _("waitlisted #%(rank)s: %(reason)s") % {"rank": place[i], "reason": why(i)}
        explanations[str(a.id)] = text
    return {
        "status": status,
        "objective": round(sum(applications[i].score for i in chosen), 3),
        "selected": [applications[i].id for i in selected],
        "waitlist": [applications[i].id for i in waitlist],
        "conflicts": [],
        "explanations": explanations,
    }


class _Reasons:
    """Why a waitlisted application is out: what adding it to the selection would break. A quota it
    would break comes first, unless the pole is full and its score is no better than the pole's lowest
    selected (staff-pinned ones aside): then the capacity is the plain reason."""

    def __init__(self, applications, capacity, quotas, chosen):
        self.applications, self.capacity, self.quotas = applications, capacity, quotas
        self.taken, self.lowest = {}, {}
        for i in chosen:
            a = applications[i]
            self.taken[a.pole] = self.taken.get(a.pole, 0) + 1
            if a.pinned != "in":
                self.lowest[a.pole] = min(self.lowest.get(a.pole, a.score), a.score)
        self.totals = [sum(i in chosen for i in q.denominator) for q in quotas]
        self.counts = [[sum(i in chosen for i in members) for _value, members in q.groups] for q in quotas]
        self.denominators = [set(q.denominator) for q in quotas]
        # Groups whose minimum share would fail if one more application outside them were selected.
        self.thin = []
        for q, total, counts in zip(quotas, self.totals, self.counts, strict=True):
            least = q.share("min_share")
            self.thin.append([] if least is None else
                             [g for g, c in enumerate(counts) if c * SHARE_SCALE < least * (total + 1)])

    def __call__(self, i):
        a = self.applications[i]
        full = self.taken.get(a.pole, 0) >= self.capacity[a.pole]
        pole_text = _("pole %(pole)s full (capacity %(capacity)s)") % {"pole": a.pole,
                                                                        "capacity": self.capacity[a.pole]}
        if full and a.score <= self.lowest.get(a.pole, math.inf):
            return pole_text
        quota_text = self.quota(i)
        if quota_text:
            return quota_text
        return pole_text if full else _("lower score than the selected ones")

    def quota(self, i):
        for n, q in enumerate(self.quotas):
            if i not in self.denominators[n]:
                continue
            total, own = self.totals[n] + 1, q.group_of.get(i)
            most, least, top = q.spec.get("max"), q.share("min_share"), q.share("max_share")
            if own is not None:
                count = self.counts[n][own] + 1
                if most is not None and count > most:
                    return self._text(q, own, "max", most)
                if top is not None and count * SHARE_SCALE > top * total:
                    return self._text(q, own, "max_share", q.spec["max_share"])
                if least is not None and count * SHARE_SCALE < least * total:
                    return self._text(q, own, "min_share", q.spec["min_share"])
            for group in self.thin[n]:
                if group != own:
                    return self._text(q, group, "min_share", q.spec["min_share"])
        return None

    @staticmethod
    def _text(quota, group, bound, limit):
        values = {"quota": quota.name, "max": limit, "share": f"{_number(limit * 100)} %"}
        if "group_by" not in quota.spec:
            return {
                "max": _("quota “%(quota)s” reached (max %(max)s)"),
                "max_share": _("quota “%(quota)s” would go above its share (max %(share)s)"),
                "min_share": _("quota “%(quota)s” would fall below its share (min %(share)s)"),
            }[bound] % values
        values["group"] = f"{quota.spec['group_by']} {quota.groups[group][0]}"
        return {
            "max": _("quota “%(quota)s” reached for %(group)s (max %(max)s)"),
            "max_share": _("quota “%(quota)s” would go above its share for %(group)s (max %(share)s)"),
            "min_share": _("quota “%(quota)s” would fall below its share for %(group)s (min %(share)s)"),
        }[bound] % values


def _number(value):
    """A score or a percentage as people write it: 87.5, 100, 12.345."""
    return f"{value:.3f}".rstrip("0").rstrip(".")

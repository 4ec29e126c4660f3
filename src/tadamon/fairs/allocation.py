"""The stand allocation engine: which stand of the floor plan each selected exhibitor gets.

`solve`, `greedy`, `objective` and `violations` take and return plain JSON-ready data (the
`allocate-stands` contract, see `solve`), so that the floor-plan screens and the command line share
the same code, and a run can be stored and replayed as it was.

Hard constraints: every exhibitor on exactly one stand of its own pole, no stand over capacity, the
step-free access and power an exhibitor needs, the staff's locks, and never two exhibitors on one stand
when either listed the other in `never_share_with`. The objective rewards preferences, sector zones,
two exhibitors of the same sector on one stand, and pairs who asked to share.

The model (OR-Tools CP-SAT) does not give every exhibitor a boolean per stand of its pole: 2,000
exhibitors on 1,000 stands would be a million booleans, too many to even build in a minute (the Python
layer takes about 10 µs per variable). Most exhibitors are interchangeable with others of the same
pole, sector and needs on every stand they did not ask for, so they are counted rather than named:

- an exhibitor gets a boolean per stand it, or someone it asked to share with or was asked by, listed
  with a positive weight or is locked on (a locked exhibitor has only that one); when three or more
  ask to share with one another, also per stand of three or more places;
- elsewhere it is either *alone*, in the *pool* of its type (pole, sector, needs), or half of a
  *couple* with a share partner (a type too: pole, the two sectors, the needs of both);
- each stand counts how many of each pool type it holds (small integers), and each stand for three or
  more how many couples of each type; a couple fills a stand for two, so those are counted per class of
  stands for two (pole, zone, equipment): one boolean per stand says it holds a couple.

Pairs kept apart are only modelled where both have a boolean; pooled exhibitors are dealt out apart
afterwards (swapping with others of their type, which changes nothing the model counts), and those who
cannot be are then modelled *full* (a boolean per candidate stand) and the model solved again.

Sector pairs are counted per stand and sector: with n exhibitors of a sector on a stand, booleans
b_j ("at least j of them", j = 2..capacity) weighted (j - 1) give exactly n (n - 1) / 2 pairs, because
the objective pushes each b_j up to what n ≥ j b_j allows; cuts (see `_Built._tighten_pairs`) keep the
linear relaxation from counting half pairs of two sectors on one stand. Every allocation of the contract
has an image in the model with the same objective, and every solution of the model is an allocation
whose true objective is at least the model's (a pooled exhibitor may land on a stand it asked for, a
bonus the model does not count): so the solver's bound is a bound of the real problem, and its optimum
the real optimum.

The search: a strong start (a min-cost flow for preferences and zones with target sectors per stand,
then a local search), given to the solver as a hint; the solver runs on the whole model in a thread,
mostly for the bound, while the main thread improves the allocation by large neighbourhood search
(re-solving a few dozen stands at a time, everyone else in place); the best allocation wins.
"""

import math
import os
import random
import threading
import time
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from numbers import Real

from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from ortools.graph.python import min_cost_flow
from ortools.sat.python import cp_model

from .selection import _is_int, _solver

STAND_KEYS = ("id", "pole", "capacity", "zone", "accessible", "power")
GEOMETRY_KEYS = ("x", "y", "w", "h")
EXHIBITOR_KEYS = ("id", "pole", "sector", "needs_accessible", "needs_power")
#: Exhibitor keys that may be left out, and what leaving them out means.
EXHIBITOR_DEFAULTS = {"preferences": (), "share_with": None, "never_share_with": (), "locked_stand": None}
WEIGHT_KEYS = ("preference", "zone", "pair_same_sector", "pair_requested")
#: Stands per neighbourhood of the large neighbourhood search, and seconds the solver may spend on one.
NEIGHBOURHOOD_STANDS = 40
NEIGHBOURHOOD_SECONDS = 1.0


@dataclass
class _Stand:
    id: object
    pole: str
    capacity: int
    zone: str | None
    accessible: bool
    power: bool


@dataclass
class _Exhibitor:
    id: object
    pole: str
    sector: str | None
    needs_accessible: bool
    needs_power: bool
    preferences: list  # stand indices in the order given (duplicates kept: only the first place counts)
    share_with: int | None  # exhibitor index
    never: list  # exhibitor indices
    locked: int | None  # stand index


@dataclass
class _Problem:
    stands: list
    exhibitors: list
    preference: list  # P1, P2, ...
    zone: int
    same: int
    requested: int
    never_pairs: set = field(default_factory=set)  # {(i, j)}, i < j, whoever listed whom
    request_pairs: set = field(default_factory=set)  # {(i, j)}, i < j, a mutual request once

    def gain(self, e, s):
        """What exhibitor e earns on stand s by itself: its preference rank, then the zone."""
        exhibitor = self.exhibitors[e]
        return self.preference_gain(e, s) + (self.zone if _in_zone(exhibitor, self.stands[s]) else 0)

    def preference_gain(self, e, s):
        preferences = self.exhibitors[e].preferences
        if s in preferences:
            rank = preferences.index(s)
            return self.preference[rank] if rank < len(self.preference) else 0
        return 0

    def fits(self, e, s):
        """Whether stand s may take exhibitor e at all (its pole, its needs, some room), locks aside."""
        exhibitor, stand = self.exhibitors[e], self.stands[s]
        return (stand.pole == exhibitor.pole and stand.capacity > 0
                and (stand.accessible or not exhibitor.needs_accessible) and (stand.power or not exhibitor.needs_power))

    def candidates(self, e):
        """The stands exhibitor e may take: its locked stand if it fits, otherwise every stand that fits."""
        locked = self.exhibitors[e].locked
        if locked is not None:
            return [locked] if self.fits(e, locked) else []
        return [s for s in self._pole_stands.get(self.exhibitors[e].pole, ()) if self.fits(e, s)]

    def __post_init__(self):
        self._pole_stands = defaultdict(list)
        for s, stand in enumerate(self.stands):
            self._pole_stands[stand.pole].append(s)

    def pole_stands(self, pole):
        return self._pole_stands.get(pole, [])


def _in_zone(exhibitor, stand):
    return stand.zone is not None and stand.zone == exhibitor.sector


# ---- the public functions ------------------------------------------------------------------------

def solve(instance, time_limit=60, workers=0):
    """Allocate the stands of a fair.

    `instance` is ``{"weights": {"preference": [P1, P2, ...], "zone": Z, "pair_same_sector": S,
    "pair_requested": R}, "stands": [STAND], "exhibitors": [EXHIBITOR]}`` with a stand ``{"id", "pole",
    "capacity", "zone": SECTOR | None, "accessible", "power", "x", "y", "w", "h"}`` (the geometry is not
    used here and may be left out) and an exhibitor ``{"id", "pole", "sector", "needs_accessible",
    "needs_power", "preferences": [STAND_ID], "share_with": ID | None, "never_share_with": [ID],
    "locked_stand": STAND_ID | None}`` (the last four may be left out). Weights are whole numbers ≥ 0.
    Poles, sectors and zones compare as text; stand and exhibitor ids are numbers or text, unique as
    text, and references to them are matched as text. A sector ``None`` matches no zone and no one.

    The objective, to maximise: P_k for each exhibitor on the k-th stand of its preferences (0 beyond
    the weights given; a stand listed twice counts at its first place), Z for each exhibitor on a stand
    whose zone is its sector, and for each two exhibitors on one stand, S if they have the same sector
    plus R if either asked to share with the other.

    Returns ``{"status": "optimal" | "feasible" | "infeasible", "objective", "bound", "assignment":
    {str(exhibitor id): stand id}, "conflicts": [sentence]}``; `bound` is an upper bound of the
    objective (equal to it when optimal). When infeasible, the assignment is empty and the conflicts
    say what cannot be satisfied. `workers` = 0 uses every core. Raises ValueError on malformed input,
    and TimeoutError when `time_limit` seconds were not enough to find any allocation at all.

    The solver's random seed is fixed, so a run that ends proven optimal is reproducible; one stopped by
    the time limit depends on how much search the machine did in that time (as any anytime search).
    """
    started = time.monotonic()
    _check_run(time_limit, workers)
    problem = _parse(instance)
    conflicts = _prechecks(problem)
    if conflicts:
        return _out("infeasible", problem, None, 0, conflicts)
    workers = workers or os.cpu_count() or 1
    deadline = started + time_limit
    full = set()
    plan = _Plan(problem, full)
    starts = [_good_start(problem, plan, started + 0.1 * time_limit), _first_come(problem, smart=True),
              _first_come(problem)]  # the baseline too: never worse than first come, first placed
    start = max((p for p in starts if _valid(problem, p)), key=lambda p: _objective(problem, p), default=None)
    while True:
        built = _Built(problem, plan)
        if start is not None:
            built.hint(start)
        search = _Search(built.model, deadline - time.monotonic(), workers)
        search.start()
        # Small instances are solved, or proven optimal, in a few seconds; on fairs much larger than a
        # neighbourhood, the neighbourhood search improves the start while the solver works on the bound.
        search.join(min(0.1 * time_limit, 6))
        found = start
        if search.is_alive() and start is not None and len(problem.stands) > 5 * NEIGHBOURHOOD_STANDS:
            found = _neighbourhoods(problem, start, deadline, search)
        search.join()
        solver, status = search.solver, search.status
        if status == cp_model.INFEASIBLE:
            remaining = max(deadline - time.monotonic(), 1.0)
            return _out("infeasible", problem, None, 0, _explain(problem, remaining))
        stuck = set()
        if status in (cp_model.OPTIMAL, cp_model.FEASIBLE):
            placement, stuck = built.read(solver)
            if not stuck and (found is None or _objective(problem, placement) >= _objective(problem, found)):
                found = placement
        if not stuck or time.monotonic() >= deadline:
            break
        # The pools could not keep some pairs apart: model those stand by stand, and solve again.
        full |= stuck
        plan, start = _Plan(problem, full), found
    if found is None:
        raise TimeoutError(f"No allocation found within {time_limit:g} s ({solver.status_name(status)}): "
                           "allow more time.")
    value, bound = _objective(problem, found), _quick_bound(problem)
    if math.isfinite(solver.best_objective_bound):
        bound = min(bound, math.floor(solver.best_objective_bound + 1e-6))
    bound = max(value, bound)
    return _out("optimal" if value == bound else "feasible", problem, found, bound, [])


class _Search(threading.Thread):
    """The solver on the whole model, in a thread (CP-SAT lets go of the GIL while it searches)."""

    def __init__(self, model, time_limit, workers):
        super().__init__(daemon=True)
        self.model = model
        self.solver = _solver(max(time_limit, 0.1), workers)
        _strong_relaxation(self.solver)
        self.status = cp_model.UNKNOWN

    def run(self):
        self.status = self.solver.solve(self.model)


def _valid(problem, placement):
    """The placement if it places everyone within every hard constraint, else None."""
    if placement is None or None in placement:
        return None
    return None if _broken(problem, placement) else placement


def _strong_relaxation(solver):
    """Search with the full linear relaxation: it is what proves optima here (with the cuts of
    `_Built._tighten_pairs`), and the default LP worker only gets a weaker one, in which presolve's
    rewriting of "n ≥ j b" as "b ⇒ n ≥ j" loses those rows. From 5 workers the default portfolio has
    a "max_lp" worker; below, the workers are chosen: "max_lp" first."""
    parameters = solver.parameters
    if parameters.num_workers == 1:
        parameters.linearization_level = 2
    elif parameters.num_workers <= 4:
        parameters.subsolvers.extend(["max_lp", "no_lp", "quick_restart"])


def greedy(instance):
    """The baseline, first come, first placed: locked exhibitors on their stands, then every other one
    in the order given on the first stand of its pole that keeps every hard constraint with those
    already placed, trying its preferences first, in order. Same output as `solve`; "infeasible" when
    someone could not be placed (the assignment then holds those who were, and the conflicts name the
    others); `bound` is a quick upper bound of the objective."""
    problem = _parse(instance)
    placement = _first_come(problem)
    conflicts = []
    if None in placement:
        conflicts = _prechecks(problem)
        for e, s in enumerate(placement):
            if s is None:
                conflicts.append(_("exhibitor %(exhibitor)s could not be placed: no stand it may take in pole "
                                   "%(pole)s was left with room and without someone it must not share with")
                                 % {"exhibitor": problem.exhibitors[e].id, "pole": problem.exhibitors[e].pole})
    status = "infeasible" if conflicts else "feasible"
    return _out(status, problem, placement, max(_quick_bound(problem), _objective(problem, placement)), conflicts)


def objective(instance, assignment):
    """The objective of an assignment ``{str(exhibitor id): stand id}``, computed directly from the
    contract (exhibitors left out, unknown or on unknown stands earn nothing)."""
    problem = _parse(instance)
    return _objective(problem, _placement(problem, assignment)[0])


def violations(instance, assignment):
    """Every hard constraint an assignment ``{str(exhibitor id): stand id}`` breaks, in plain sentences
    (an empty list for a valid allocation)."""
    problem = _parse(instance)
    return _broken(problem, *_placement(problem, assignment))


def _broken(problem, placement, problems=None):
    """The hard constraints a placement breaks (see `violations`); `problems` are those met reading it."""
    problems = dict(problems or {})
    stands, exhibitors = problem.stands, problem.exhibitors
    holders = defaultdict(list)
    for e, s in enumerate(placement):
        exhibitor = exhibitors[e]
        values = {"exhibitor": exhibitor.id, "stand": None if s is None else stands[s].id, "pole": exhibitor.pole}
        if s is None:
            if str(exhibitor.id) not in problems:
                problems[str(exhibitor.id)] = _("exhibitor %(exhibitor)s has no stand") % values
            continue
        holders[s].append(e)
        stand = stands[s]
        if stand.pole != exhibitor.pole:
            problems[f"{exhibitor.id} pole"] = _("exhibitor %(exhibitor)s of pole %(pole)s is on stand %(stand)s "
                                                 "of pole %(other)s") % {**values, "other": stand.pole}
        if exhibitor.needs_accessible and not stand.accessible:
            problems[f"{exhibitor.id} access"] = _("exhibitor %(exhibitor)s needs an accessible stand but is on "
                                                   "stand %(stand)s") % values
        if exhibitor.needs_power and not stand.power:
            problems[f"{exhibitor.id} power"] = _("exhibitor %(exhibitor)s needs a stand with power but is on "
                                                  "stand %(stand)s") % values
        if exhibitor.locked is not None and exhibitor.locked != s:
            problems[f"{exhibitor.id} lock"] = _("exhibitor %(exhibitor)s is locked on stand %(locked)s but is on "
                                                 "stand %(stand)s") % {**values, "locked": stands[exhibitor.locked].id}
    out = list(problems.values())
    for s, members in holders.items():
        if len(members) > stands[s].capacity:
            out.append(_("stand %(stand)s holds %(count)s exhibitors for a capacity of %(capacity)s")
                       % {"stand": stands[s].id, "count": len(members), "capacity": stands[s].capacity})
        for i, e in enumerate(members):
            for f in members[i + 1:]:
                if (min(e, f), max(e, f)) in problem.never_pairs:
                    out.append(_("exhibitors %(first)s and %(second)s share stand %(stand)s but must never share "
                                 "a stand") % {"first": exhibitors[min(e, f)].id,
                                               "second": exhibitors[max(e, f)].id, "stand": stands[s].id})
    return out


def _placement(problem, assignment):
    """The assignment as a list: stand index (or None) per exhibitor, and the problems met reading it."""
    if not isinstance(assignment, dict):
        raise ValueError("The assignment must be an object {exhibitor id: stand id}.")
    exhibitor_index = {str(x.id): e for e, x in enumerate(problem.exhibitors)}
    stand_index = {str(s.id): i for i, s in enumerate(problem.stands)}
    placement, problems = [None] * len(problem.exhibitors), {}
    for key, stand_id in assignment.items():
        e = exhibitor_index.get(str(key))
        if e is None:
            problems[f"unknown {key}"] = _("exhibitor %(exhibitor)s is not an exhibitor of this fair") % {
                "exhibitor": key}
            continue
        s = stand_index.get(str(stand_id)) if isinstance(stand_id, int | str) and not isinstance(stand_id, bool) \
            else None
        if s is None:
            problems[str(problem.exhibitors[e].id)] = _("exhibitor %(exhibitor)s is on stand %(stand)s, which does "
                                                        "not exist") % {"exhibitor": key, "stand": stand_id}
            continue
        placement[e] = s
    return placement, problems


def _objective(problem, placement):
    """The contract's objective, straight from its definition (independent of the model)."""
    total = 0
    holders = defaultdict(list)
    for e, s in enumerate(placement):
        if s is not None:
            total += problem.gain(e, s)
            holders[s].append(e)
    for members in holders.values():
        for i, e in enumerate(members):
            for f in members[i + 1:]:
                sector = problem.exhibitors[e].sector
                if sector is not None and sector == problem.exhibitors[f].sector:
                    total += problem.same
                if (min(e, f), max(e, f)) in problem.request_pairs:
                    total += problem.requested
    return total


def _assignment(problem, placement):
    return {str(x.id): problem.stands[s].id for x, s in zip(problem.exhibitors, placement, strict=True)
            if s is not None}


def _out(status, problem, placement, bound, conflicts):
    assignment = {} if placement is None else _assignment(problem, placement)
    value = 0 if placement is None else _objective(problem, placement)
    return {"status": status, "objective": value, "bound": bound, "assignment": assignment, "conflicts": conflicts}


# ---- input ---------------------------------------------------------------------------------------

def _check_run(time_limit, workers):
    if isinstance(time_limit, bool) or not isinstance(time_limit, Real) or not time_limit > 0:
        raise ValueError(f"time_limit must be a positive number of seconds, not {time_limit!r}.")
    if not _is_int(workers) or workers < 0:
        raise ValueError(f"workers must be a whole number ≥ 0 (0: every core), not {workers!r}.")


def _parse(instance):
    """Check the contract and return the problem, with clear messages: a misspelt need or a dangling
    reference must not silently drop a constraint."""
    if not isinstance(instance, dict):
        raise ValueError("The instance must be an object with weights, stands and exhibitors.")
    missing = [k for k in ("weights", "stands", "exhibitors") if k not in instance]
    if missing:
        raise ValueError(f"The instance lacks: {', '.join(missing)}.")
    preference, zone, same, requested = _weights(instance["weights"])
    if not isinstance(instance["stands"], list):
        raise ValueError("stands must be a list.")
    stands, stand_index = [], {}
    for n, raw in enumerate(instance["stands"]):
        stand = _stand(n, raw)
        if str(stand.id) in stand_index:
            raise ValueError(f"Stand id {stand.id!r} appears twice.")
        stand_index[str(stand.id)] = len(stands)
        stands.append(stand)
    if not isinstance(instance["exhibitors"], list):
        raise ValueError("exhibitors must be a list.")
    raws, exhibitor_index = [], {}
    for n, raw in enumerate(instance["exhibitors"]):
        _check_exhibitor(n, raw)
        if str(raw["id"]) in exhibitor_index:
            raise ValueError(f"Exhibitor id {raw['id']!r} appears twice.")
        exhibitor_index[str(raw["id"])] = n
        raws.append(raw)
    exhibitors = [_exhibitor(raw, stand_index, exhibitor_index) for raw in raws]
    problem = _Problem(stands, exhibitors, preference, zone, same, requested)
    for e, exhibitor in enumerate(exhibitors):
        for f in exhibitor.never:
            problem.never_pairs.add((min(e, f), max(e, f)))
        if exhibitor.share_with is not None:
            f = exhibitor.share_with
            problem.request_pairs.add((min(e, f), max(e, f)))
    return problem


def _weights(weights):
    if not isinstance(weights, dict):
        raise ValueError("weights must be an object {preference, zone, pair_same_sector, pair_requested}.")
    missing = [k for k in WEIGHT_KEYS if k not in weights]
    if missing:
        raise ValueError(f"The weights lack: {', '.join(missing)}.")
    unknown = set(weights) - set(WEIGHT_KEYS)
    if unknown:
        raise ValueError(f"Unknown weight(s): {', '.join(sorted(unknown))} (known: {', '.join(WEIGHT_KEYS)}).")
    preference = weights["preference"]
    if not isinstance(preference, list) or not all(_is_int(p) and p >= 0 for p in preference):
        raise ValueError(f"weights.preference must be a list of whole numbers ≥ 0, not {preference!r}.")
    for key in WEIGHT_KEYS[1:]:
        if not _is_int(weights[key]) or weights[key] < 0:
            raise ValueError(f"weights.{key} must be a whole number ≥ 0, not {weights[key]!r}.")
    return list(preference), weights["zone"], weights["pair_same_sector"], weights["pair_requested"]


def _identifier(value):
    return isinstance(value, int | str) and not isinstance(value, bool)


def _label(what, value):
    """A pole, sector or zone as text (None stays None for sectors and zones)."""
    if value is None and what != "pole":
        return None
    if not _identifier(value):
        raise ValueError(f"{what} must be a number or a string, not {value!r}.")
    return str(value)


def _stand(n, raw):
    if not isinstance(raw, dict):
        raise ValueError(f"Stand #{n} must be an object.")
    missing = [k for k in STAND_KEYS if k not in raw]
    if missing:
        raise ValueError(f"Stand #{n} lacks: {', '.join(missing)}.")
    key = raw["id"]
    if not _identifier(key):
        raise ValueError(f"Stand #{n}: the id must be a number or a string, not {key!r}.")
    if not _is_int(raw["capacity"]) or raw["capacity"] < 0:
        raise ValueError(f"Stand {key!r}: the capacity must be a whole number ≥ 0, not {raw['capacity']!r}.")
    for flag in ("accessible", "power"):
        if not isinstance(raw[flag], bool):
            raise ValueError(f"Stand {key!r}: {flag} must be true or false, not {raw[flag]!r}.")
    for name in GEOMETRY_KEYS:
        value = raw.get(name)
        if value is not None and (isinstance(value, bool) or not isinstance(value, Real)):
            raise ValueError(f"Stand {key!r}: {name} must be a number, not {value!r}.")
    try:
        pole, zone = _label("pole", raw["pole"]), _label("zone", raw["zone"])
    except ValueError as exc:
        raise ValueError(f"Stand {key!r}: {exc}")
    return _Stand(key, pole, raw["capacity"], zone, raw["accessible"], raw["power"])


def _check_exhibitor(n, raw):
    if not isinstance(raw, dict):
        raise ValueError(f"Exhibitor #{n} must be an object.")
    missing = [k for k in EXHIBITOR_KEYS if k not in raw]
    if missing:
        raise ValueError(f"Exhibitor #{n} lacks: {', '.join(missing)}.")
    if not _identifier(raw["id"]):
        raise ValueError(f"Exhibitor #{n}: the id must be a number or a string, not {raw['id']!r}.")


def _exhibitor(raw, stand_index, exhibitor_index):
    key = raw["id"]

    def stand(value, what):
        if not _identifier(value) or str(value) not in stand_index:
            raise ValueError(f"Exhibitor {key!r}: {what} {value!r} is not a stand of the instance.")
        return stand_index[str(value)]

    def exhibitor(value, what):
        if not _identifier(value) or str(value) not in exhibitor_index:
            raise ValueError(f"Exhibitor {key!r}: {what} {value!r} is not an exhibitor of the instance.")
        if str(value) == str(key):
            raise ValueError(f"Exhibitor {key!r}: {what} names the exhibitor itself.")
        return exhibitor_index[str(value)]

    for flag in ("needs_accessible", "needs_power"):
        if not isinstance(raw[flag], bool):
            raise ValueError(f"Exhibitor {key!r}: {flag} must be true or false, not {raw[flag]!r}.")
    values = {k: raw.get(k, default) for k, default in EXHIBITOR_DEFAULTS.items()}
    for name in ("preferences", "never_share_with"):
        if values[name] is None:
            values[name] = ()
        if not isinstance(values[name], list | tuple):
            raise ValueError(f"Exhibitor {key!r}: {name} must be a list, not {values[name]!r}.")
    try:
        pole, sector = _label("pole", raw["pole"]), _label("sector", raw["sector"])
    except ValueError as exc:
        raise ValueError(f"Exhibitor {key!r}: {exc}")
    return _Exhibitor(
        key, pole, sector, raw["needs_accessible"], raw["needs_power"],
        preferences=[stand(v, "preference") for v in values["preferences"]],
        share_with=None if values["share_with"] is None else exhibitor(values["share_with"], "share_with"),
        never=[exhibitor(v, "never_share_with") for v in values["never_share_with"]],
        locked=None if values["locked_stand"] is None else stand(values["locked_stand"], "locked_stand"),
    )


# ---- cheap checks before the model ---------------------------------------------------------------

def _needs_text(exhibitor, values):
    if exhibitor.needs_accessible and exhibitor.needs_power:
        return _("exhibitor %(exhibitor)s needs an accessible stand with power in pole %(pole)s: none exists") % values
    if exhibitor.needs_accessible:
        return _("exhibitor %(exhibitor)s needs an accessible stand in pole %(pole)s: none exists") % values
    return _("exhibitor %(exhibitor)s needs a stand with power in pole %(pole)s: none exists") % values


def _prechecks(problem):
    """What makes the instance infeasible on its face, in sentences: per exhibitor, its candidate
    stands (a lock elsewhere, a need no stand meets); per stand, its locked exhibitors; per pole, the
    capacity for everyone and, Hall-style, for those who need power, step-free access or both (locks
    counted where they are). Given these pass, only the pairs kept apart can still make it infeasible:
    with these nested needs, Hall's condition on them is exact for the rest."""
    stands, exhibitors = problem.stands, problem.exhibitors
    out = []
    locked_on = defaultdict(list)
    for e, exhibitor in enumerate(exhibitors):
        values = {"exhibitor": exhibitor.id, "pole": exhibitor.pole}
        if exhibitor.locked is not None:
            stand = stands[exhibitor.locked]
            values["stand"] = stand.id
            if stand.pole != exhibitor.pole:
                out.append(_("exhibitor %(exhibitor)s is locked on stand %(stand)s of another pole") % values)
                continue
            locked_on[exhibitor.locked].append(e)
            if exhibitor.needs_accessible and not stand.accessible:
                out.append(_("exhibitor %(exhibitor)s needs an accessible stand but is locked on stand %(stand)s, "
                             "which is not") % values)
            if exhibitor.needs_power and not stand.power:
                out.append(_("exhibitor %(exhibitor)s needs a stand with power but is locked on stand %(stand)s, "
                             "which has none") % values)
        elif (exhibitor.needs_accessible or exhibitor.needs_power) and not problem.candidates(e) \
                and any(stands[s].capacity for s in problem.pole_stands(exhibitor.pole)):
            out.append(_needs_text(exhibitor, values))
    for s, members in locked_on.items():
        stand = stands[s]
        if len(members) > stand.capacity:
            out.append(ngettext("stand %(stand)s holds %(count)s locked exhibitor for a capacity of %(capacity)s",
                                "stand %(stand)s holds %(count)s locked exhibitors for a capacity of %(capacity)s",
                                len(members)) % {"stand": stand.id, "count": len(members),
                                                 "capacity": stand.capacity})
        for i, e in enumerate(members):
            for f in members[i + 1:]:
                if (min(e, f), max(e, f)) in problem.never_pairs:
                    out.append(_("exhibitors %(first)s and %(second)s are both locked on stand %(stand)s but must "
                                 "never share a stand") % {"first": exhibitors[e].id, "second": exhibitors[f].id,
                                                           "stand": stand.id})
    out.extend(_hall(problem, locked_on))
    return out


#: The stand sets of Hall's check: (kind, which stands, which needs can only go there).
_HALL = [
    ("all", lambda s: True, lambda a, p: True),
    ("both", lambda s: s.accessible and s.power, lambda a, p: a and p),
    ("accessible", lambda s: s.accessible, lambda a, p: a),
    ("power", lambda s: s.power, lambda a, p: p),
    ("accessible or power", lambda s: s.accessible or s.power, lambda a, p: a or p),
]


def _hall(problem, locked_on):
    """Per pole: for each set U of stands reachable by a kind of need, the unlocked exhibitors that can
    only go on U plus those locked on U must fit in U's capacity."""
    out = []
    poles = list(dict.fromkeys(x.pole for x in problem.exhibitors))
    for pole in poles:
        members = [x for x in problem.exhibitors if x.pole == pole and x.locked is None]
        failed = set()
        for kind, inside, bound in _HALL:
            chosen = [s for s in problem.pole_stands(pole) if inside(problem.stands[s])]
            capacity = sum(problem.stands[s].capacity for s in chosen)
            needing = sum(1 for x in members if bound(x.needs_accessible, x.needs_power))
            locked = sum(len(locked_on.get(s, ())) for s in chosen)
            if needing + locked <= capacity:
                continue
            failed.add(kind)
            # Said already: a need no stand meets (per exhibitor), or a narrower set of stands.
            if kind != "all" and (not needing or not capacity or failed & {"accessible", "power"}
                                  and kind == "accessible or power"):
                continue
            values = {"pole": pole, "count": needing + locked, "needing": needing, "locked": locked,
                      "capacity": capacity}
            if kind == "all":
                out.append(ngettext("pole %(pole)s: %(count)s exhibitor for a capacity of %(capacity)s",
                                    "pole %(pole)s: %(count)s exhibitors for a capacity of %(capacity)s",
                                    needing + locked) % values)
                break  # the needs only say the same again
            text = {
                "accessible or power": ngettext(
                    "pole %(pole)s: %(needing)s exhibitor needs step-free access or power",
                    "pole %(pole)s: %(needing)s exhibitors need step-free access or power", needing),
                "accessible": ngettext("pole %(pole)s: %(needing)s exhibitor needs an accessible stand",
                                       "pole %(pole)s: %(needing)s exhibitors need an accessible stand", needing),
                "power": ngettext("pole %(pole)s: %(needing)s exhibitor needs a stand with power",
                                  "pole %(pole)s: %(needing)s exhibitors need a stand with power", needing),
                "both": ngettext("pole %(pole)s: %(needing)s exhibitor needs an accessible stand with power",
                                 "pole %(pole)s: %(needing)s exhibitors need an accessible stand with power",
                                 needing),
            }[kind] % values
            if locked:
                text += ngettext(" and %(locked)s other is locked on such a stand",
                                 " and %(locked)s others are locked on such stands", locked) % values
            out.append(text + _(", for a capacity of %(capacity)s on those stands") % values)
    return out


# ---- first come, first placed ------------------------------------------------------------------------

def _first_come(problem, smart=False):
    """The greedy baseline's placement: a stand index or None per exhibitor. `smart` (for the solver's
    hint) places the most constrained first (locked, then step-free access, then power), and tries after
    its preferences the stand of whom it asked to share with, then a stand where one of its sector waits
    for company, then an empty stand in its sector's zone."""
    exhibitors, stands = problem.exhibitors, problem.stands
    placement = [None] * len(exhibitors)
    holders = defaultdict(list)
    never, partners = _neighbours(problem.never_pairs), _neighbours(problem.request_pairs)
    waiting = defaultdict(list)  # (pole, sector) -> stands holding one of the sector, maybe with room
    zoned = defaultdict(list)  # (pole, zone) -> stands of that zone
    for s, stand in enumerate(stands):
        zoned[stand.pole, stand.zone].append(s)

    def place(e, options):
        for s in options:
            if problem.fits(e, s) and len(holders[s]) < stands[s].capacity and not never[e] & set(holders[s]):
                placement[e] = s
                holders[s].append(e)
                waiting[exhibitors[e].pole, exhibitors[e].sector].append(s)
                return

    order = sorted(range(len(exhibitors)), key=lambda e: (exhibitors[e].locked is None,) + (
        (not exhibitors[e].needs_accessible, not exhibitors[e].needs_power) if smart else ()))
    for e in order:
        exhibitor = exhibitors[e]
        if exhibitor.locked is not None:
            place(e, [exhibitor.locked])
            continue
        options = list(exhibitor.preferences)
        if smart:
            options += [placement[f] for f in partners[e] if placement[f] is not None]
            key = (exhibitor.pole, exhibitor.sector)
            waiting[key] = [s for s in waiting[key] if len(holders[s]) < stands[s].capacity]
            options += waiting[key] + [s for s in zoned[key] if not holders[s]]
        place(e, options + problem.pole_stands(exhibitor.pole))
    return placement


def _quick_bound(problem):
    """An upper bound of the objective without search: each exhibitor's best stand, and every pair
    bonus that the stands' capacities and the sectors and requests could give at most."""
    total = 0
    for e in range(len(problem.exhibitors)):
        total += max((problem.gain(e, s) for s in problem.candidates(e)), default=0)
    room = defaultdict(int)
    for stand in problem.stands:
        room[stand.pole] += stand.capacity * (stand.capacity - 1) // 2
    sectors = Counter((x.pole, x.sector) for x in problem.exhibitors if x.sector is not None)
    same = defaultdict(int)
    for (pole, _sector), n in sectors.items():
        same[pole] += n * (n - 1) // 2
    requests = Counter(problem.exhibitors[e].pole for e, f in problem.request_pairs
                       if problem.exhibitors[e].pole == problem.exhibitors[f].pole)
    for pole, pairs in room.items():
        total += problem.same * min(pairs, same[pole]) + problem.requested * min(pairs, requests[pole])
    return total


# ---- a good start for the solver -----------------------------------------------------------------

def _good_start(problem, plan, deadline):
    """A strong first allocation to hint the solver with: the best one for preferences and zones (a
    min-cost flow over the pools, exact and fast), where each stand also has a target sector earning
    half a pair per exhibitor of that sector (the zone's, then each round the sector holding most of
    the stand), then improving moves and swaps. None if the flow cannot place everyone."""
    best, best_value = None, -1
    target = [stand.zone for stand in problem.stands]
    join = {}
    for _round in range(6):
        placement = _flow(problem, plan, target, join)
        if placement is None:
            return None
        value = _objective(problem, placement)
        if value > best_value:
            best, best_value = placement, value
        elif _round >= 2:
            break
        counts = defaultdict(Counter)
        for e, s in enumerate(placement):
            if problem.exhibitors[e].sector is not None:
                counts[s][problem.exhibitors[e].sector] += 1
        target = [counts[s].most_common(1)[0][0] if counts[s] else target[s] for s in range(len(problem.stands))]
        # Who asked to share may join the other where it stands now (the one better off there stays).
        join = defaultdict(set)
        for e, f in plan.pairs:
            stay, move = sorted((e, f), key=lambda g: (problem.exhibitors[g].locked is None,
                                                       -problem.gain(g, placement[g])))
            if problem.exhibitors[move].locked is None and problem.fits(move, placement[stay]) \
                    and problem.stands[placement[stay]].capacity >= 2:
                join[move].add(placement[stay])
        if time.monotonic() >= deadline:
            break
    return _improve(problem, best, deadline)


def _flow(problem, plan, target, join):
    """Place everyone for the most preference and zone gains, plus half a pair bonus per exhibitor on a
    stand whose target sector is its own: a min-cost flow from the named exhibitors (to the stands they
    have a boolean for, or to their pool) and the pools (to the stands of their type) to the stands.
    Pairs kept apart are then dealt apart where the pools allow. None if infeasible."""
    stands, exhibitors = problem.stands, problem.exhibitors
    flow = min_cost_flow.SimpleMinCostFlow()
    sink = 0
    stand_node = {s: 1 + s for s in range(len(stands))}
    kinds = sorted(set(plan.pool_type.values()), key=repr)
    kind_node = {kind: 1 + len(stands) + n for n, kind in enumerate(kinds)}
    next_node = 1 + len(stands) + len(kinds)
    supply = Counter()
    arcs = []  # (tail, head, capacity, cost, meaning)

    def value(e_sector, gain, s):
        return 2 * gain + (problem.same if e_sector is not None and e_sector == target[s] else 0)

    for s, stand in enumerate(stands):
        arcs.append((stand_node[s], sink, stand.capacity, 0, None))
    pooled = Counter()
    for e, exhibitor in enumerate(exhibitors):
        named = plan.stands_of[e]
        if e in plan.pool_type and not named and e not in join:
            pooled[plan.pool_type[e]] += 1
            continue
        node, next_node = next_node, next_node + 1
        supply[node] = 1
        for s in dict.fromkeys(list(named) + sorted(join.get(e, ()))):
            bonus = 2 * problem.requested if s in join.get(e, ()) else 0
            arcs.append((node, stand_node[s], 1, -value(exhibitor.sector, problem.gain(e, s), s) - bonus, (e, s)))
        if e in plan.pool_type:
            arcs.append((node, kind_node[plan.pool_type[e]], 1, 0, None))
    for kind in kinds:
        total = sum(1 for k in plan.pool_type.values() if k == kind)
        supply[kind_node[kind]] = pooled[kind]
        for s in plan.stands_for(kind):
            gain = problem.zone if stands[s].zone is not None and stands[s].zone == kind[1] else 0
            arcs.append((kind_node[kind], stand_node[s], min(total, stands[s].capacity),
                         -value(kind[1], gain, s), (kind, s)))
    supply[sink] = -len(exhibitors)
    for tail, head, capacity, cost, _meaning in arcs:
        flow.add_arc_with_capacity_and_unit_cost(tail, head, capacity, cost)
    for node, amount in supply.items():
        flow.set_node_supply(node, amount)
    if flow.solve() != flow.OPTIMAL:
        return None
    placement = [None] * len(exhibitors)
    slots = defaultdict(Counter)
    for arc, (_tail, _head, _capacity, _cost, meaning) in enumerate(arcs):
        amount = flow.flow(arc)
        if amount and meaning is not None:
            if isinstance(meaning[0], int):
                placement[meaning[0]] = meaning[1]
            else:
                slots[meaning[0]][meaning[1]] += amount
    return _deal(problem, plan, placement, slots)[0]


def _improve(problem, placement, deadline):
    """Local search: moves of one exhibitor (to a stand with room, or swapping with someone there) and
    of two who asked to share (together onto a stand, whose occupants take their places), taken
    whenever they raise the objective and keep every hard constraint. The stands tried for one
    exhibitor: its partners', those it listed, some holding a lone exhibitor of its sector, some of its
    sector's zone, a few others of its pole."""
    stands, exhibitors = problem.stands, problem.exhibitors
    placement = list(placement)
    never = _neighbours(problem.never_pairs)
    partners = _neighbours(problem.request_pairs)
    holders = defaultdict(list)
    for e, s in enumerate(placement):
        holders[s].append(e)
    zoned = defaultdict(list)
    for s, stand in enumerate(stands):
        if stand.zone is not None:
            zoned[stand.pole, stand.zone].append(s)
    rng = random.Random(0)  # noqa: S311 (a search heuristic, reproducible)

    def worth(s, members):
        total = 0
        for i, e in enumerate(members):
            total += problem.gain(e, s)
            for f in members[i + 1:]:
                sector = exhibitors[e].sector
                if sector is not None and sector == exhibitors[f].sector:
                    total += problem.same
                if (min(e, f), max(e, f)) in problem.request_pairs:
                    total += problem.requested
        return total

    def attempt(moves, gain=True):
        """Apply {exhibitor: stand} if it keeps the constraints and (unless not `gain`) raises the
        objective; without `gain`, return the change it would bring instead (None if not allowed)."""
        touched = {placement[e] for e in moves} | set(moves.values())
        after = {s: [e for e in holders[s] if e not in moves] for s in touched}
        for e, s in moves.items():
            after[s].append(e)
        for e, s in moves.items():
            if s != placement[e] and (exhibitors[e].locked is not None or not problem.fits(e, s)):
                return False if gain else None
        for s, members in after.items():
            if len(members) > stands[s].capacity or any(never[e] & set(members) for e in members):
                return False if gain else None
        change = sum(worth(s, after[s]) for s in touched) - sum(worth(s, holders[s]) for s in touched)
        if not gain:
            return change
        if change <= 0:
            return False
        for s, members in after.items():
            holders[s] = members
        for e, s in moves.items():
            placement[e] = s
        return True

    # First part two who must not share a stand, at the least cost (the flow does not see them).
    for e, f in sorted(problem.never_pairs):
        if placement[e] != placement[f]:
            continue
        here, options = placement[e], []
        for moving in (e, f):
            for there in problem.pole_stands(exhibitors[moving].pole):
                if there != here:
                    tries = [{moving: there}] if len(holders[there]) < stands[there].capacity else []
                    options += tries + [{moving: there, b: here} for b in holders[there]]
        scored = [(change, n) for n, moves in enumerate(options)
                  if (change := attempt(moves, gain=False)) is not None]
        if scored:
            moves = options[max(scored)[1]]
            for s in {placement[g] for g in moves} | set(moves.values()):
                holders[s] = [g for g in holders[s] if g not in moves]
            for g, s in moves.items():
                holders[s].append(g)
                placement[g] = s

    def lone(pole, sector):
        found = [s for s in stands_of_sector[pole, sector]
                 if stands[s].capacity >= 2 and sum(exhibitors[e].sector == sector for e in holders[s]) == 1]
        return rng.sample(found, min(len(found), 12))

    pole_stands = {pole: problem.pole_stands(pole) for pole in {x.pole for x in exhibitors}}
    improved = True
    while improved and time.monotonic() < deadline:
        improved = False
        stands_of_sector = defaultdict(list)
        for s, members in holders.items():
            for sector in {exhibitors[e].sector for e in members}:
                stands_of_sector[stands[s].pole, sector].append(s)
        for a, exhibitor in enumerate(exhibitors):
            if exhibitor.locked is not None:
                continue
            here = placement[a]
            key = (exhibitor.pole, exhibitor.sector)
            options = [placement[f] for f in partners[a]] + exhibitor.preferences
            if exhibitor.sector is not None:
                options += lone(*key) + rng.sample(zoned[key], min(len(zoned[key]), 4))
            options += rng.sample(pole_stands[exhibitor.pole], min(len(pole_stands[exhibitor.pole]), 4))
            for there in dict.fromkeys(options):
                if there == here or not problem.fits(a, there):
                    continue
                tries = [{a: there}] if len(holders[there]) < stands[there].capacity else []
                tries += [{a: there, b: here} for b in holders[there]]
                if any(attempt(moves) for moves in tries):
                    improved = True
                    break
            for f in partners[a]:
                if placement[f] == placement[a] or exhibitors[f].locked is not None:
                    continue
                targets = exhibitor.preferences + exhibitors[f].preferences + rng.sample(
                    pole_stands[exhibitor.pole], min(len(pole_stands[exhibitor.pole]), 6))
                for there in dict.fromkeys(targets):
                    if stands[there].capacity != 2 or there in (placement[a], placement[f]):
                        continue
                    others = holders[there]
                    tries = [dict(zip(others, order, strict=False)) | {a: there, f: there}
                             for order in ((placement[a], placement[f]), (placement[f], placement[a]))]
                    if any(attempt(moves) for moves in tries):
                        improved = True
                        break
            if time.monotonic() >= deadline:
                break
    return placement


def _part(problem, placement, chosen):
    """The sub-problem of the stands `chosen` and whoever stands on them now (everyone else stays where
    they are, so requests and pairs kept apart with them are moot; preferences keep their ranks).
    Returns it with the stands and exhibitors it covers, in its order."""
    chosen = sorted(chosen)
    stand_at = {s: i for i, s in enumerate(chosen)}
    members = [e for e, s in enumerate(placement) if s in stand_at]
    member_at = {e: i for i, e in enumerate(members)}
    exhibitors = []
    for e in members:
        x = problem.exhibitors[e]
        exhibitors.append(_Exhibitor(
            x.id, x.pole, x.sector, x.needs_accessible, x.needs_power,
            preferences=[stand_at.get(s) for s in x.preferences],  # None: a stand outside, its rank kept
            share_with=member_at.get(x.share_with), never=[member_at[f] for f in x.never if f in member_at],
            locked=None if x.locked is None else stand_at[x.locked]))
    part = _Problem([problem.stands[s] for s in chosen], exhibitors, problem.preference, problem.zone,
                    problem.same, problem.requested)
    for pairs, inside in ((problem.never_pairs, part.never_pairs), (problem.request_pairs, part.request_pairs)):
        inside.update((member_at[e], member_at[f]) for e, f in pairs if e in member_at and f in member_at)
    return part, chosen, members


def _neighbourhoods(problem, placement, deadline, search):
    """Large neighbourhood search while `search` runs: free the exhibitors of a few dozen stands of a
    pole (around a random exhibitor: its stand, its share partners' and the stands it and they listed,
    then other stands of the pole), re-solve that part exactly (or as well as a second allows) with
    everyone else in place, and keep it when it gains. Returns the best placement."""
    rng = random.Random(0)  # noqa: S311 (a search heuristic, reproducible)
    placement = list(placement)
    partners = _neighbours(problem.request_pairs)
    while time.monotonic() < deadline - NEIGHBOURHOOD_SECONDS / 2 and search.is_alive():
        holders = defaultdict(list)
        for e, s in enumerate(placement):
            holders[s].append(e)
        seed = rng.randrange(len(placement))
        pole_stands = problem.pole_stands(problem.exhibitors[seed].pole)
        size = min(NEIGHBOURHOOD_STANDS, len(pole_stands))
        chosen, frontier = {placement[seed]}, [seed]
        while frontier and len(chosen) < size:
            e = frontier.pop(0)
            for s in [placement[f] for f in partners[e]] + problem.exhibitors[e].preferences:
                if len(chosen) < size and s not in chosen and problem.stands[s].pole == problem.exhibitors[e].pole:
                    chosen.add(s)
                    frontier += holders[s]
        chosen.update(rng.sample([s for s in pole_stands if s not in chosen], size - len(chosen)))
        part, stands, members = _part(problem, placement, chosen)
        local = {s: i for i, s in enumerate(stands)}
        now = [local[placement[e]] for e in members]
        built = _Built(part, _Plan(part))
        built.hint(now)
        solver = _solver(min(NEIGHBOURHOOD_SECONDS, max(deadline - time.monotonic(), 0.1)), 1)
        _strong_relaxation(solver)
        if solver.solve(built.model) in (cp_model.OPTIMAL, cp_model.FEASIBLE):
            better, stuck = built.read(solver)
            if not stuck and _objective(part, better) > _objective(part, now):
                for e, s in zip(members, better, strict=True):
                    placement[e] = stands[s]
    return placement


# ---- the aggregated model ------------------------------------------------------------------------

def _components(count, pairs):
    """The connected components of a graph on range(count), as {root: [members]}."""
    parent = list(range(count))

    def root(e):
        while parent[e] != e:
            parent[e] = parent[parent[e]]
            e = parent[e]
        return e

    for e, f in pairs:
        parent[root(e)] = root(f)
    components = defaultdict(list)
    for e in range(count):
        components[root(e)].append(e)
    return components


class _Plan:
    """Who is modelled how (see the module's docstring): the full exhibitors, the stands each other
    exhibitor has a boolean for, the request pairs that can earn their bonus, the pool and couple types.

    `full` names exhibitors to model stand by stand (with their request components): none at first,
    those kept apart whom the pools could not separate after a solve, and for the diagnosis of an
    infeasible instance everyone kept apart or locked (`free_locks`: the locked may then move, their
    lock becoming a literal)."""

    def __init__(self, problem, full=(), free_locks=False):
        self.problem = problem
        exhibitors = problem.exhibitors
        self.free_locks = free_locks
        self.candidates = []
        for e, exhibitor in enumerate(exhibitors):
            if free_locks and exhibitor.locked is not None:
                self.candidates.append([s for s in problem.pole_stands(exhibitor.pole) if problem.fits(e, s)])
            else:
                self.candidates.append(problem.candidates(e))
        candidate_sets = [set(c) for c in self.candidates]
        # Request pairs that can earn their bonus: a common stand for two, and not kept apart.
        self.pairs = []
        if problem.requested:
            for e, f in sorted(problem.request_pairs):
                if (e, f) not in problem.never_pairs and any(
                        problem.stands[s].capacity >= 2 for s in candidate_sets[e] & candidate_sets[f]):
                    self.pairs.append((e, f))
        components = _components(len(exhibitors), self.pairs).values()
        self.full = set()
        for members in components:
            if any(e in full for e in members):
                self.full.update(members)
        # The stands each other exhibitor has a boolean for: those its component asked for or is locked
        # on, and when three or more of them could share a stand, every such stand.
        self.own = {}
        for members in components:
            if members[0] in self.full:
                continue
            wanted = {s for e in members for s in exhibitors[e].preferences if problem.preference_gain(e, s) > 0}
            wanted |= {exhibitors[e].locked for e in members if exhibitors[e].locked is not None}
            if len(members) >= 3:
                wanted |= {s for e in members for s in candidate_sets[e] if problem.stands[s].capacity >= 3}
            for e in members:
                self.own[e] = sorted(wanted & candidate_sets[e])
        self.stands_of = {e: self.candidates[e] if e in self.full else self.own[e] for e in range(len(exhibitors))}
        # Pool types (the others, when not locked) and couple types.
        self.pool_type = {e: (x.pole, x.sector, x.needs_accessible, x.needs_power) for e, x in enumerate(exhibitors)
                          if e in self.own and x.locked is None}
        self.couple_type = {}
        for e, f in self.pairs:
            if e in self.pool_type and f in self.pool_type:
                x, y = exhibitors[e], exhibitors[f]
                kind = (x.pole, tuple(sorted((x.sector, y.sector), key=lambda v: (v is None, v or ""))),
                        x.needs_accessible or y.needs_accessible, x.needs_power or y.needs_power)
                if self.stands_for(kind, couple=True):
                    self.couple_type[e, f] = kind
        # Stands for two are told apart only by their pole, zone and equipment when a couple takes one.
        self.pair_class = {}
        for s, stand in enumerate(problem.stands):
            if stand.capacity == 2:
                self.pair_class.setdefault((stand.pole, stand.zone, stand.accessible, stand.power), []).append(s)

    def stands_for(self, kind, couple=False):
        pole, _sector, accessible, power = kind
        return [s for s in self.problem.pole_stands(pole)
                if self.problem.stands[s].capacity >= (2 if couple else 1)
                and (self.problem.stands[s].accessible or not accessible)
                and (self.problem.stands[s].power or not power)]


def _fits_class(couple_kind, stand_class):
    pole, _sectors, accessible, power = couple_kind
    return stand_class[0] == pole and (stand_class[2] or not accessible) and (stand_class[3] or not power)


class _Built:
    """The CP-SAT model of a plan. With `soft`, the pairs kept apart (and the locks, if the plan frees
    them) only hold when their literal is true, and there is no objective (to name conflicts)."""

    def __init__(self, problem, plan, soft=False):
        self.problem, self.plan = problem, plan
        model = self.model = cp_model.CpModel()
        stands, exhibitors = problem.stands, problem.exhibitors
        self.literals = {}  # conflict key -> literal
        objective_vars, objective_coefficients = [], []

        def reward(var, coefficient):
            if coefficient and not soft:
                objective_vars.append(var)
                objective_coefficients.append(coefficient)

        def zone_gain(sectors, s):
            zone = stands[s].zone
            return problem.zone * sum(1 for sector in sectors if zone is not None and sector == zone)

        load = defaultdict(list)  # stand -> [(var, size)]
        self.sector_load = sector_load = defaultdict(list)  # (stand, sector) -> [(var, count)]
        options = defaultdict(list)  # exhibitor -> its options (exactly one)
        self.x = {}
        for e, exhibitor in enumerate(exhibitors):
            for s in plan.stands_of[e]:
                var = self.x[e, s] = model.new_bool_var(f"x{e}_{s}")
                options[e].append(var)
                load[s].append((var, 1))
                if exhibitor.sector is not None:
                    sector_load[s, exhibitor.sector].append((var, 1))
                reward(var, problem.gain(e, s))
        self.couple = {}
        for e, f in plan.couple_type:
            var = self.couple[e, f] = model.new_bool_var(f"c{e}_{f}")
            options[e].append(var)
            options[f].append(var)
            reward(var, problem.requested)
        self.alone = {}
        pool_constant, pool_members = Counter(), defaultdict(list)
        for e, kind in plan.pool_type.items():
            if e in options:
                var = self.alone[e] = model.new_bool_var(f"a{e}")
                options[e].append(var)
                pool_members[kind].append(var)
            else:
                pool_constant[kind] += 1
        for literals in options.values():
            model.add_exactly_one(literals)
        if any(e not in options and e not in plan.pool_type for e in range(len(exhibitors))):
            model.add_bool_or([])  # someone without a candidate stand (the prechecks name them)
        # The pools: how many of each type each stand holds.
        self.pool = {}
        for kind in set(pool_constant) | set(pool_members):
            most = pool_constant[kind] + len(pool_members[kind])
            counts = []
            for s in plan.stands_for(kind):
                var = self.pool[kind, s] = model.new_int_var(0, min(most, stands[s].capacity), f"n{kind}_{s}")
                counts.append(var)
                load[s].append((var, 1))
                if kind[1] is not None:
                    sector_load[s, kind[1]].append((var, 1))
                reward(var, zone_gain([kind[1]], s))
            model.add(sum(counts) == pool_constant[kind] + sum(pool_members[kind]))
        # The couples: per stand for three or more, per class of stands for two (a couple fills one).
        couples_of = defaultdict(list)
        for pair, kind in plan.couple_type.items():
            couples_of[kind].append(self.couple[pair])
        self.couples, self.class_couples, self.taken = {}, {}, {}
        by_class = defaultdict(list)
        for kind, members in couples_of.items():
            counts = []
            for s in plan.stands_for(kind, couple=True):
                if stands[s].capacity == 2:
                    continue
                var = self.couples[kind, s] = model.new_int_var(0, min(len(members), stands[s].capacity // 2),
                                                                 f"m{kind}_{s}")
                counts.append(var)
                load[s].append((var, 2))
                for sector, n in Counter(kind[1]).items():
                    if sector is not None:
                        sector_load[s, sector].append((var, n))
                reward(var, zone_gain(kind[1], s))
            for key, class_stands in plan.pair_class.items():
                if _fits_class(kind, key):
                    var = self.class_couples[kind, key] = model.new_int_var(
                        0, min(len(members), len(class_stands)), f"M{kind}_{key}")
                    counts.append(var)
                    by_class[key].append(var)
                    same = kind[1][0] is not None and kind[1][0] == kind[1][1]
                    reward(var, zone_gain(kind[1], class_stands[0]) + (problem.same if same else 0))
            model.add(sum(counts) == sum(members))
        for key, counts in by_class.items():
            taken = []
            for s in plan.pair_class[key]:
                var = self.taken[s] = model.new_bool_var(f"o{s}")
                taken.append(var)
                load[s].append((var, 2))
            model.add(sum(taken) == sum(counts))
        # Capacities.
        for s, terms in load.items():
            if sum(_most(var) * size for var, size in terms) > stands[s].capacity:
                model.add(_weighted(terms) <= stands[s].capacity)
        # Sector pairs: b_j = "at least j of the sector on the stand".
        self.at_least = {}
        if problem.same:
            for (s, sector), terms in sector_load.items():
                top = min(stands[s].capacity, sum(_most(var) * n for var, n in terms))
                previous = None
                for j in range(2, top + 1):
                    var = self.at_least[s, sector, j] = model.new_bool_var(f"b{s}_{sector}_{j}")
                    model.add(_weighted(terms) >= j * var)
                    if previous is not None:
                        model.add_implication(var, previous)
                    previous = var
                    reward(var, problem.same * (j - 1))
            self._tighten_pairs()
        # Pairs kept apart, where both have a boolean (the pools are dealt out apart afterwards).
        for e, f in sorted(problem.never_pairs):
            literal = self.literals["never", e, f] = model.new_bool_var(f"apart{e}_{f}") if soft else None
            for s in plan.stands_of[e]:
                if (f, s) in self.x:
                    clause = [self.x[e, s].Not(), self.x[f, s].Not()]
                    model.add_bool_or(clause + ([literal.Not()] if literal is not None else []))
        if soft and plan.free_locks:
            for e, exhibitor in enumerate(exhibitors):
                if exhibitor.locked is not None and (e, exhibitor.locked) in self.x:
                    literal = self.literals["lock", e] = model.new_bool_var(f"lock{e}")
                    model.add_implication(literal, self.x[e, exhibitor.locked])
        # Request pairs on a stand where both have a boolean.
        self.together = {}
        for e, f in plan.pairs:
            for s in plan.stands_of[e]:
                if (f, s) in self.x and stands[s].capacity >= 2:
                    var = self.together[e, f, s] = model.new_bool_var(f"y{e}_{f}_{s}")
                    model.add_implication(var, self.x[e, s])
                    model.add_implication(var, self.x[f, s])
                    reward(var, problem.requested)
        if objective_vars:
            model.maximize(cp_model.LinearExpr.weighted_sum(objective_vars, objective_coefficients))

    def _tighten_pairs(self):
        """Cuts for the sector pairs, valid for every allocation, without which the relaxation happily
        pairs half of each sector on a stand that holds one exhibitor of each: for each named exhibitor
        e of sector k on stand s, "a pair of k on s" needs another k there (b_k,2 ≤ n_k - x_e,s), and
        "s full of one sector" excludes e unless that sector is k (Σ_{l≠k} b_l,cap + x_e,s ≤ 1); a couple
        of two sectors also excludes "s full of one sector", and a couple on a stand for two any pair."""
        model, stands, exhibitors = self.model, self.problem.stands, self.problem.exhibitors
        full_of = defaultdict(list)
        for (s, sector, j), var in self.at_least.items():
            if j == stands[s].capacity:
                full_of[s].append((sector, var))
        for (e, s), var in self.x.items():
            if e in self.plan.full:
                continue  # a boolean on every stand: too many cuts for what they bring
            sector = exhibitors[e].sector
            pair = self.at_least.get((s, sector, 2))
            if pair is not None:
                model.add(pair <= _weighted(self.sector_load[s, sector]) - var)
            others = [b for k, b in full_of[s] if k != sector]
            if others:
                model.add(sum(others) + var <= 1)
        for (kind, s), var in self.couples.items():
            first, second = kind[1]
            if full_of[s] and (first != second or first is None):
                model.add(sum(b for _k, b in full_of[s]) + var <= 1)
        for s, var in self.taken.items():
            if full_of[s]:
                model.add(sum(b for _k, b in full_of[s]) + var <= 1)

    def hint(self, placement):
        """Hint a placement (None for those it could not place)."""
        problem, plan, model = self.problem, self.plan, self.model
        where = dict(enumerate(placement))
        chosen = {}  # exhibitor -> ("x", s) | ("couple", pair) | ("alone",)
        for pair in plan.couple_type:
            e, f = pair
            if e not in chosen and f not in chosen and where[e] is not None and where[e] == where[f] \
                    and where[e] not in plan.own[e]:
                chosen[e] = chosen[f] = ("couple", pair)
        pools, couples, classes, taken = Counter(), Counter(), Counter(), set()
        class_of = {s: key for key, members in plan.pair_class.items() for s in members}
        for e in plan.own:
            if where[e] is None:
                continue
            if e not in chosen:
                chosen[e] = ("x", where[e]) if where[e] in plan.own[e] else ("alone",)
            if chosen[e][0] == "alone":
                pools[plan.pool_type[e], where[e]] += 1
            elif chosen[e][0] == "couple" and e == chosen[e][1][0]:
                kind = plan.couple_type[chosen[e][1]]
                if problem.stands[where[e]].capacity == 2:
                    classes[kind, class_of[where[e]]] += 1
                    taken.add(where[e])
                else:
                    couples[kind, where[e]] += 1
        for (e, s), var in self.x.items():
            if where[e] is not None:
                model.add_hint(var, int(where[e] == s if e in plan.full else chosen[e] == ("x", s)))
        for pair, var in self.couple.items():
            if where[pair[0]] is not None and where[pair[1]] is not None:
                model.add_hint(var, int(chosen[pair[0]] == ("couple", pair)))
        for e, var in self.alone.items():
            if where[e] is not None:
                model.add_hint(var, int(chosen[e] == ("alone",)))
        if None in placement:
            return  # the counts of an incomplete placement would only mislead
        for key, var in self.pool.items():
            model.add_hint(var, pools[key])
        for key, var in self.couples.items():
            model.add_hint(var, couples[key])
        for key, var in self.class_couples.items():
            model.add_hint(var, classes[key])
        for s, var in self.taken.items():
            model.add_hint(var, int(s in taken))
        sectors = Counter((s, problem.exhibitors[e].sector) for e, s in where.items() if s not in taken)
        for (s, sector, j), var in self.at_least.items():
            model.add_hint(var, int(sectors[s, sector] >= j))
        for (e, f, s), var in self.together.items():
            model.add_hint(var, int(where[e] == where[f] == s))

    def read(self, solver):
        """The placement of a solution, and who could not be kept apart from someone (empty if all
        went well): named exhibitors where their booleans say; couples and pools dealt out to the
        stands their counts give, a pooled exhibitor first to a stand it asked for; then pooled
        exhibitors on a stand with someone they must not share with swapped with another of their type."""
        problem, plan = self.problem, self.plan
        placement = [None] * len(problem.exhibitors)
        for (e, s), var in self.x.items():
            if solver.boolean_value(var):
                placement[e] = s
        couples = defaultdict(list)
        for pair, var in self.couple.items():
            if solver.boolean_value(var):
                couples[plan.couple_type[pair]].append(pair)
        for (kind, s), var in self.couples.items():
            for _n in range(solver.value(var)):
                e, f = couples[kind].pop()
                placement[e] = placement[f] = s
        free = {key: [s for s in members if solver.boolean_value(self.taken[s])]
                for key, members in plan.pair_class.items() if members[0] in self.taken}
        for (kind, key), var in self.class_couples.items():
            for _n in range(solver.value(var)):
                e, f = couples[kind].pop()
                placement[e] = placement[f] = free[key].pop()
        slots = defaultdict(Counter)
        for (kind, s), var in self.pool.items():
            if solver.value(var):
                slots[kind][s] = solver.value(var)
        return _deal(problem, plan, placement, slots)


def _deal(problem, plan, placement, slots):
    """Deal the pooled exhibitors (those of `plan.pool_type` not yet placed) out to their type's places
    `slots` ({type: {stand: count}}), first to a stand they listed; then swap pooled exhibitors away from
    those they must not share a stand with (a swap within a type keeps the model's objective). Returns
    the placement and who could not be kept apart so (empty if all went well)."""
    members = defaultdict(list)
    for e, kind in plan.pool_type.items():
        if placement[e] is None:
            members[kind].append(e)
    for kind, waiting in members.items():
        left = []
        for e in waiting:
            wanted = [s for s in problem.exhibitors[e].preferences if slots[kind][s] > 0]
            if wanted:
                placement[e] = wanted[0]
                slots[kind][wanted[0]] -= 1
            else:
                left.append(e)
        places = [s for s, n in slots[kind].items() for _n in range(n)]
        for e, s in zip(left, places, strict=True):
            placement[e] = s
    never = _neighbours(problem.never_pairs)
    holders = defaultdict(set)
    for e, s in enumerate(placement):
        holders[s].add(e)
    stuck = set()
    for e, f in sorted(problem.never_pairs):
        if placement[e] != placement[f]:
            continue
        for moving in (e, f):
            if moving not in plan.pool_type or moving not in members[plan.pool_type[moving]]:
                continue
            here = placement[moving]
            swap = next((g for g in members[plan.pool_type[moving]]
                         if placement[g] != here and not never[moving] & (holders[placement[g]] - {g})
                         and not never[g] & (holders[here] - {moving})), None)
            if swap is not None:
                there = placement[swap]
                holders[here] ^= {moving, swap}
                holders[there] ^= {moving, swap}
                placement[moving], placement[swap] = there, here
                break
        else:
            stuck |= {e, f}
    return placement, stuck


def _neighbours(pairs):
    out = defaultdict(set)
    for e, f in pairs:
        out[e].add(f)
        out[f].add(e)
    return out


def _weighted(terms):
    return cp_model.LinearExpr.weighted_sum([var for var, _n in terms], [n for _var, n in terms])


def _most(var):
    """The largest value of a model variable (the proto's repeated field reads [-1] as 0: no negative index)."""
    domain = var.proto.domain
    return domain[len(domain) - 1]


# ---- infeasibility -------------------------------------------------------------------------------

def _explain(problem, time_limit):
    """Name a small set of pairs kept apart and locks that cannot all hold with the stands' capacities
    and the exhibitors' needs (the prechecks passed, so those alone can): the solver's sufficient
    assumptions, then a deletion filter so that each one named is needed (when time allows)."""
    deadline = time.monotonic() + time_limit
    kept_apart = {e for pair in problem.never_pairs for e in pair}
    plan = _Plan(problem, kept_apart | {e for e, x in enumerate(problem.exhibitors) if x.locked is not None},
                 free_locks=True)
    keys = list(_Built(problem, plan, soft=True).literals)
    proven, needed = _core(problem, plan, keys, deadline)
    if proven:
        for key in list(needed):
            if time.monotonic() >= deadline:
                break
            if key in needed:
                smaller_proven, smaller = _core(problem, plan, [k for k in needed if k != key], deadline)
                if smaller_proven:
                    needed = smaller
    by_pole = defaultdict(list)
    for key in needed:
        exhibitor = problem.exhibitors[key[1]]
        if key[0] == "never":
            text = _("exhibitors %(first)s and %(second)s on different stands") % {
                "first": exhibitor.id, "second": problem.exhibitors[key[2]].id}
        else:
            text = _("exhibitor %(exhibitor)s on its locked stand %(stand)s") % {
                "exhibitor": exhibitor.id, "stand": problem.stands[exhibitor.locked].id}
        by_pole[exhibitor.pole].append(text)
    if not by_pole:
        return [_("no allocation keeps every hard constraint (the search ran out of time before naming them)")]
    return [_("pole %(pole)s: its stands cannot take every exhibitor with all of these together: %(list)s")
            % {"pole": pole, "list": "; ".join(texts)} for pole, texts in by_pole.items()]


def _core(problem, plan, subset, deadline):
    """Whether the literals of `subset` are proven infeasible together, and the part of `subset` the
    solver needed to prove it. A single worker: assumption cores come from it."""
    built = _Built(problem, plan, soft=True)
    built.model.add_assumptions([built.literals[k] for k in subset])
    solver = _solver(max(deadline - time.monotonic(), 0.1), workers=1)
    if solver.solve(built.model) != cp_model.INFEASIBLE:
        return False, subset
    key_of = {literal.index: k for k, literal in built.literals.items()}
    core = {key_of[i] for i in solver.sufficient_assumptions_for_infeasibility()}
    return True, [k for k in subset if k in core] or subset

"""The programme scheduler: each session in a start slot and a space, keeping every hard rule, with as few
sessions of one audience at the same time as possible.

`solve` takes and returns plain JSON-ready data (the `schedule-programme` contract, see its docstring), so
that the same code serves the staff screens and the command line. `violations` and `objective` judge any
placement, finished or not, straight from the contract: the tests check the solver against them and the
staff grid uses them to warn about conflicts while sessions are moved by hand.

The model (OR-Tools CP-SAT) has one boolean x[s, t, r] per session s, start slot t and space r where s may
start at all: the space suits its kind and seats its audience, its d slots are consecutive in one day and
every speaker of s is available in each of them, or it is the fixed place of a fixed session. Then o[s, u]
(s occupies slot u) is the sum of the x that cover u; a space holds at most one session per slot (a sum
≤ 1 per slot and space) and a speaker at most one (a sum of o ≤ 1 per slot and speaker).

The objective counts the pairs of sessions of the same audience that share at least one slot. Pairwise
"overlap" booleans are exact but grow with the square of the sessions of an audience (the public may well
have a hundred). So the pairs are split:

* two one-slot sessions overlap exactly when they start in the same slot, so their pairs are counted per
  audience and slot from n = the number of such sessions there: C(n, 2) pairs. C(n, 2) is convex, hence
  equal to the largest of the lines k·n - k(k+1)/2 (k ≥ 0) through its integer points; an integer
  `pairs ≥ each line` is exact at the optimum and adds no boolean. There are at most as many lines as the
  session count in that slot can reach (≤ the number of spaces), whatever the number of pairs.
* a pair with a session of two slots or more gets its own boolean y ≥ o[a, u] + o[b, u] - 1 for each slot
  u both could occupy (a clause ¬o[a, u] ∨ ¬o[b, u] ∨ y). Their number grows with (long sessions) ×
  (sessions) of an audience, and long sessions (workshops, trainings) are the few.

Those y give the solver a weak bound (0 until it has tried nearly everything), so for an audience with
such pairs one redundant row ties them to its slot counts: Σ_u C(N_u, 2), N_u all its sessions in slot
u, counts each pair once per slot they share, hence is at most the pairs weighted by the slots they can
share (1 unless both are long). Too many sessions for too few slots then forces a bound. On the
benchmark's crowded programmes (60 sessions in 5 days), the bound stayed at 0 without it and no optimum
above 0 was proven in 30 s; with it, optima of 1 to 3 are proven in 2-4 s (one case still ends with a
bound of 6 for a best of 7 after 60 s).

The search runs twice: first for any placement, without the objective (a model several times smaller,
whose first placement comes much sooner on large programmes and which proves infeasibility sooner), then
for the best, from that placement as a complete hint; the better of the two is kept. The result's
objective is recounted from the placement as `objective` does, so it is the true count even when the time
ran out before the proof (at the optimum the solver's value is the same).

When there is no placement, `conflicts` says why in plain sentences: first what can be seen session by
session (no space suits its kind and attendance; no run of its length in a day where all its speakers are
available; a fixed session whose place breaks a rule; two fixed sessions clashing). Those sessions are set
aside and, if the others still cannot all be placed, the solver looks for small sets of sessions and
speakers that cannot hold together, using one assumption literal per session ("is placed") and per speaker
("in one session at a time"). Each set is shrunk until every member is needed (when time allows), reported,
its sessions released, and the search goes on, so that one run names every independent conflict it can.
"""

import math
import os
import time
from collections.abc import Callable
from dataclasses import dataclass
from numbers import Real

from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from ortools.sat.python import cp_model

INSTANCE_KEYS = ("slots", "spaces", "speakers", "sessions")
SLOT_KEYS = ("id", "day", "start", "end")
SPACE_KEYS = ("id", "capacity", "kinds")
SPEAKER_KEYS = ("id", "available_slots")
SESSION_KEYS = ("id", "kind", "audience", "duration_slots", "expected_attendance", "speakers")
#: The fewest search threads by default (see `_solver`).
MIN_WORKERS = 8
#: At most this many sets of conflicting sessions are looked for in an infeasible instance.
MAX_CONFLICT_SETS = 10


@dataclass
class _Slot:
    id: object
    day: object
    start: object
    end: object


@dataclass
class _Space:
    id: object
    capacity: int
    kinds: frozenset


@dataclass
class _Speaker:
    id: object
    available: frozenset  # slot indices


@dataclass
class _Session:
    id: object
    kind: str
    audience: object  # None: no audience, never counted in the objective
    duration: int
    attendance: int
    speakers: tuple  # speaker indices
    fixed: tuple | None  # (start slot index, space index)


@dataclass
class _Data:
    slots: list
    spaces: list
    speakers: list
    sessions: list
    slot_at: dict  # str(id) -> index, and likewise below: "7" and 7 name the same slot
    space_at: dict
    session_at: dict
    day_end: list  # per slot index: the index of the last slot of its run of the same day

    def run(self, start, duration):
        """The slot indices a session of `duration` starting at `start` covers, or None when they would not
        all be consecutive slots of the start's day."""
        end = start + duration - 1
        return range(start, end + 1) if end <= self.day_end[start] else None

    def covered(self, start, duration):
        """The slots it covers, cut at the end of the day: a placement that runs over still clashes there."""
        return range(start, min(start + duration - 1, self.day_end[start]) + 1)


def solve(instance: dict, time_limit: float = 30, workers: int = 0,
          on_solution: Callable[[float, int], None] | None = None) -> dict:
    """Place the sessions of a programme.

    `instance` is ``{"slots": [{"id", "day", "start", "end"}], "spaces": [{"id", "capacity", "kinds":
    [KIND]}], "speakers": [{"id", "available_slots": [SLOT_ID]}], "sessions": [{"id", "kind", "audience",
    "duration_slots", "expected_attendance", "speakers": [SPEAKER_ID], "fixed": {"slot", "space"} |
    null}]}``. Slots come in time order; a session of d slots takes d slots that follow each other in the
    list within one day. ``fixed`` may be left out; an ``audience`` of null is no audience. Ids are
    numbers or strings, matched by their text (7 and "7" are the same slot).

    Hard rules: a space holds one session at a time, is meant for the session's kind and seats its
    expected attendance; a speaker is in one session at a time and only in slots they are available (all
    the slots of the session); a fixed session starts at its slot in its space. Minimised: the number of
    pairs of sessions with the same audience that share a slot.

    Returns ``{"status": "optimal" | "feasible" | "infeasible", "objective", "placement": {str(SESSION_ID):
    {"slot": START_SLOT_ID, "space": SPACE_ID}}, "conflicts": [TEXT]}``; ids keep the type they have in
    `slots` and `spaces`. "feasible" means the time ran out before the optimum was proven. `workers` is
    the number of search threads (0: one per core, at least 8, see `_solver`); with more than one,
    equally good placements may come out differently from one run to the next. `on_solution(seconds,
    objective)` is called at each better placement found (seconds since `solve` was called; the solver's
    objective, which may count a few pairs too many until the last). Raises ValueError on malformed
    input, and TimeoutError when `time_limit` seconds were not enough to find any placement.
    """
    started = time.monotonic()
    if isinstance(time_limit, bool) or not isinstance(time_limit, Real) or not time_limit > 0:
        raise ValueError(f"time_limit must be a positive number of seconds, not {time_limit!r}.")
    if isinstance(workers, bool) or not isinstance(workers, int) or workers < 0:
        raise ValueError(f"workers must be a whole number ≥ 0, not {workers!r}.")
    data = _validate(instance)
    domains, messages = _prechecks(data)
    include = [s for s, domain in enumerate(domains) if domain is not None]
    if messages:
        deadline = started + time_limit
        return _infeasible(messages + _explain(data, domains, include, deadline, known=True))

    # First any placement, then the best (with 300 sessions in 24 spaces, the model without the objective
    # has a placement in 5 s, the one with it had none after 40 s).
    built = _Model(data, domains, include, enforce=False)
    solver = _solver(time_limit - (time.monotonic() - started), workers)
    status = solver.solve(built.model)
    if status == cp_model.INFEASIBLE:
        return _infeasible(_explain(data, domains, include, max(started + time_limit, time.monotonic() + 1)))
    if status not in (cp_model.OPTIMAL, cp_model.FEASIBLE):
        if status == cp_model.MODEL_INVALID:
            raise RuntimeError(f"CP-SAT refused the model: {built.model.validate()}")
        raise TimeoutError(f"No placement found within {time_limit:g} s ({solver.status_name(status)}): "
                           "allow more time.")
    entries = sorted(key for key, var in built.x.items() if solver.boolean_value(var))
    pairs = _count_pairs(data, entries)
    progress = _Progress(on_solution, started, pairs)
    progress.report(pairs)
    optimal = pairs == 0
    remaining = time_limit - (time.monotonic() - started)
    if not optimal and remaining > 0.05:
        built.add_objective()
        built.hint(entries)
        solver = _solver(remaining, workers)
        status = solver.solve(built.model, progress)
        if status == cp_model.MODEL_INVALID:
            raise RuntimeError(f"CP-SAT refused the model: {built.model.validate()}")
        if status in (cp_model.OPTIMAL, cp_model.FEASIBLE):
            better = sorted(key for key, var in built.x.items() if solver.boolean_value(var))
            if status == cp_model.OPTIMAL or _count_pairs(data, better) < pairs:
                entries, optimal = better, status == cp_model.OPTIMAL
    placement = {str(data.sessions[s].id): {"slot": data.slots[t].id, "space": data.spaces[r].id}
                 for s, t, r in entries}
    return {
        "status": "optimal" if optimal else "feasible",
        "objective": _count_pairs(data, entries),
        "placement": placement,
        "conflicts": [],
    }


def violations(instance: dict, placement: dict, complete: bool = False) -> list[str]:
    """The hard rules `placement` breaks, in plain sentences (an empty list: none).

    `placement` is ``{SESSION_ID: {"slot": START_SLOT_ID, "space": SPACE_ID} | null}``; it may hold only
    some sessions (a programme being built): the sessions it places are checked, among themselves. With
    `complete`, a session left out is a violation too. Raises ValueError on a malformed instance.
    """
    data = _validate(instance)
    entries, messages = _read_placement(data, placement)
    for s, t, r in entries:
        session = data.sessions[s]
        if session.fixed is not None and session.fixed != (t, r):
            fixed_slot, fixed_space = session.fixed
            messages.append(_("Session %(session)s is fixed at %(fixed_slot)s in space %(fixed_space)s, not at "
                              "%(slot)s in space %(space)s.") % {
                "session": session.id, "fixed_slot": _slot_name(data, fixed_slot),
                "fixed_space": data.spaces[fixed_space].id, "slot": _slot_name(data, t), "space": data.spaces[r].id})
        reasons = _place_reasons(data, session, t, r)
        if reasons:
            messages.append(_("Session %(session)s at %(slot)s in space %(space)s: %(reasons)s.") % {
                "session": session.id, "slot": _slot_name(data, t), "space": data.spaces[r].id,
                "reasons": "; ".join(reasons)})
    messages += _clashes(data, entries, fixed=False)
    if complete:
        placed = {s for s, _t, _r in entries}
        messages += [_("Session %(session)s is not placed.") % {"session": session.id}
                     for s, session in enumerate(data.sessions) if s not in placed]
    return messages


def objective(instance: dict, placement: dict) -> int:
    """The number of pairs of placed sessions with the same audience that share at least one slot (a
    placement running past the end of its day counts up to that end). Entries naming unknown sessions,
    slots or spaces are left out. Raises ValueError on a malformed instance."""
    data = _validate(instance)
    entries, _messages = _read_placement(data, placement)
    return _count_pairs(data, entries)


# ---- input ---------------------------------------------------------------------------------------

def _validate(instance):
    """Check the contract and return a _Data, with clear messages (a typo must not drop a rule)."""
    if not isinstance(instance, dict):
        raise ValueError("The instance must be an object with slots, spaces, speakers and sessions.")
    missing = [k for k in INSTANCE_KEYS if k not in instance]
    if missing:
        raise ValueError(f"The instance lacks: {', '.join(missing)}.")
    for key in INSTANCE_KEYS:
        if not isinstance(instance[key], list):
            raise ValueError(f"{key} must be a list.")

    slots, slot_at = [], {}
    for n, raw in enumerate(instance["slots"]):
        key = _entry("Slot", n, raw, SLOT_KEYS, slot_at)
        for name in ("day", "start", "end"):
            if not isinstance(raw[name], str | int | float) or isinstance(raw[name], bool):
                raise ValueError(f"Slot {raw['id']!r}: {name} must be a string or a number, not {raw[name]!r}.")
        slot_at[key] = len(slots)
        slots.append(_Slot(raw["id"], raw["day"], raw["start"], raw["end"]))

    spaces, space_at = [], {}
    for n, raw in enumerate(instance["spaces"]):
        key = _entry("Space", n, raw, SPACE_KEYS, space_at)
        if not _is_int(raw["capacity"]) or raw["capacity"] < 0:
            raise ValueError(f"Space {raw['id']!r}: capacity must be a whole number ≥ 0, not {raw['capacity']!r}.")
        kinds = raw["kinds"]
        if not isinstance(kinds, list) or not all(isinstance(k, str) for k in kinds):
            raise ValueError(f"Space {raw['id']!r}: kinds must be a list of strings, not {kinds!r}.")
        space_at[key] = len(spaces)
        spaces.append(_Space(raw["id"], raw["capacity"], frozenset(kinds)))

    speakers, speaker_at = [], {}
    for n, raw in enumerate(instance["speakers"]):
        key = _entry("Speaker", n, raw, SPEAKER_KEYS, speaker_at)
        available = _ids(f"Speaker {raw['id']!r}", "available_slots", raw["available_slots"], slot_at, "slot")
        speaker_at[key] = len(speakers)
        speakers.append(_Speaker(raw["id"], frozenset(available)))

    sessions, session_at = [], {}
    for n, raw in enumerate(instance["sessions"]):
        key = _entry("Session", n, raw, SESSION_KEYS, session_at)
        name = f"Session {raw['id']!r}"
        if not isinstance(raw["kind"], str):
            raise ValueError(f"{name}: kind must be a string, not {raw['kind']!r}.")
        audience = raw["audience"]
        if audience is not None and (not isinstance(audience, str | int) or isinstance(audience, bool)):
            raise ValueError(f"{name}: audience must be a string, a number or null, not {audience!r}.")
        if not _is_int(raw["duration_slots"]) or raw["duration_slots"] < 1:
            raise ValueError(f"{name}: duration_slots must be a whole number ≥ 1, not {raw['duration_slots']!r}.")
        if not _is_int(raw["expected_attendance"]) or raw["expected_attendance"] < 0:
            raise ValueError(f"{name}: expected_attendance must be a whole number ≥ 0, "
                             f"not {raw['expected_attendance']!r}.")
        own = tuple(dict.fromkeys(_ids(name, "speakers", raw["speakers"], speaker_at, "speaker")))
        fixed = raw.get("fixed")
        if fixed is not None:
            if not isinstance(fixed, dict) or "slot" not in fixed or "space" not in fixed:
                raise ValueError(f"{name}: fixed must be null or {{\"slot\": SLOT_ID, \"space\": SPACE_ID}}, "
                                 f"not {fixed!r}.")
            if str(fixed["slot"]) not in slot_at:
                raise ValueError(f"{name}: fixed at an unknown slot {fixed['slot']!r}.")
            if str(fixed["space"]) not in space_at:
                raise ValueError(f"{name}: fixed in an unknown space {fixed['space']!r}.")
            fixed = (slot_at[str(fixed["slot"])], space_at[str(fixed["space"])])
        session_at[key] = len(sessions)
        sessions.append(_Session(raw["id"], raw["kind"], audience, raw["duration_slots"],
                                 raw["expected_attendance"], own, fixed))

    day_end = list(range(len(slots)))
    for t in range(len(slots) - 2, -1, -1):
        if slots[t + 1].day == slots[t].day:
            day_end[t] = day_end[t + 1]
    return _Data(slots, spaces, speakers, sessions, slot_at, space_at, session_at, day_end)


def _entry(kind, n, raw, keys, seen):
    """Check one element of a list (an object with `keys` and a new id) and return its id's text."""
    if not isinstance(raw, dict):
        raise ValueError(f"{kind} #{n} must be an object.")
    missing = [k for k in keys if k not in raw]
    if missing:
        raise ValueError(f"{kind} #{n} lacks: {', '.join(missing)}.")
    key = raw["id"]
    if isinstance(key, bool) or not isinstance(key, int | str):
        raise ValueError(f"{kind} #{n}: the id must be a number or a string, not {key!r}.")
    if str(key) in seen:
        raise ValueError(f"{kind} id {key!r} appears twice.")
    return str(key)


def _ids(owner, field, values, known, what):
    if not isinstance(values, list):
        raise ValueError(f"{owner}: {field} must be a list of {what} ids, not {values!r}.")
    unknown = [v for v in values if isinstance(v, bool) or not isinstance(v, int | str) or str(v) not in known]
    if unknown:
        raise ValueError(f"{owner}: unknown {what} id(s) in {field}: {', '.join(repr(v) for v in unknown)}.")
    return [known[str(v)] for v in values]


def _is_int(value):
    return isinstance(value, int) and not isinstance(value, bool)


def _read_placement(data, placement):
    """The (session, start slot, space) indices of a placement, in the order of the sessions, and the
    sentences about entries that cannot be read."""
    if not isinstance(placement, dict):
        raise ValueError("The placement must be an object {session id: {\"slot\", \"space\"}}.")
    entries, messages = [], []
    for key, value in placement.items():
        if value is None:
            continue
        s = data.session_at.get(str(key))
        if s is None:
            messages.append(_("The placement names an unknown session %(session)s.") % {"session": key})
            continue
        session = data.sessions[s]
        if not isinstance(value, dict) or "slot" not in value or "space" not in value:
            messages.append(_("Session %(session)s: its place needs a slot and a space.") % {"session": session.id})
            continue
        t, r = data.slot_at.get(str(value["slot"])), data.space_at.get(str(value["space"]))
        if t is None:
            messages.append(_("Session %(session)s: unknown slot %(slot)s.") % {"session": session.id,
                                                                                 "slot": value["slot"]})
        if r is None:
            messages.append(_("Session %(session)s: unknown space %(space)s.") % {"session": session.id,
                                                                                   "space": value["space"]})
        if t is not None and r is not None:
            entries.append((s, t, r))
    entries.sort()
    return entries, messages


# ---- rules, shared by the checker and the pre-checks ---------------------------------------------

def _slot_name(data, t):
    slot = data.slots[t]
    return _("slot %(slot)s (%(day)s, %(start)s–%(end)s)") % {"slot": slot.id, "day": slot.day,
                                                               "start": slot.start, "end": slot.end}


def _place_reasons(data, session, t, r):
    """Why `session` may not start at slot t in space r, each reason a phrase (none: it may)."""
    space, reasons = data.spaces[r], []
    if session.kind not in space.kinds:
        reasons.append(_("the space is not meant for %(kind)s") % {"kind": session.kind})
    if space.capacity < session.attendance:
        reasons.append(_("the space seats %(capacity)s, not the %(attendance)s expected") % {
            "capacity": space.capacity, "attendance": session.attendance})
    if data.run(t, session.duration) is None:
        reasons.append(ngettext("its %(duration)s slot would run past the end of the day",
                                "its %(duration)s slots would run past the end of the day",
                                session.duration) % {"duration": session.duration})
    for p in session.speakers:
        speaker = data.speakers[p]
        missing = [u for u in data.covered(t, session.duration) if u not in speaker.available]
        if missing:
            reasons.append(_("speaker %(speaker)s is not available at %(slots)s") % {
                "speaker": speaker.id, "slots": ", ".join(_slot_name(data, u) for u in missing)})
    return reasons


def _clashes(data, entries, fixed):
    """Sentences for the pairs of placed sessions in one space, or with one speaker, at the same time
    (one sentence per pair and rule, at their first common slot)."""
    at_slot = {}
    for s, t, r in entries:
        for u in data.covered(t, data.sessions[s].duration):
            at_slot.setdefault(u, []).append((s, r))
    said, messages = set(), []
    for u in sorted(at_slot):
        there = at_slot[u]
        for i, (a, ra) in enumerate(there):
            for b, rb in there[i + 1:]:
                first, second = data.sessions[a], data.sessions[b]
                values = {"a": first.id, "b": second.id, "slot": _slot_name(data, u)}
                if ra == rb and (a, b, "space") not in said:
                    said.add((a, b, "space"))
                    values["space"] = data.spaces[ra].id
                    template = (_("Fixed sessions %(a)s and %(b)s are both in space %(space)s at %(slot)s.") if fixed
                                else _("Sessions %(a)s and %(b)s are both in space %(space)s at %(slot)s."))
                    messages.append(template % values)
                for p in first.speakers:
                    if p in second.speakers and (a, b, p) not in said:
                        said.add((a, b, p))
                        values["speaker"] = data.speakers[p].id
                        template = (_("Speaker %(speaker)s is in fixed sessions %(a)s and %(b)s at once, at "
                                      "%(slot)s.") if fixed else
                                    _("Speaker %(speaker)s is in sessions %(a)s and %(b)s at once, at %(slot)s."))
                        messages.append(template % values)
    return messages


def _count_pairs(data, entries):
    occupied = [(data.sessions[s].audience, set(data.covered(t, data.sessions[s].duration))) for s, t, _r in entries]
    return sum(1 for i, (audience, slots) in enumerate(occupied) if audience is not None
               for other, others in occupied[i + 1:] if other == audience and not slots.isdisjoint(others))


# ---- pre-checks: what one session (or two fixed ones) shows --------------------------------------

def _prechecks(data):
    """Per session, its possible (start slot, space) pairs, or None when it has none or its fixed place
    breaks a rule or clashes with another's; and the sentences saying why."""
    domains, messages = [], []
    for session in data.sessions:
        if session.fixed is not None:
            t, r = session.fixed
            reasons = _place_reasons(data, session, t, r)
            if reasons:
                messages.append(_("Session %(session)s is fixed at %(slot)s in space %(space)s, but %(reasons)s.") % {
                    "session": session.id, "slot": _slot_name(data, t), "space": data.spaces[r].id,
                    "reasons": "; ".join(reasons)})
            domains.append(None if reasons else [(t, r)])
            continue
        spaces = _spaces_for(data, session, messages)
        starts = _starts_for(data, session, messages)
        domains.append([(t, r) for t in starts for r in spaces] if spaces and starts else None)

    fixed = [(s, *session.fixed) for s, session in enumerate(data.sessions)
             if session.fixed is not None and domains[s] is not None]
    clashes = _clashes(data, fixed, fixed=True)
    if clashes:
        messages += clashes
        # Set aside the fixed sessions involved (found again pair by pair, to know which).
        for i, (a, ta, ra) in enumerate(fixed):
            for b, tb, rb in fixed[i + 1:]:
                if _clashes(data, [(a, ta, ra), (b, tb, rb)], fixed=True):
                    domains[a] = domains[b] = None
    return domains, messages


def _spaces_for(data, session, messages):
    of_kind = [r for r, space in enumerate(data.spaces) if session.kind in space.kinds]
    if not of_kind:
        messages.append(_("Session %(session)s: no space is meant for %(kind)s.") % {
            "session": session.id, "kind": session.kind})
        return []
    large = [r for r in of_kind if data.spaces[r].capacity >= session.attendance]
    if not large:
        messages.append(_("Session %(session)s expects %(attendance)s people, but the largest space meant for "
                          "%(kind)s seats %(capacity)s.") % {
            "session": session.id, "attendance": session.attendance, "kind": session.kind,
            "capacity": max(data.spaces[r].capacity for r in of_kind)})
    return large


def _starts_for(data, session, messages):
    duration = session.duration
    values = {"session": session.id, "duration": duration}
    runs = [t for t in range(len(data.slots)) if data.run(t, duration) is not None]
    if not runs:
        messages.append((_("Session %(session)s: there is no slot.") if duration == 1 else ngettext(
            "Session %(session)s lasts %(duration)s slot, but no day has that many slots in a row.",
            "Session %(session)s lasts %(duration)s slots, but no day has that many slots in a row.",
            duration)) % values)
        return []
    alone = []
    for p in session.speakers:
        speaker = data.speakers[p]
        if not any(speaker.available.issuperset(data.run(t, duration)) for t in runs):
            alone.append(p)
            messages.append((_("Session %(session)s: speaker %(speaker)s is available in no slot.")
                             if duration == 1 else ngettext(
                "Session %(session)s lasts %(duration)s slot, but speaker %(speaker)s is never available for "
                "%(duration)s slot in a row in one day.",
                "Session %(session)s lasts %(duration)s slots, but speaker %(speaker)s is never available for "
                "%(duration)s slots in a row in one day.", duration)) % {**values, "speaker": speaker.id})
    if alone:
        return []
    starts = [t for t in runs if all(data.speakers[p].available.issuperset(data.run(t, duration))
                                     for p in session.speakers)]
    if not starts:
        speakers = ", ".join(str(data.speakers[p].id) for p in session.speakers)
        messages.append((_("Session %(session)s: its speakers %(speakers)s are never available in the same slot.")
                         if duration == 1 else ngettext(
            "Session %(session)s lasts %(duration)s slot, but its speakers %(speakers)s are never all available "
            "for %(duration)s slot in a row in one day.",
            "Session %(session)s lasts %(duration)s slots, but its speakers %(speakers)s are never all available "
            "for %(duration)s slots in a row in one day.", duration)) % {**values, "speakers": speakers})
    return starts


# ---- the model -----------------------------------------------------------------------------------

class _Model:
    """The CP-SAT model of the sessions `include` over their `domains`. With `enforce`, the placement of
    each session and the one-at-a-time rule of each speaker only hold when their literal is true (to find
    conflicts), and no objective is set."""

    def __init__(self, data, domains, include, enforce):
        self.data, self.include = data, include
        model = self.model = cp_model.CpModel()
        self.x = {}
        self.session_literal, self.speaker_literal = {}, {}
        by_space = {}  # (slot, space) -> x covering it
        occupying = {}  # s -> {slot: [x covering it]}
        for s in include:
            duration = data.sessions[s].duration
            own = occupying[s] = {}
            for t, r in domains[s]:
                var = self.x[s, t, r] = model.new_bool_var(f"x{s}_{t}_{r}")
                for u in data.run(t, duration):
                    own.setdefault(u, []).append(var)
                    by_space.setdefault((u, r), []).append(var)
            starts = [self.x[s, t, r] for t, r in domains[s]]
            if enforce:
                literal = self.session_literal[s] = model.new_bool_var(f"place{s}")
                model.add_at_most_one(starts)
                model.add_bool_or(starts).only_enforce_if(literal)
            else:
                model.add_exactly_one(starts)
        for covering in by_space.values():
            if len(covering) > 1:
                model.add_at_most_one(covering)

        self.o = {}
        self.derived = []  # (variable, how its value follows from the occupied slots), for hints
        for s, own in occupying.items():
            for u, covering in own.items():
                if len(covering) == 1:
                    self.o[s, u] = covering[0]
                else:
                    var = self.o[s, u] = model.new_bool_var(f"o{s}_{u}")
                    model.add(var == sum(covering))
                    self.derived.append((var, ("occupies", s, u)))
        for p in range(len(data.speakers)):
            theirs = [s for s in include if p in data.sessions[s].speakers]
            at = {}
            for s in theirs:
                for u in occupying[s]:
                    at.setdefault(u, []).append(self.o[s, u])
            rows = [terms for terms in at.values() if len(terms) > 1]
            if not rows:
                continue
            if enforce:
                literal = self.speaker_literal[p] = model.new_bool_var(f"speaker{p}")
                for terms in rows:
                    model.add(sum(terms) <= 1).only_enforce_if(literal)
            else:
                for terms in rows:
                    model.add_at_most_one(terms)
        self.occupying = occupying

    def add_objective(self):
        """Minimise the same-audience pairs sharing a slot (see the module's docstring for the split)."""
        data, model, terms = self.data, self.model, []
        audiences = {}
        for s in self.include:
            if data.sessions[s].audience is not None:
                audiences.setdefault(data.sessions[s].audience, []).append(s)
        for members in audiences.values():
            singles = [s for s in members if data.sessions[s].duration == 1]
            own = []  # the audience's terms, and below the same pairs weighted by the slots they can share
            for u in range(len(data.slots)):
                pairs = self._pairs_at(u, singles, f"pairs{u}")
                if pairs is not None:
                    own.append((pairs, 1))
            for i, a in enumerate(members):
                for b in members[i + 1:]:
                    if data.sessions[a].duration == 1 and data.sessions[b].duration == 1:
                        continue
                    common = self.occupying[a].keys() & self.occupying[b].keys()
                    if not common:
                        continue
                    overlap = model.new_bool_var(f"overlap{a}_{b}")
                    self.derived.append((overlap, ("overlap", a, b)))
                    for u in sorted(common):
                        model.add_bool_or([~self.o[a, u], ~self.o[b, u], overlap])
                    own.append((overlap, min(data.sessions[a].duration, data.sessions[b].duration, len(common))))
            terms += [var for var, _weight in own]
            if any(weight > 1 for _var, weight in own):
                # Redundant, for the bound: Σ_u C(all sessions at u, 2) counts each overlapping pair once
                # per common slot, so it is at most the pairs weighted by the most slots they can share.
                # Spreading the audience's slots over the days then bounds the objective from below.
                slot_pairs = [self._pairs_at(u, members, f"all{u}") for u in range(len(data.slots))]
                model.add(sum(v for v in slot_pairs if v is not None) <= sum(w * var for var, w in own))
        model.minimize(sum(terms))

    def hint(self, entries):
        """Hint the placement `entries` (session, start, space), every variable included: the search
        starts from it as it is."""
        chosen = set(entries)
        at = {s: set(self.data.run(t, self.data.sessions[s].duration)) for s, t, _r in entries}
        for key, var in self.x.items():
            self.model.add_hint(var, key in chosen)
        for var, (what, *args) in self.derived:
            if what == "occupies":
                s, u = args
                value = u in at.get(s, ())
            elif what == "overlap":
                a, b = args
                value = not at.get(a, set()).isdisjoint(at.get(b, ()))
            else:
                u, sessions = args
                value = math.comb(sum(1 for s in sessions if u in at.get(s, ())), 2)
            self.model.add_hint(var, value)

    def _pairs_at(self, u, sessions, name):
        """An integer ≥ C(n, 2), n the number of `sessions` occupying slot u (exact at the optimum: C(n, 2)
        is convex, the largest of the lines k·n - k(k+1)/2), or None when n cannot reach 2."""
        there = [self.o[s, u] for s in sessions if u in self.occupying[s]]
        most = min(len(there), len(self.data.spaces))
        if most < 2:
            return None
        pairs = self.model.new_int_var(0, math.comb(most, 2), name)
        self.derived.append((pairs, ("pairs", u, sessions)))
        count = sum(there)
        for k in range(1, most):
            self.model.add(pairs >= k * count - k * (k + 1) // 2)
        return pairs


def _solver(time_limit, workers):
    """A CP-SAT solver with a fixed seed. `workers` 0 means the machine's cores, but at least
    MIN_WORKERS: CP-SAT gives each thread one strategy, and with few threads its portfolio lacks the one
    with the full linear relaxation, which is what proves a crowded programme infeasible (the space-slots
    run short). On a 2-core machine, with 2 threads, a programme with one workshop too many was still
    unproven after 30 s; with 8, it was proven in under 2 s. A single worker (used for conflicts) gets the
    full linear relaxation itself."""
    solver = cp_model.CpSolver()
    solver.parameters.max_time_in_seconds = max(float(time_limit), 0.1)
    solver.parameters.num_workers = workers or max(_cores(), MIN_WORKERS)
    solver.parameters.random_seed = 0
    if solver.parameters.num_workers == 1:
        solver.parameters.linearization_level = 2
    return solver


def _cores():
    try:
        return len(os.sched_getaffinity(0))
    except AttributeError:  # not on Linux
        return os.cpu_count() or 1


class _Progress(cp_model.CpSolverSolutionCallback):
    """Calls `callback(seconds, objective)` at each placement better than the best so far."""

    def __init__(self, callback, started, best):
        super().__init__()
        self.callback, self.started, self.best = callback, started, best + 1

    def report(self, value):
        if self.callback and value < self.best:
            self.best = value
            self.callback(time.monotonic() - self.started, value)

    def on_solution_callback(self):
        self.report(round(self.objective_value))


# ---- infeasibility -------------------------------------------------------------------------------

def _explain(data, domains, include, deadline, known=False):
    """Sentences naming sets of sessions (and speakers) of `include` that cannot be placed together, each
    as small as time allows, one set after the other. `known`: other reasons were already given, so say
    nothing if these sessions fit (or time runs out before the proof)."""
    built = _Model(data, domains, include, enforce=True)
    literals = {("session", s): lit for s, lit in built.session_literal.items()}
    literals.update({("speaker", p): lit for p, lit in built.speaker_literal.items()})
    active, messages = list(literals), []
    while len(messages) < MAX_CONFLICT_SETS:
        outcome, core = _core(built.model, literals, active, deadline)
        if outcome != "infeasible":
            if not messages and not known:
                messages.append(_("The sessions cannot all be placed, but no smaller set of conflicting sessions "
                                  "was found in the time allowed."))
            break
        for group in list(core):  # drop each member the conflict holds without
            if time.monotonic() >= deadline:
                break
            if group in core and len(core) > 1:
                outcome, smaller = _core(built.model, literals, [g for g in core if g != group], deadline)
                if outcome == "infeasible":
                    core = smaller
        messages.append(_conflict_text(data, domains, core))
        active = [g for g in active if not (g[0] == "session" and g in core)]
    return messages


def _core(model, literals, groups, deadline):
    """("infeasible", the part of `groups` the solver needed for the proof), ("feasible", None) or
    ("unknown", None). A single worker: the assumptions' core comes from it."""
    remaining = deadline - time.monotonic()
    if remaining <= 0:
        return "unknown", None
    model.clear_assumptions()
    model.add_assumptions([literals[g] for g in groups])
    solver = _solver(remaining, workers=1)
    status = solver.solve(model)
    if status in (cp_model.OPTIMAL, cp_model.FEASIBLE):
        return "feasible", None
    if status != cp_model.INFEASIBLE:
        return "unknown", None
    needed = set(solver.sufficient_assumptions_for_infeasibility())
    core = [g for g in groups if literals[g].index in needed]
    return "infeasible", core or groups


def _conflict_text(data, domains, core):
    sessions, spaces = [], set()
    for kind, s in core:
        if kind == "session":
            session = data.sessions[s]
            sessions.append(_("%(session)s (fixed)") % {"session": session.id} if session.fixed else str(session.id))
            spaces.update(r for _t, r in domains[s])
    speakers = [str(data.speakers[p].id) for kind, p in core if kind == "speaker"]
    values = {"sessions": ", ".join(sessions), "speakers": ", ".join(speakers),
              "spaces": ", ".join(str(data.spaces[r].id) for r in sorted(spaces))}
    if not speakers:
        return _("Sessions %(sessions)s cannot all be placed: the spaces that suit them (%(spaces)s) are not free "
                 "long enough in the slots when they can take place.") % values
    return ngettext("Sessions %(sessions)s cannot all be placed: speaker %(speakers)s can only be in one of them "
                    "at a time, and the spaces that suit them (%(spaces)s) are not free long enough in the slots "
                    "when they can take place.",
                    "Sessions %(sessions)s cannot all be placed: speakers %(speakers)s can each only be in one "
                    "session at a time, and the spaces that suit them (%(spaces)s) are not free long enough in the "
                    "slots when they can take place.", len(speakers)) % values


def _infeasible(conflicts):
    return {"status": "infeasible", "objective": 0, "placement": {}, "conflicts": conflicts}

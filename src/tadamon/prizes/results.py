"""From score sheets to a ranking: weighted totals, normalisation per juror (z-score), ties.

Plain data in, plain data out, so that the staff screen, the locked final ranking and the tests
compute the same thing. The method is explained to jurors and organizers in docs/jury.md.

1. A sheet's **total** is the weighted mean of its points, each criterion brought to 0–100:
   ``sum(weight × points / max_points) / sum(weight) × 100``.
2. Each juror's totals are turned into **z-scores**: ``(total − juror's mean) / juror's standard
   deviation`` (population deviation, over the sheets that juror submitted). A strict juror and a
   generous one then weigh the same. A juror with one sheet, or who gave everyone the same total,
   has no spread: their z-scores are 0 (they neither raise nor lower anybody).
3. A candidacy's **score** is the mean of its z-scores; candidacies without a submitted sheet are
   not ranked.
4. **Ties** (equal score, rounded to 6 decimals) are broken by the higher mean total (raw points),
   then by the more sheets submitted, then by the earlier candidacy (lower number).
"""

from collections import defaultdict
from statistics import fmean, pstdev


def sheet_total(scores, criteria):
    """``scores``: {criterion id (str): points}; ``criteria``: [(id, weight, max_points)]. 0–100."""
    weights = sum(w for _id, w, _m in criteria)
    if not weights:
        return 0.0
    return sum(w * float(scores.get(str(cid), 0)) / m for cid, w, m in criteria) / weights * 100


def z_scores(sheets):
    """``sheets``: [{"juror", "candidacy", "total"}] → {(juror, candidacy): z}."""
    by_juror = defaultdict(list)
    for sheet in sheets:
        by_juror[sheet["juror"]].append(sheet)
    out = {}
    for juror, own in by_juror.items():
        totals = [s["total"] for s in own]
        mean = fmean(totals)
        spread = pstdev(totals) if len(totals) > 1 else 0.0
        for s in own:
            out[(juror, s["candidacy"])] = (s["total"] - mean) / spread if spread > 1e-9 else 0.0
    return out


def rank(candidacies, sheets):
    """``candidacies``: [{"id", "category"}]; ``sheets``: submitted sheets [{"juror", "candidacy",
    "total"}]. Returns one row per scored candidacy, in order within each category: {"candidacy",
    "category", "sheets", "mean_total", "score", "rank"}."""
    z = z_scores(sheets)
    per = defaultdict(list)
    for sheet in sheets:
        per[sheet["candidacy"]].append((sheet["total"], z[(sheet["juror"], sheet["candidacy"])]))
    rows = []
    for candidacy in candidacies:
        own = per.get(candidacy["id"])
        if not own:
            continue
        rows.append({"candidacy": candidacy["id"], "category": candidacy["category"], "sheets": len(own),
                     "mean_total": round(fmean(t for t, _z in own), 3),
                     "score": round(fmean(zz for _t, zz in own), 6)})
    rows.sort(key=lambda r: (str(r["category"]), -r["score"], -r["mean_total"], -r["sheets"], r["candidacy"]))
    position = defaultdict(int)
    for row in rows:
        position[row["category"]] += 1
        row["rank"] = position[row["category"]]
    return rows

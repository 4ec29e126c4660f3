"""Suggestions of organizations registered twice, for regional staff to compare and merge.

Two organizations are suspected to be the same when:

- they carry the same registration number (compared without spaces, punctuation or leading
  zeros), whatever their legal form, since files from different sources disagree on it; or
- in the same province, their names are the same or nearly the same once normalized
  (:func:`tadamon.core.text.normalize`) and stripped of generic words such as تعاونية, جمعية,
  coopérative or association: equal, or a :class:`difflib.SequenceMatcher` ratio of 0.9 or more.

Suspicions are grouped transitively. Organizations already merged are left out. Nothing is
merged automatically: a person compares and decides (:func:`tadamon.registry.services.merge_organizations`).
"""

from difflib import SequenceMatcher

from django.core.cache import cache
from django.db.models import Count, Max
from django.utils.translation import gettext_lazy as _
from django_scopes import scopes_disabled

from tadamon.core.text import normalize

NAME_RATIO = 0.9
#: Candidate pairs are only compared within blocks smaller than this (very common words are skipped).
MAX_BLOCK = 400
CACHE_SECONDS = 600

GENERIC_WORDS = {normalize(w) for w in [
    "تعاونية", "التعاونية", "جمعية", "الجمعية", "تعاضدية", "التعاضدية", "مقاولة", "المقاولة", "اجتماعية",
    "الاجتماعية", "cooperative", "coopérative", "coop", "association", "assoc", "mutuelle", "mutual",
    "entreprise", "enterprise", "sociale", "social", "societe", "société", "ste", "sarl", "de", "du", "des",
    "d", "la", "le", "les", "l", "et", "al", "el", "the", "of", "and",
]}

REASON_NUMBER = "number"
REASON_NAME = "name"
REASON_LABELS = {REASON_NUMBER: _("same registration number"), REASON_NAME: _("same or similar name, same province")}


def core_name(name):
    """The distinctive part of a name: normalized, generic words and the Arabic article dropped."""
    words = []
    for word in normalize(name).split(" "):
        if not word or word in GENERIC_WORDS:
            continue
        if len(word) > 4 and word.startswith(("ال", "لل")):
            word = word[2:]
        words.append(word)
    return " ".join(words)


NUMBER_WORDS = {"n", "no", "nr", "num", "numero", "رقم", "عدد"}


def number_key(number):
    """A registration number compared loosely: "N° 012/2015" and "12-2015" are the same."""
    parts = [p.lstrip("0") or "0" for p in normalize(number).split(" ") if p and p not in NUMBER_WORDS]
    return "/".join(parts)


def similar(a, b):
    """Equal, or a difflib ratio of at least :data:`NAME_RATIO` (cheap length test first)."""
    if not a or not b:
        return False
    if a == b:
        return True
    la, lb = len(a), len(b)
    if 2 * min(la, lb) < NAME_RATIO * (la + lb):
        return False
    matcher = SequenceMatcher(None, a, b, autojunk=False)
    return matcher.quick_ratio() >= NAME_RATIO and matcher.ratio() >= NAME_RATIO


class _Groups:
    """Union-find over organization ids, remembering why they were joined."""

    def __init__(self):
        self.parent = {}
        self.reasons = {}

    def find(self, x):
        parent = self.parent
        root = x
        while parent.get(root, root) != root:
            root = parent[root]
        while parent.get(x, x) != root:
            parent[x], x = root, parent[x]
        return root

    def union(self, a, b, reason):
        ra, rb = self.find(a), self.find(b)
        if ra != rb:
            self.parent[rb] = ra
            self.reasons.setdefault(ra, set()).update(self.reasons.pop(rb, set()))
        self.parent.setdefault(ra, ra)
        self.reasons.setdefault(ra, set()).add(reason)

    def groups(self):
        members = {}
        for x in list(self.parent):
            members.setdefault(self.find(x), []).append(x)
        return [(sorted(ids), self.reasons.get(root, set())) for root, ids in members.items() if len(ids) > 1]


def duplicate_id_groups(rows):
    """Groups of ids from ``rows`` of (id, registration_number, province_id, name_ar, name_fr).

    Returns [(ids, {reasons})]; pure, so that it can be tested and timed without a database.
    """
    groups = _Groups()
    by_number = {}
    by_province = {}
    for pk, number, province_id, name_ar, name_fr in rows:
        key = number_key(number) if number else ""
        if key.strip("0/") and any(ch.isdigit() for ch in key):  # not a placeholder such as 0 or n/a
            by_number.setdefault(key, []).append(pk)
        by_province.setdefault(province_id, []).append((pk, core_name(name_ar), core_name(name_fr)))
    for ids in by_number.values():
        for other in ids[1:]:
            groups.union(ids[0], other, REASON_NUMBER)
    for entries in by_province.values():
        _name_pairs(entries, groups)
    return groups.groups()


def _name_pairs(entries, groups):
    """Join names of one province that are equal or nearly equal.

    Nearly equal names (a few letters apart) share their first or their last six letters unless
    they differ at both ends, so only names sharing one of these are compared: this keeps the
    work close to linear in the number of organizations.
    """
    exact = {}
    blocks = {}
    for index, (pk, ar, fr) in enumerate(entries):
        for lang, core in (("ar", ar), ("fr", fr)):
            if not core:
                continue
            first = exact.setdefault((lang, core), pk)
            if first != pk:
                groups.union(first, pk, REASON_NAME)
                continue
            blocks.setdefault((lang, "<", core[:6]), []).append(index)
            blocks.setdefault((lang, ">", core[-6:]), []).append(index)
    compared = set()
    for (lang, _side, _key), members in blocks.items():
        if len(members) < 2 or len(members) > MAX_BLOCK:
            continue
        column = 1 if lang == "ar" else 2
        for i, a in enumerate(members):
            name_a = entries[a][column]
            for b in members[i + 1:]:
                if (a, b, column) in compared:
                    continue
                compared.add((a, b, column))
                if similar(name_a, entries[b][column]):
                    groups.union(entries[a][0], entries[b][0], REASON_NAME)


def find_duplicates(region_ids=None):
    """Suspected duplicates among the organizations of ``region_ids`` (None: every region).

    Returns a list of groups ``{"organizations": [Organization, ...], "reasons": [label, ...]}``,
    the organization to keep suggested first (verified, then with the most products, then oldest).
    """
    from .models import Organization

    with scopes_disabled():
        qs = Organization.objects.filter(merged_into__isnull=True)
        if region_ids is not None:
            qs = qs.filter(region_id__in=list(region_ids))
        stamp = qs.aggregate(n=Count("id"), last=Max("updated_at"))
        cache_key = "registry-duplicates:%s:%s:%s" % (  # noqa: UP031
            ",".join(map(str, sorted(region_ids))) if region_ids is not None else "all", stamp["n"],
            stamp["last"].isoformat() if stamp["last"] else "")
        id_groups = cache.get(cache_key)
        if id_groups is None:
            rows = qs.values_list("pk", "registration_number", "province_id", "name_ar", "name_fr").iterator(
                chunk_size=5000)
            id_groups = [(ids, sorted(reasons)) for ids, reasons in duplicate_id_groups(rows)]
            cache.set(cache_key, id_groups, CACHE_SECONDS)
        wanted = [pk for ids, _reasons in id_groups for pk in ids]
        objects = {}
        for start in range(0, len(wanted), 5000):
            objects.update((o.pk, o) for o in Organization.objects.filter(pk__in=wanted[start:start + 5000])
                           .select_related("province", "sector", "region").annotate(n_products=Count("products")))
    result = []
    for ids, reasons in id_groups:
        orgs = [objects[pk] for pk in ids if pk in objects]
        if len(orgs) < 2:
            continue
        orgs.sort(key=lambda o: (o.verified_at is None, -o.n_products, o.created_at, o.pk))
        result.append({"organizations": orgs, "reasons": [REASON_LABELS[r] for r in reasons],
                       "keys": reasons})
    result.sort(key=lambda g: (g["organizations"][0].province.code, g["organizations"][0].name_ar))
    return result

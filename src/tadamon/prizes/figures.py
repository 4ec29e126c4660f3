"""The prizes and honours of an edition, as rows of the edition report (insights' providers)."""

from django.utils.translation import gettext as _
from django_scopes import scopes_disabled

from .models import Award, Honour, Prize


def edition_figures(edition):
    """``(key, label, value)`` rows: each prize's candidacies and published winners by category,
    then the number of honours by kind. Unpublished results stay out of the report."""
    rows = []
    with scopes_disabled():
        for prize in Prize.objects.filter(edition=edition).order_by("id"):
            rows.append((f"prize_{prize.pk}_candidacies", _("%(prize)s: candidacies") % {"prize": prize.title},
                         prize.candidacies.count()))
            if prize.status != Prize.Status.PUBLISHED:
                continue
            awards = (Award.objects.filter(ranking__prize=prize)
                      .select_related("candidacy__category", "candidacy__organization"))
            by_category = {}
            for award in awards:
                by_category.setdefault(award.candidacy.category, []).append(award)
            for category, winners in by_category.items():
                names = " · ".join(f"{a.rank}. {a.candidacy.organization.name}" for a in winners)
                rows.append((f"prize_{prize.pk}_category_{category.pk}",
                             _("%(prize)s: %(category)s") % {"prize": prize.title, "category": category.name},
                             names))
        for kind, label in Honour.Kind.choices:
            count = Honour.objects.filter(edition=edition, kind=kind).count()
            if count:
                rows.append((f"honours_{kind}", str(label), count))
    return rows

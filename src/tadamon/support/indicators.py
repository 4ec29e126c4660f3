"""Indicators of the support programmes, per programme and cohort, and for the indicators dashboard
(a provider in ``tadamon.core.signals.indicator_providers``)."""

from datetime import date

from django.db.models import Q, Sum
from django.utils.translation import gettext_lazy as _
from django_scopes import scopes_disabled

from .models import Application, CoachingSession, Cohort, FundingFile, Participant
from .services import trained_hours

LABELS = {
    "applications": _("Applications"),
    "selected": _("Organizations selected"),
    "women_led": _("Women-led organizations selected"),
    "trained_hours": _("Hours of group training attended"),
    "coaching_held": _("Coaching sessions held"),
    "funds_granted": _("Funds granted (MAD)"),
    "funds_paid": _("Funds paid out (MAD)"),
    "graduated": _("Organizations graduated"),
    "survival_1y": _("Still active 1 year after the path (%)"),
    "survival_2y": _("Still active 2 years after the path (%)"),
}


def _add_years(day, years):
    try:
        return day.replace(year=day.year + years)
    except ValueError:  # 29 February
        return day.replace(year=day.year + years, day=28)


def survival(participants, years, today=None):
    """Share (%) of the participants of cohorts ended at least ``years`` ago still working ``years``
    after the end; None when no cohort is that old."""
    today = today or date.today()
    rows = [p for p in participants if _add_years(p.ends_on, years) <= today]
    if not rows:
        return None
    alive = [p for p in rows if (p.ceased_on is None or p.ceased_on > _add_years(p.ends_on, years))
             and (p.ceased_on is not None or p.organization.is_active)]
    return round(100 * len(alive) / len(rows))


def indicators(cohorts, today=None):
    """The figures of a set of cohorts (a queryset), as an ordered dict keyed like ``LABELS``."""
    with scopes_disabled():
        cohorts = list(Cohort.objects.filter(pk__in=cohorts.values("pk")).values_list("pk", flat=True))
        participants = list(Participant.objects.filter(cohort_id__in=cohorts).exclude(
            stage=Participant.Stage.WITHDRAWN).select_related("organization"))
        funding = FundingFile.objects.filter(participant__cohort_id__in=cohorts, status=FundingFile.Status.APPROVED)
        granted = funding.aggregate(s=Sum("amount_granted"))["s"] or 0
        paid = funding.aggregate(s=Sum("tranches__amount"))["s"] or 0
        return {
            "applications": Application.objects.filter(cohort_id__in=cohorts).exclude(
                status=Application.Status.WITHDRAWN).count(),
            "selected": len(participants),
            "women_led": sum(1 for p in participants if p.organization.women_led),
            "trained_hours": trained_hours(cohorts),
            "coaching_held": CoachingSession.objects.filter(participant__cohort_id__in=cohorts,
                                                            status=CoachingSession.Status.HELD).count(),
            "funds_granted": granted,
            "funds_paid": paid,
            "graduated": sum(1 for p in participants if p.stage == Participant.Stage.GRADUATED),
            "survival_1y": survival(participants, 1, today),
            "survival_2y": survival(participants, 2, today),
        }


def labelled(figures):
    return [(key, LABELS[key], value) for key, value in figures.items()]


def indicator_rows(region=None):
    """For the indicators dashboard: ``(key, label, value)`` of every cohort of ``region`` (all of
    Morocco for None). Keys are prefixed ``support.``; a survival share without old enough cohorts is
    left out."""
    with scopes_disabled():
        cohorts = Cohort.objects.filter(Q(region=region) if region is not None else Q())
    return [(f"support.{key}", label, value) for key, label, value in labelled(indicators(cohorts))
            if value is not None]

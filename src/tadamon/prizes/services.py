"""Business operations of prizes: candidacies, the jury (invitations, conflicts, assignment),
scoring, the locked final ranking, publication, certificates, the ceremony, and honours.

Views, the API, commands and the demo call these functions. Every change is written to the
activity log in the same transaction; bad input raises :class:`PrizeError` with a translated
message and changes nothing.
"""

from datetime import timedelta

from django.core.mail import send_mail
from django.db import IntegrityError, transaction
from django.template.loader import render_to_string
from django.utils import timezone, translation
from django.utils.translation import gettext_lazy as _
from django_scopes import scopes_disabled

from tadamon.core import activity
from tadamon.core.models import Role, RoleAssignment
from tadamon.fairs.models import Application
from tadamon.registry.models import Representation

from . import assignment as engine
from .models import Assignment, Award, Candidacy, CandidacyPhoto, Conflict, FinalRanking, Honour, JuryMember, Prize
from .results import rank, sheet_total

activity.register_actions({
    "prize.saved": _("prize saved"),
    "prize.status_changed": _("prize status changed"),
    "prize.candidacy_submitted": _("candidacy submitted for a prize"),
    "prize.candidacy_nominated": _("candidacy nominated by the organizers"),
    "prize.juror_invited": _("juror invited"),
    "prize.juror_accepted": _("jury invitation accepted"),
    "prize.conflict_recorded": _("conflict of interest recorded"),
    "prize.assigned": _("candidacies assigned to jurors"),
    "prize.score_saved": _("score saved as a draft"),
    "prize.score_submitted": _("score submitted"),
    "prize.ranking_locked": _("final ranking locked"),
    "prize.published": _("prize winners published"),
    "prize.ceremony_created": _("prize ceremony added to the programme"),
    "honour.added": _("honour added"),
})

#: Applications that make an organization an exhibitor of the edition.
EXHIBITOR_STATUSES = [Application.Status.SELECTED, Application.Status.CONFIRMED]
MAX_PHOTOS = 3


class PrizeError(Exception):
    """An operation the rules do not allow; the message says why, in the user's language."""


# ---- status --------------------------------------------------------------------------------------

NEXT_STATUS = {
    Prize.Status.DRAFT: Prize.Status.CANDIDACY,
    Prize.Status.CANDIDACY: Prize.Status.SCORING,
}


@transaction.atomic
def advance(actor, prize, *, request=None):
    """Open candidacies (draft → candidacy), then open scoring (candidacy → scoring)."""
    locked = Prize.objects.select_for_update().get(pk=prize.pk)
    target = NEXT_STATUS.get(locked.status)
    if target is None:
        raise PrizeError(_("This step is not possible at this stage of the prize."))
    before = locked.status
    locked.status = target
    locked.save(update_fields=["status"])
    activity.record(actor, "prize.status_changed", locked, before={"status": before}, after={"status": target},
                    request=request)
    return locked


# ---- candidacies ---------------------------------------------------------------------------------

def eligibility_problems(prize, organization, category):
    """Why this organization may not compete in this category (an empty list when it may)."""
    problems = []
    with scopes_disabled():
        if not Application.objects.filter(edition_id=prize.edition_id, organization=organization,
                                          status__in=EXHIBITOR_STATUSES).exists():
            problems.append(_("Only exhibitors of this edition may compete."))
        if category.prize_id != prize.pk:
            problems.append(_("Choose a category of this prize."))
        elif category.sector_id and not organization.products.filter(category_id=category.sector_id).exists():
            problems.append(_("The organization has no product of this category (%(sector)s).")
                            % {"sector": category.sector.name})
    return problems


def exhibitors_of(user, prize):
    """The organizations this user represents that exhibit at the prize's edition."""
    with scopes_disabled():
        org_ids = Representation.objects.filter(user=user, status=Representation.Status.APPROVED).values(
            "organization")
        return [a.organization for a in Application.objects.filter(
            edition_id=prize.edition_id, organization__in=org_ids, status__in=EXHIBITOR_STATUSES).select_related(
            "organization")]


def _create_candidacy(actor, prize, organization, category, pitch, *, nominated, photos=(), request=None):
    pitch = (pitch or "").strip()
    if not pitch:
        raise PrizeError(_("Write a short pitch: what is new in your product or your way of working."))
    problems = eligibility_problems(prize, organization, category)
    if problems:
        raise PrizeError(" ".join(str(p) for p in problems))
    if len(photos) > MAX_PHOTOS:
        raise PrizeError(_("At most %(n)s photos.") % {"n": MAX_PHOTOS})
    try:
        with transaction.atomic(), scopes_disabled():
            candidacy = Candidacy.objects.create(prize=prize, category=category, organization=organization,
                                                 pitch=pitch[:1200], nominated=nominated, created_by=actor)
            for photo in photos:
                CandidacyPhoto.objects.create(candidacy=candidacy, image=photo)
            activity.record(actor, "prize.candidacy_nominated" if nominated else "prize.candidacy_submitted",
                            candidacy, after={"category": category.pk, "photos": len(photos)}, request=request)
    except IntegrityError:
        raise PrizeError(_("This organization already has a candidacy for this prize.")) from None
    return candidacy


def apply(actor, prize, organization, category, pitch, photos=(), *, request=None, now=None):
    """A representative's candidacy (photos already checked by ``core.images.clean_image``)."""
    if not prize.candidacy_open(now):
        raise PrizeError(_("Candidacies for this prize are closed."))
    with scopes_disabled():
        represents = Representation.objects.filter(user=actor, organization=organization,
                                                   status=Representation.Status.APPROVED).exists()
    if not represents:
        raise PrizeError(_("You do not represent this organization."))
    return _create_candidacy(actor, prize, organization, category, pitch, nominated=False, photos=photos,
                             request=request)


def nominate(actor, prize, organization, category, pitch, *, request=None):
    """Staff put forward an exhibitor, until the scoring starts."""
    if prize.status not in (Prize.Status.DRAFT, Prize.Status.CANDIDACY):
        raise PrizeError(_("Nominations close when the scoring starts."))
    return _create_candidacy(actor, prize, organization, category, pitch, nominated=True, request=request)


# ---- jury ----------------------------------------------------------------------------------------

def invite_juror(actor, prize, *, name, email, institution="", province=None, invitation_url=None,
                 request=None):
    """Seat a juror and send the invitation by e-mail. ``invitation_url(member)`` builds the link."""
    email = (email or "").strip().lower()
    if not email or not name.strip():
        raise PrizeError(_("Give the juror's name and e-mail address."))
    try:
        with transaction.atomic():
            member = JuryMember.objects.create(prize=prize, name=name.strip(), email=email,
                                               institution=institution.strip(), province=province,
                                               invited_at=timezone.now())
            activity.record(actor, "prize.juror_invited", member, after={"email": email}, request=request)
    except IntegrityError:
        raise PrizeError(_("This e-mail address is already on the jury.")) from None
    if invitation_url is not None:
        context = {"member": member, "prize": prize, "url": invitation_url(member)}
        subject = render_to_string("prizes/email/invitation_subject.txt", context).strip()
        send_mail(subject, render_to_string("prizes/email/invitation.txt", context), None, [email])
    return member


@transaction.atomic
def accept_invitation(user, token, *, request=None):
    """The invited person, signed in with the invited address, takes their seat (and the juror role)."""
    with scopes_disabled():
        member = JuryMember.objects.select_for_update().select_related("prize").filter(token=token).first()
        if member is None:
            raise PrizeError(_("This invitation link is not valid."))
        if member.email.lower() != (user.email or "").lower():
            raise PrizeError(_("This invitation was sent to another e-mail address: sign in with it."))
        if member.user_id == user.pk:
            return member
        member.user = user
        member.status = JuryMember.Status.ACCEPTED
        member.save(update_fields=["user", "status"])
        RoleAssignment.objects.get_or_create(user=user, role=Role.JUROR, region_id=member.region_id)
        activity.record(user, "prize.juror_accepted", member, request=request)
    return member


def _conflicts_of(prize):
    return {(c.member_id, c.candidacy_id) for c in Conflict.objects.filter(member__prize=prize)}


def _drop_unsubmitted(member, candidacy):
    """A juror in conflict loses the candidacy; a sheet they already submitted does not count either."""
    found = Assignment.objects.filter(member=member, candidacy=candidacy).first()
    if found is not None:
        before = {"scores": found.scores, "submitted_at": str(found.submitted_at or "")}
        found.delete()
        return before
    return None


@transaction.atomic
def declare_conflict(actor, member, candidacy, reason="", *, source=Conflict.Source.DECLARED, request=None):
    if member.prize_id != candidacy.prize_id:
        raise PrizeError(_("This candidacy belongs to another prize."))
    conflict, created = Conflict.objects.get_or_create(member=member, candidacy=candidacy, defaults={
        "source": source, "reason": (reason or "")[:300]})
    if created:
        dropped = _drop_unsubmitted(member, candidacy)
        activity.record(actor, "prize.conflict_recorded", candidacy, before={"assignment": dropped},
                        after={"juror": member.email, "source": source, "reason": conflict.reason},
                        request=request)
    return conflict


def detect_conflicts(actor, prize, *, request=None):
    """Record the conflicts the data shows: a juror who represents the organization or is linked to
    it, and, when the prize says so, a juror of the candidate's province. Returns how many are new."""
    new = 0
    with scopes_disabled():
        members = list(prize.jury.prefetch_related("linked_organizations"))
        candidacies = list(prize.candidacies.filter(status=Candidacy.Status.SUBMITTED).select_related(
            "organization"))
        represented = {}
        for member in members:
            linked = {o.pk for o in member.linked_organizations.all()}
            if member.user_id:
                linked |= set(Representation.objects.filter(user_id=member.user_id).exclude(
                    status=Representation.Status.REFUSED).values_list("organization_id", flat=True))
            represented[member.pk] = linked
        existing = _conflicts_of(prize)
        for member in members:
            for candidacy in candidacies:
                if (member.pk, candidacy.pk) in existing:
                    continue
                if candidacy.organization_id in represented[member.pk]:
                    source, reason = Conflict.Source.LINKED, str(_("linked to the organization"))
                elif (prize.same_province_conflict and member.province_id
                      and member.province_id == candidacy.organization.province_id):
                    source, reason = Conflict.Source.PROVINCE, str(_("same province"))
                else:
                    continue
                declare_conflict(actor, member, candidacy, reason, source=source, request=request)
                new += 1
    return new


def assignment_instance(prize):
    """The engine's input for this prize; pairs that already hold points are kept."""
    with scopes_disabled():
        jurors = list(prize.jury.order_by("pk").values_list("pk", flat=True))
        candidacies = list(prize.candidacies.filter(status=Candidacy.Status.SUBMITTED).order_by("pk").values_list(
            "pk", flat=True))
        conflicts = sorted(_conflicts_of(prize))
        fixed = sorted((a.member_id, a.candidacy_id) for a in Assignment.objects.filter(
            member__prize=prize).exclude(scores={}) if (a.member_id, a.candidacy_id) not in set(conflicts))
    return {"k": prize.jurors_per_candidacy, "jurors": jurors, "candidacies": candidacies,
            "conflicts": [list(p) for p in conflicts], "fixed": [list(p) for p in fixed]}


@transaction.atomic
def run_assignment(actor, prize, *, time_limit=10, request=None):
    """Detect conflicts, then (re)assign: the pairs without points are replaced by the engine's."""
    locked = Prize.objects.select_for_update().get(pk=prize.pk)
    if locked.status not in (Prize.Status.CANDIDACY, Prize.Status.SCORING):
        raise PrizeError(_("Candidacies are assigned once they are open, before the ranking is locked."))
    detect_conflicts(actor, locked, request=request)
    instance = assignment_instance(locked)
    result = engine.solve(instance, time_limit=time_limit)
    if result["status"] == "infeasible":
        raise PrizeError(_("%(n)s candidacies have fewer than %(k)s jurors free of conflict: invite more jurors.")
                         % {"n": len(result["short"]), "k": locked.jurors_per_candidacy})
    wanted = {tuple(p) for p in result["assignments"]}
    with scopes_disabled():
        current = {(a.member_id, a.candidacy_id): a for a in Assignment.objects.filter(member__prize=locked)}
        removed = [a.pk for pair, a in current.items() if pair not in wanted]
        Assignment.objects.filter(pk__in=removed).delete()
        Assignment.objects.bulk_create([Assignment(member_id=j, candidacy_id=c) for j, c in wanted
                                        if (j, c) not in current])
    activity.record(actor, "prize.assigned", locked, after={
        "k": instance["k"], "jurors": len(instance["jurors"]), "candidacies": len(instance["candidacies"]),
        "conflicts": len(instance["conflicts"]), "assignments": len(wanted), "max_load": result["max_load"],
        "min_load": result["min_load"], "status": result["status"]}, request=request)
    return result


# ---- scoring -------------------------------------------------------------------------------------

def _criteria(prize):
    return [(c.pk, float(c.weight), c.max_points) for c in prize.criteria.all()]


def clean_scores(prize, raw, *, complete):
    """{criterion id (str): int points} from a form's or the API's values, within each scale."""
    scores = {}
    for criterion in prize.criteria.all():
        value = raw.get(str(criterion.pk))
        if value in (None, ""):
            if complete:
                raise PrizeError(_("Give a score for every criterion before submitting (missing: %(c)s).")
                                 % {"c": criterion.name})
            continue
        try:
            points = int(str(value).strip())
        except ValueError:
            raise PrizeError(_("“%(v)s” is not a whole number (%(c)s).") % {"v": value, "c": criterion.name}) from None
        if not 0 <= points <= criterion.max_points:
            raise PrizeError(_("The score for “%(c)s” must be between 0 and %(max)s.")
                             % {"c": criterion.name, "max": criterion.max_points})
        scores[str(criterion.pk)] = points
    return scores


@transaction.atomic
def save_scores(actor, assignment, raw_scores, comment="", *, submit=False, request=None, now=None):
    """A juror's points on an assigned candidacy: kept as a draft, or submitted (then final)."""
    with scopes_disabled():
        locked = Assignment.objects.select_for_update().select_related("member__prize", "candidacy").filter(
            pk=assignment.pk).first()
        if locked is None or locked.member.user_id != getattr(actor, "pk", None):
            raise PrizeError(_("This candidacy is not assigned to you."))
        prize = locked.member.prize
        if Conflict.objects.filter(member=locked.member, candidacy=locked.candidacy).exists():
            raise PrizeError(_("You declared a conflict of interest with this candidacy."))
        if not prize.scoring_open(now):
            raise PrizeError(_("The scoring of this prize is closed: nothing was changed."))
        if locked.submitted_at is not None:
            raise PrizeError(_("You already submitted this score; it can no longer be changed."))
        scores = clean_scores(prize, raw_scores, complete=submit)
        before = {"scores": locked.scores, "comment": locked.comment}
        locked.scores = scores
        locked.comment = (comment or "").strip()[:2000]
        if submit:
            locked.submitted_at = timezone.now()
        locked.save()
        activity.record(actor, "prize.score_submitted" if submit else "prize.score_saved", locked.candidacy,
                        before=before, after={"scores": scores, "comment": locked.comment,
                                              "total": round(sheet_total(scores, _criteria(prize)), 3)},
                        request=request)
    return locked


# ---- results -------------------------------------------------------------------------------------

def compute_ranking(prize):
    """The ranking from the submitted sheets (see results.py for the method)."""
    with scopes_disabled():
        criteria = _criteria(prize)
        candidacies = [{"id": c.pk, "category": c.category_id} for c in prize.candidacies.filter(
            status=Candidacy.Status.SUBMITTED)]
        sheets = [{"juror": a.member_id, "candidacy": a.candidacy_id, "total": sheet_total(a.scores, criteria)}
                  for a in Assignment.objects.filter(member__prize=prize, submitted_at__isnull=False)]
    return rank(candidacies, sheets)


def lock_ranking(actor, prize, note="", *, request=None):
    """Deliberation ends: the ranking is stored, once; the first ``winners_per_category`` of each
    category become the awards. A second final ranking is refused by the database."""
    try:
        with transaction.atomic():
            locked = Prize.objects.select_for_update().get(pk=prize.pk)
            if locked.status not in (Prize.Status.SCORING, Prize.Status.DELIBERATION):
                raise PrizeError(_("The ranking is locked after the scoring, before publication."))
            rows = compute_ranking(locked)
            if not rows:
                raise PrizeError(_("No submitted score yet: there is nothing to rank."))
            ranking = FinalRanking.objects.create(prize=locked, rows=rows, note=(note or "").strip(), locked_by=actor)
            for row in rows:
                if row["rank"] <= locked.winners_per_category:
                    Award.objects.create(ranking=ranking, candidacy_id=row["candidacy"], rank=row["rank"])
            before = locked.status
            locked.status = Prize.Status.DELIBERATION
            locked.save(update_fields=["status"])
            activity.record(actor, "prize.ranking_locked", locked, before={"status": before},
                            after={"method": ranking.method, "rows": rows, "note": ranking.note}, request=request)
    except IntegrityError:
        raise PrizeError(_("The final ranking of this prize is already locked; it cannot be replaced.")) from None
    return ranking


def publish(actor, prize, *, certificate_url=None, request=None):
    """Publish the winners (once). With ``certificate_url(award)``, each winner's representatives are
    told by e-mail (in their language, with the certificate's link) and text message."""
    with transaction.atomic():
        locked = Prize.objects.select_for_update().get(pk=prize.pk)
        if not FinalRanking.objects.filter(prize=locked).exists():
            raise PrizeError(_("Lock the final ranking before publishing the winners."))
        if locked.published_at is not None:
            return locked
        locked.published_at = timezone.now()
        locked.status = Prize.Status.PUBLISHED
        locked.save(update_fields=["published_at", "status"])
        activity.record(actor, "prize.published", locked, after={"published_at": str(locked.published_at)},
                        request=request)
    if certificate_url is not None:
        notify_winners(locked, certificate_url)
    return locked


def notify_winners(prize, certificate_url):
    from tadamon.core.sms import send_sms

    for category, awards in winners(prize):
        for award in awards:
            organization = award.candidacy.organization
            with scopes_disabled():
                users = [r.user for r in Representation.objects.filter(
                    organization=organization, status=Representation.Status.APPROVED).select_related("user")]
            for user in users:
                with translation.override(user.preferred_language):
                    context = {"award": award, "prize": prize, "category": category, "organization": organization,
                               "user": user, "url": certificate_url(award)}
                    subject = render_to_string("prizes/email/winner_subject.txt", context).strip()
                    send_mail(subject, render_to_string("prizes/email/winner.txt", context), None, [user.email])
                    send_sms(user.phone, subject)


def winners(prize):
    """[(category, [award])] of a prize, categories in order."""
    with scopes_disabled():
        awards = list(Award.objects.filter(ranking__prize=prize).select_related(
            "candidacy__organization__province", "candidacy__organization__region",
            "candidacy__organization__sector", "candidacy__category"))
        categories = list(prize.categories.all())
    return [(c, [a for a in awards if a.candidacy.category_id == c.pk]) for c in categories]


def certificate_pdf(award, *, absolute_url):
    from tadamon.programme.services import render_certificate

    candidacy = award.candidacy
    with translation.override("ar"):
        return render_certificate("prizes/pdf/certificate.html", {
            "award": award, "ranking": award.ranking, "prize": candidacy.prize, "edition": candidacy.prize.edition,
            "category": candidacy.category, "organization": candidacy.organization}, absolute_url=absolute_url)


def verify_certificate(code):
    """The programme's verification page asks here for codes it does not know."""
    with scopes_disabled():
        award = Award.objects.select_related("candidacy__organization", "candidacy__category",
                                             "candidacy__prize__edition__region", "ranking").filter(
            code=code, ranking__prize__published_at__isnull=False).first()
    if award is None:
        return None
    candidacy = award.candidacy
    return {"facts": [
        (_("Prize winner"), candidacy.organization.name),
        (_("Prize"), candidacy.prize.title),
        (_("Category"), candidacy.category.name),
        (_("Rank"), award.rank),
        (_("Event"), f"{candidacy.prize.edition.title} · {candidacy.prize.edition.region.name}"),
    ]}


# ---- ceremony and honours ------------------------------------------------------------------------

@transaction.atomic
def create_ceremony(actor, prize, *, request=None):
    """The award ceremony as a session of the edition's programme (placed by staff there)."""
    from tadamon.programme.models import Session, SessionKind

    locked = Prize.objects.select_for_update().get(pk=prize.pk)
    if locked.ceremony_id:
        return locked.ceremony
    session = Session.objects.create(
        edition=locked.edition, kind=SessionKind.AWARD, title_ar=f"حفل تسليم {locked.title_ar}",
        title_fr=f"Cérémonie de remise du {locked.title_fr}", audience="public",
        description_ar=locked.description_ar, description_fr=locked.description_fr, languages=["ar", "fr"])
    locked.ceremony = session
    locked.save(update_fields=["ceremony"])
    activity.record(actor, "prize.ceremony_created", locked, after={"session": session.pk}, request=request)
    return session


def add_honour(actor, edition, organization, kind, citation_ar, citation_fr="", *, request=None):
    if not (citation_ar or "").strip():
        raise PrizeError(_("Write the citation in Arabic."))
    try:
        with transaction.atomic():
            honour = Honour.objects.create(edition=edition, organization=organization, kind=kind,
                                           citation_ar=citation_ar.strip(), citation_fr=(citation_fr or "").strip())
            activity.record(actor, "honour.added", honour, after={"kind": kind, "organization": organization.pk},
                            request=request)
    except IntegrityError:
        raise PrizeError(_("This organization already has this honour at this edition.")) from None
    return honour


def default_deadlines(now=None):
    now = now or timezone.now()
    return now + timedelta(days=14), now + timedelta(days=28)

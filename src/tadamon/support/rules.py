"""Who may do what with the support programmes.

- Anyone reads the incubator's public page, the programmes and their calls.
- A representative applies for the organizations they represent, sees their plan (stage, diagnosis,
  trainings, coaching, action items) and prepares the funding file.
- A coach (the trainer role) sees and works on the participants given to them: diagnosis, coaching
  sessions and their reports, action items.
- Regional staff run the programmes of their region (national administrators every region):
  cohorts, screening, coaches, trainings, funding decisions, tranches. Partner viewers read.
"""

import rules

from tadamon.core.rules import can_manage_region, can_view_region, is_trainer
from tadamon.registry.rules import is_representative_of


def _participant(obj):
    """The participant a coaching session, action item or funding file belongs to (or itself)."""
    from .models import Participant

    return obj if isinstance(obj, Participant) else getattr(obj, "participant", None)


@rules.predicate
def manages_object(user, obj):
    return obj is not None and bool(can_manage_region(user, obj.region_id))


@rules.predicate
def views_object(user, obj):
    return obj is not None and bool(can_view_region(user, obj.region_id))


@rules.predicate
def coaches(user, obj):
    participant = _participant(obj) if obj is not None else None
    return (participant is not None and getattr(user, "is_authenticated", False)
            and participant.coach_id == user.pk and bool(is_trainer(user)))


@rules.predicate
def represents_participant(user, obj):
    participant = _participant(obj) if obj is not None else None
    return participant is not None and bool(is_representative_of(user, participant.organization))


# Without an object: may open the screens at all.
rules.add_perm("support.manage", can_manage_region)
rules.add_perm("support.view", can_view_region)
rules.add_perm("support.coach", is_trainer)
# With a region-owned object (programme, cohort, application, participant, funding file…).
rules.add_perm("support.manage_object", manages_object)
rules.add_perm("support.view_object", views_object)
rules.add_perm("support.view_plan", views_object | coaches | represents_participant)
rules.add_perm("support.work_on", manages_object | coaches)
rules.add_perm("support.edit_funding", manages_object | represents_participant)
rules.add_perm("support.read_funding", views_object | represents_participant)
rules.add_perm("support.mark_done", manages_object | coaches | represents_participant)

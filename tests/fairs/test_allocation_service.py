"""The stand allocation service end to end: the engine's input built from the database, runs stored and
logged, placements applied, locks kept across re-optimisation, hand placements and swaps, publication
and notification, and what exhibitors see and tell us."""

import pytest
from django.core import mail
from django.urls import reverse
from django_scopes import scopes_disabled

from tadamon.core import sms
from tadamon.core.models import ActivityLog
from tadamon.fairs import allocation, placement
from tadamon.fairs.floor_models import AllocationRun, Participation, Stand, StandAssignment
from tadamon.fairs.models import Application

from .floor_fixtures import arabic, fair_fixture  # noqa: F401


@pytest.fixture(autouse=True)
def empty_outboxes():
    sms.outbox.clear()
    yield
    sms.outbox.clear()


def _stand(edition, number):
    with scopes_disabled():
        return Stand.objects.get(edition=edition, number=number)


def _placements(edition):
    with scopes_disabled():
        return dict(StandAssignment.objects.filter(edition=edition).values_list("application_id", "stand__number"))


def _free(edition, but=None):
    """A stand of the products pole with room left (not ``but``)."""
    placed = list(_placements(edition).values())
    return next(f"P0{n}" for n in range(1, 9) if placed.count(f"P0{n}") < 2 and f"P0{n}" != but)


def _rep(application):
    from tadamon.registry.models import Representation

    with scopes_disabled():
        return Representation.objects.filter(organization=application.organization).get().user


# ---- the engine's input --------------------------------------------------------------------------

def test_instance_follows_the_contract(fair, fes_staff):
    edition, apps = fair["edition"], fair["applications"]
    with scopes_disabled():
        Application.objects.filter(pk=apps[2].pk).update(share_with=apps[3].organization)
    p3 = _stand(edition, "P03")
    placement.save_participation(_rep(apps[0]), apps[0], preferences=[p3, None, _stand(edition, "P05")])
    placement.place(fes_staff, apps[5], _stand(edition, "P08"))
    instance = placement.build_instance(edition)
    assert set(instance) == {"weights", "stands", "exhibitors"}
    assert set(instance["weights"]) == {"preference", "zone", "pair_same_sector", "pair_requested"}
    assert len(instance["stands"]) == 9
    stand = instance["stands"][0]
    assert set(stand) == {"id", "pole", "capacity", "zone", "accessible", "power", "x", "y", "w", "h"}
    by_id = {e["id"]: e for e in instance["exhibitors"]}
    assert set(by_id) == {a.pk for a in apps}
    assert by_id[apps[0].pk]["preferences"] == [p3.pk, _stand(edition, "P05").pk]
    assert by_id[apps[0].pk]["needs_power"] and by_id[apps[1].pk]["needs_accessible"]
    assert by_id[apps[2].pk]["share_with"] == apps[3].pk  # the organization mapped to its application
    assert by_id[apps[3].pk]["share_with"] is None
    assert by_id[apps[5].pk]["locked_stand"] == _stand(edition, "P08").pk
    assert by_id[apps[1].pk]["sector"] == "terroir" and by_id[apps[1].pk]["pole"] == fair["products"].pk
    assert allocation.violations(instance, {}) != []  # nobody placed yet: the engine says so


def test_share_with_an_organization_that_is_not_an_exhibitor_is_dropped(fair, make_org):
    edition, apps = fair["edition"], fair["applications"]
    other = make_org("تعاونية أخرى", "Autre", registration_number="X1")
    with scopes_disabled():
        Application.objects.filter(pk=apps[0].pk).update(share_with=other)
    by_id = {e["id"]: e for e in placement.build_instance(edition)["exhibitors"]}
    assert by_id[apps[0].pk]["share_with"] is None


# ---- runs ----------------------------------------------------------------------------------------

def test_run_places_everyone_honouring_needs_and_is_logged(fair, fes_staff):
    edition, apps = fair["edition"], fair["applications"]
    run, created = placement.start_run(fes_staff, edition, time_limit=10)
    assert created
    run.refresh_from_db()
    assert run.status == AllocationRun.Status.DONE and run.applied and run.created_by == fes_staff
    assert run.result["status"] in ("optimal", "feasible") and run.instance["exhibitors"]
    placed = _placements(edition)
    assert set(placed) == {a.pk for a in apps}
    assert all(number.startswith("P") for number in placed.values())
    assert allocation.violations(run.instance, run.result["assignment"]) == []
    with scopes_disabled():
        log = ActivityLog.objects.filter(action="allocation.run").get()
    assert log.actor == fes_staff and log.after["run"] == run.pk and log.after["placed"] == 6


def test_locks_are_kept_across_re_optimisation(fair, fes_staff):
    edition, apps = fair["edition"], fair["applications"]
    placement.start_run(fes_staff, edition, time_limit=10)
    target = _free(edition, but=_placements(edition)[apps[0].pk])
    placement.place(fes_staff, apps[0], _stand(edition, target))  # by hand: locked
    with scopes_disabled():
        engine_choice = StandAssignment.objects.get(application=apps[3])
    placement.set_lock(fes_staff, apps[3], True)
    # Give the other exhibitors preferences that pull them onto the locked stands.
    for application in apps[1:]:
        if application.pk != apps[3].pk:
            placement.save_participation(_rep(application), application,
                                         preferences=[_stand(edition, target), engine_choice.stand])
    placement.start_run(fes_staff, edition, time_limit=10)
    placed = _placements(edition)
    assert placed[apps[0].pk] == target
    assert placed[apps[3].pk] == engine_choice.stand.number
    with scopes_disabled():
        assert StandAssignment.objects.get(application=apps[0]).locked
        assert StandAssignment.objects.get(application=apps[3]).locked
        assert StandAssignment.objects.filter(stand__number=target, edition=edition).count() <= 2
    assert set(placed) == {a.pk for a in apps}
    with scopes_disabled():
        assert AllocationRun.objects.filter(edition=edition).count() == 2
        assert ActivityLog.objects.filter(action="allocation.placed").exists()
        assert ActivityLog.objects.filter(action="allocation.locked").exists()


def test_a_failing_engine_changes_nothing(fair, fes_staff, monkeypatch):
    edition = fair["edition"]
    placement.start_run(fes_staff, edition, time_limit=10)
    before = _placements(edition)

    class Broken:
        @staticmethod
        def solve(instance, time_limit=60):
            raise TimeoutError("No allocation found within 1 s")

    monkeypatch.setattr(placement, "_engine", lambda: Broken)
    run, _created = placement.start_run(fes_staff, edition, time_limit=1)
    run.refresh_from_db()
    assert run.status == AllocationRun.Status.FAILED and "TimeoutError" in run.error
    assert _placements(edition) == before
    with scopes_disabled():
        assert ActivityLog.objects.filter(action="allocation.failed").exists()


def test_an_infeasible_result_is_stored_but_not_applied(fair, fes_staff):
    edition = fair["edition"]
    with scopes_disabled():
        Stand.objects.filter(edition=edition, number__startswith="P").update(power=False)
    run, _created = placement.start_run(fes_staff, edition, time_limit=10)
    run.refresh_from_db()
    assert run.status == AllocationRun.Status.DONE and not run.applied
    assert run.result["status"] == "infeasible" and run.result["conflicts"]
    assert _placements(edition) == {}
    page = _staff_client(fes_staff).get(reverse("fairs:manage_allocation", args=[edition.pk]))
    assert run.result["conflicts"][0] in page.content.decode()


def test_a_second_click_while_a_run_waits_returns_it(fair, fes_staff):
    edition = fair["edition"]
    with scopes_disabled():
        waiting = AllocationRun.objects.create(edition=edition, created_by=fes_staff)
    run, created = placement.start_run(fes_staff, edition)
    assert not created and run.pk == waiting.pk


# ---- hand changes --------------------------------------------------------------------------------

def test_swap_exchanges_stands_and_locks_both(fair, fes_staff):
    edition, apps = fair["edition"], fair["applications"]
    placement.start_run(fes_staff, edition, time_limit=10)
    placed = _placements(edition)
    first, second = apps[2], next(a for a in apps[3:] if placed[a.pk] != placed[apps[2].pk])
    placement.swap(fes_staff, first, second)
    after = _placements(edition)
    assert after[first.pk] == placed[second.pk] and after[second.pk] == placed[first.pk]
    with scopes_disabled():
        assert StandAssignment.objects.get(application=first).locked
        assert StandAssignment.objects.get(application=second).locked
        log = ActivityLog.objects.filter(action="allocation.swapped").get()
    assert log.before[str(first.organization)] == placed[first.pk]


@pytest.mark.usefixtures("english")
def test_hand_changes_that_break_the_rules_are_refused(fair, fes_staff):
    edition, apps = fair["edition"], fair["applications"]
    placement.place(fes_staff, apps[0], _stand(edition, "P01"))
    with scopes_disabled():
        Stand.objects.filter(edition=edition, number="P06").update(power=False)
    with pytest.raises(placement.AllocationError, match="electricity"):
        placement.place(fes_staff, apps[0], _stand(edition, "P06"))  # needs power
    with pytest.raises(placement.AllocationError, match="another pole"):
        placement.place(fes_staff, apps[2], _stand(edition, "I01"))
    placement.place(fes_staff, apps[2], _stand(edition, "P06"))
    placement.place(fes_staff, apps[4], _stand(edition, "P06"))
    with pytest.raises(placement.AllocationError, match="full"):
        placement.place(fes_staff, apps[5], _stand(edition, "P06"))
    with pytest.raises(placement.AllocationError, match="same stand"):
        placement.swap(fes_staff, apps[2], apps[4])
    with pytest.raises(placement.AllocationError, match="electricity"):
        placement.swap(fes_staff, apps[0], apps[2])  # apps[0] would land on P06, without power
    with scopes_disabled():
        Application.objects.filter(pk=apps[5].pk).update(status=Application.Status.WAITLISTED)
        apps[5].refresh_from_db()
    with pytest.raises(placement.AllocationError, match="selected or confirmed"):
        placement.place(fes_staff, apps[5], _stand(edition, "P01"))


# ---- publication and notification ----------------------------------------------------------------

def test_publish_notifies_each_exhibitor_once_then_only_the_changes(fair, fes_staff):
    edition, apps = fair["edition"], fair["applications"]
    placement.start_run(fes_staff, edition, time_limit=10)
    mail.outbox.clear()
    from django.test import TestCase

    with TestCase.captureOnCommitCallbacks(execute=True):
        told = placement.publish(fes_staff, edition, base_url="https://tadamon.example")
    assert told == 6
    assert len(mail.outbox) == 6 and len(sms.outbox) == 6
    placed = _placements(edition)
    for application in apps:
        user = _rep(application)
        message = next(m for m in mail.outbox if m.to == [user.email])
        assert placed[application.pk] in message.subject and placed[application.pk] in message.body
        assert "https://tadamon.example/" in message.body and "/map/" in message.body
        assert any(s.to == user.phone and placed[application.pk] in s.body for s in sms.outbox)
    with TestCase.captureOnCommitCallbacks(execute=True):
        assert placement.publish(fes_staff, edition) == 0
    assert len(mail.outbox) == 6
    first, second = apps[2], next(a for a in apps[3:] if placed[a.pk] != placed[apps[2].pk])
    placement.swap(fes_staff, first, second)
    mail.outbox.clear()
    with TestCase.captureOnCommitCallbacks(execute=True):
        assert placement.publish(fes_staff, edition) == 2
    assert sorted(m.to[0] for m in mail.outbox) == sorted([_rep(first).email, _rep(second).email])
    with scopes_disabled():
        assert ActivityLog.objects.filter(action="allocation.published").count() == 1
        assert ActivityLog.objects.filter(action="allocation.notified").count() == 2


def test_publish_without_placements_is_refused(fair, fes_staff):
    with pytest.raises(placement.AllocationError):
        placement.publish(fes_staff, fair["edition"])


# ---- the staff screen ----------------------------------------------------------------------------

def _staff_client(user):
    from django.test import Client

    client = Client()
    client.force_login(user)
    return client


def test_staff_screen_runs_locks_places_swaps_and_publishes(fair, fes_staff, django_capture_on_commit_callbacks):
    edition, apps = fair["edition"], fair["applications"]
    client = _staff_client(fes_staff)
    action = reverse("fairs:manage_allocation_action", args=[edition.pk])
    page = reverse("fairs:manage_allocation", args=[edition.pk])
    assert client.post(action, {"action": "run"}).status_code == 302
    assert len(_placements(edition)) == 6
    html = client.get(page).content.decode()
    assert apps[0].organization.name_ar in html
    assert client.post(action, {"action": "lock", "application": apps[1].pk}).status_code == 302
    with scopes_disabled():
        assert StandAssignment.objects.get(application=apps[1]).locked
    client.post(action, {"action": "unlock", "application": apps[1].pk})
    with scopes_disabled():
        assert not StandAssignment.objects.get(application=apps[1]).locked
    free = _free(edition, but=_placements(edition)[apps[2].pk])
    client.post(action, {"action": "place", "application": apps[2].pk, "stand": _stand(edition, free).pk})
    assert _placements(edition)[apps[2].pk] == free
    placed = _placements(edition)
    other = next(a for a in apps if placed[a.pk] != free)
    client.post(action, {"action": "swap", "first": apps[2].pk, "second": other.pk})
    assert _placements(edition)[other.pk] == free
    # Bad input: a message, nothing changed.
    response = client.post(action, {"action": "swap", "first": apps[2].pk, "second": 999999}, follow=True)
    assert response.status_code == 200 and _placements(edition)[other.pk] == free
    response = client.post(action, {"action": "place", "application": apps[0].pk, "stand": "x"}, follow=True)
    assert response.status_code == 200
    with django_capture_on_commit_callbacks(execute=True):
        client.post(action, {"action": "publish"})
    assert len(mail.outbox) == 6
    with scopes_disabled():
        run = AllocationRun.objects.filter(edition=edition).first()
    detail = client.get(reverse("fairs:manage_allocation_run", args=[run.pk]))
    assert detail.status_code == 200


def test_progress_is_polled_while_a_run_waits(fair, fes_staff):
    edition = fair["edition"]
    with scopes_disabled():
        AllocationRun.objects.create(edition=edition, created_by=fes_staff)
    client = _staff_client(fes_staff)
    url = reverse("fairs:manage_allocation", args=[edition.pk])
    page = client.get(url).content.decode()
    assert 'hx-trigger="every 1s"' in page and "htmx" in page
    fragment = client.get(url, HTTP_HX_REQUEST="true")
    assert fragment.status_code == 200 and "<progress" in fragment.content.decode()
    with scopes_disabled():
        AllocationRun.objects.filter(edition=edition).update(status=AllocationRun.Status.DONE)
    done = client.get(url, HTTP_HX_REQUEST="true")
    assert done.headers.get("HX-Refresh") == "true"


# ---- the exhibitor's side ------------------------------------------------------------------------

def test_exhibitor_sees_its_own_stand_once_published(client, fair, fes_staff):
    edition, apps = fair["edition"], fair["applications"]
    user = _rep(apps[0])
    client.force_login(user)
    url = reverse("fairs:application", args=[apps[0].pk])
    placement.start_run(fes_staff, edition, time_limit=10)
    number = _placements(edition)[apps[0].pk]
    html = client.get(url).content.decode()
    assert "my-stand" in html and f">{number}<" not in html
    placement.publish(fes_staff, edition)
    html = client.get(url).content.decode()
    with scopes_disabled():
        stand = StandAssignment.objects.get(application=apps[0]).stand
    assert f">{number}<" in html
    assert reverse("fairs:map_stand", args=[edition.pk, stand.pk]) in html
    # Another exhibitor's application stays hidden.
    assert client.get(reverse("fairs:application", args=[apps[1].pk])).status_code == 404
    assert client.get(reverse("fairs:fair_details", args=[apps[1].pk])).status_code == 404


@pytest.mark.usefixtures("english")
def test_exhibitor_gives_preferences_then_staff_names(client, fair, fes_staff):
    edition, apps = fair["edition"], fair["applications"]
    user = _rep(apps[0])
    client.force_login(user)
    url = reverse("fairs:fair_details", args=[apps[0].pk])
    page = client.get(url)
    assert page.status_code == 200 and page.context["names_form"].fields["name_1"].initial == "Fatima0 Alaoui"
    p2, p4, i01 = _stand(edition, "P02"), _stand(edition, "P04"), _stand(edition, "I01")
    assert client.post(url, {"preferences": "1", "choice_1": p4.pk, "choice_2": p2.pk, "choice_3": ""}
                       ).status_code == 302
    response = client.post(url, {"preferences": "1", "choice_1": i01.pk})  # another pole: not offered
    assert response.status_code == 200 and response.context["prefs_form"].errors
    with scopes_disabled():
        assert Participation.objects.get(application=apps[0]).stand_preferences == [p4.pk, p2.pk]
    assert client.post(url, {"names": "1", "name_1": "  فاطمة   العلوي ", "name_2": "Karim Bennani",
                             "name_3": "فاطمة العلوي", "name_4": ""}).status_code == 302
    with scopes_disabled():
        assert Participation.objects.get(application=apps[0]).staff_names == ["فاطمة العلوي", "Karim Bennani"]
    assert client.post(url, {"names": "1", "name_1": ""}).status_code == 200  # at least one name
    placement.start_run(fes_staff, edition, time_limit=10)
    placement.publish(fes_staff, edition)
    response = client.post(url, {"preferences": "1", "choice_1": p2.pk}, follow=True)
    assert "no longer" in response.content.decode()
    with scopes_disabled():
        assert Participation.objects.get(application=apps[0]).stand_preferences == [p4.pk, p2.pk]
        assert ActivityLog.objects.filter(action="participation.saved").count() == 2

"""Choices kept in memory: one read per process, a change saved in this process shows at once."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django_scopes import scopes_disabled

from tadamon.core import choices
from tadamon.core.models import Region
from tadamon.registry.filters import DirectoryFilterForm
from tadamon.registry.models import Sector


def _rendered(form):
    return str(form["region"]) + str(form["province"]) + str(form["sector"])


@pytest.mark.django_db
def test_the_selects_read_their_lists_once():
    _rendered(DirectoryFilterForm({}))
    with CaptureQueriesContext(connection) as queries:
        html = _rendered(DirectoryFilterForm({}))
    assert len(queries) == 0
    assert html.count("<option") == 1 + Region.objects.count() + 1 + 75 + 1 + Sector.objects.count()


@pytest.mark.django_db
def test_a_region_narrows_the_provinces_from_memory_too():
    region = Region.objects.get(code="07")
    form = DirectoryFilterForm({"region": "07"})
    assert form.is_valid()
    first = str(form["province"])
    assert first.count("<option") == 1 + region.provinces.count()
    with CaptureQueriesContext(connection) as queries:
        again = str(DirectoryFilterForm({"region": "07"})["province"])
    assert again == first
    assert not any("core_province" in q["sql"] for q in queries.captured_queries)


@pytest.mark.django_db
def test_a_saved_change_shows_at_once_and_a_chosen_value_is_checked_in_the_database():
    _rendered(DirectoryFilterForm({}))
    with scopes_disabled():
        sector = Sector.objects.create(key="fishing", name_ar="الصيد البحري", name_fr="Pêche", name_en="Fishing")
    assert "الصيد البحري" in str(DirectoryFilterForm({})["sector"])
    form = DirectoryFilterForm({"sector": "fishing"})
    assert form.is_valid() and form.cleaned_data["sector"] == sector
    sector.delete()
    assert "الصيد البحري" not in str(DirectoryFilterForm({})["sector"])
    assert not DirectoryFilterForm({"sector": "fishing"}).is_valid()


@pytest.mark.django_db
def test_lists_expire(monkeypatch):
    _rendered(DirectoryFilterForm({}))
    Sector.objects.filter(pk=Sector.objects.order_by("pk").first().pk).update(name_ar="اسم جديد")  # no signal
    assert "اسم جديد" not in str(DirectoryFilterForm({})["sector"])
    later = choices.time.monotonic() + choices.SECONDS + 1
    monkeypatch.setattr(choices.time, "monotonic", lambda: later)
    assert "اسم جديد" in str(DirectoryFilterForm({})["sector"])

"""An edition's public page lists its selected exhibitors pole by pole, in the visitor's language,
with the same few queries whatever their number."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone
from django_scopes import scopes_disabled

from tadamon.fairs.models import Application, Edition, Pole

S = Application.Status


@pytest.fixture
def published(edition, make_org, make_user):
    """The edition with its selection published and two poles."""
    with scopes_disabled():
        edition.status = Edition.Status.SELECTION_PUBLISHED
        edition.selection_published_at = timezone.now()
        edition.save()
        second = Pole.objects.create(edition=edition, name_ar="قطب الصناعة التقليدية", name_fr="Pôle artisanat")
    author = make_user("author@example.ma")

    def add(name_ar, name_fr, status=S.SELECTED, pole=None, province="03.131"):
        org = make_org(name_ar, name_fr, province=province)
        with scopes_disabled():
            Application.objects.create(edition=edition, organization=org, created_by=author, status=status,
                                       pole=pole or edition.poles.order_by("pk").first())
        return org

    return edition, second, add


def _page(client, edition, language="ar"):
    return client.get(reverse("fairs:edition", args=[edition.pk]), HTTP_ACCEPT_LANGUAGE=language)


def test_exhibitors_by_pole_with_link_and_province_in_the_visitors_language(client, published):
    edition, second, add = published
    first = add("تعاونية الزيتون", "Coopérative de l'olive")
    other = add("تعاونية الدوم", "Coopérative du doum", status=S.CONFIRMED, pole=second, province="03.171")
    refused = add("تعاونية مرفوضة", "Coopérative refusée", status=S.REJECTED)
    html = _page(client, edition).content.decode()
    assert f'<a href="{first.get_absolute_url()}">تعاونية الزيتون</a>' in html
    assert f'<a href="{other.get_absolute_url()}">تعاونية الدوم</a>' in html
    assert refused.name_ar not in html
    # Each under its own pole.
    first_pole, second_pole = html.index('id="pole-'), html.index(f'id="pole-{second.pk}"')
    assert first_pole < html.index("تعاونية الزيتون") < second_pole < html.index("تعاونية الدوم")
    with scopes_disabled():
        assert f'<small class="muted">{first.province.name_ar}</small>' in html
        french = client.get(reverse("fairs:edition", args=[edition.pk]).replace("/ar/", "/fr/")).content.decode()
        assert f'<a href="{first.get_absolute_url().replace("/ar/", "/fr/")}">Coopérative de l&#x27;olive</a>' in french
        assert f'<small class="muted">{first.province.name_fr}</small>' in french


def test_no_exhibitors_before_the_selection_is_published(client, published):
    edition, _second, add = published
    org = add("تعاونية الزيتون", "Coopérative de l'olive")
    with scopes_disabled():
        Edition.objects.filter(pk=edition.pk).update(selection_published_at=None)
    assert org.name_ar not in _page(client, edition).content.decode()


def test_the_number_of_queries_does_not_grow_with_the_exhibitors(client, published):
    edition, second, add = published
    add("تعاونية 1", "Coop 1")
    _page(client, edition)  # warms the caches of regions and languages
    with CaptureQueriesContext(connection) as few:
        _page(client, edition)
    for i in range(2, 12):
        add(f"تعاونية {i}", f"Coop {i}", pole=second if i % 2 else None)
    with CaptureQueriesContext(connection) as many:
        html = _page(client, edition).content.decode()
    assert html.count('<li><a href="') >= 11
    assert len(many) == len(few)

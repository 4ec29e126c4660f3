"""The call's rules, read from the registry's organization: legal form, age, sector, province,
women-led, youth-led, region."""

from datetime import date, timedelta

import pytest
from django_scopes import scopes_disabled

from tadamon.core.models import Province
from tadamon.registry.models import LegalForm
from tadamon.support.services import eligibility_failures, is_youth_led

pytestmark = pytest.mark.django_db


def failures(cohort, org, **kwargs):
    with scopes_disabled():
        return eligibility_failures(cohort, org, **kwargs)


def test_an_organization_meeting_every_rule_is_eligible(cohort, organization, sectors):
    with scopes_disabled():
        cohort.allowed_legal_forms = [LegalForm.COOPERATIVE]
        cohort.min_age_months, cohort.max_age_months = 12, 120
        cohort.women_led_only = cohort.youth_led_only = True
        cohort.save()
        cohort.sectors.add(sectors["terroir"])
        cohort.provinces.add(organization.province)
    assert failures(cohort, organization) == []


def test_legal_form(cohort, make_org):
    cohort.allowed_legal_forms = [LegalForm.COOPERATIVE]
    association = make_org("جمعية", legal_form=LegalForm.ASSOCIATION)
    assert len(failures(cohort, association)) == 1


def test_age_of_the_organization(cohort, make_org):
    cohort.min_age_months = 24
    young = make_org("تعاونية فتية", created_on=date.today() - timedelta(days=200))
    old = make_org("تعاونية قديمة", created_on=date.today() - timedelta(days=3000))
    unknown = make_org("تعاونية بلا تاريخ")
    assert failures(cohort, young) and not failures(cohort, old)
    assert failures(cohort, unknown)  # the date of creation is missing
    cohort.min_age_months, cohort.max_age_months = 0, 36
    assert not failures(cohort, young) and failures(cohort, old)


def test_age_counts_whole_months(cohort, make_org):
    cohort.min_age_months = 12
    org = make_org("تعاونية", created_on=date(2024, 3, 15))
    assert failures(cohort, org, today=date(2025, 3, 14))
    assert not failures(cohort, org, today=date(2025, 3, 15))


def test_sector(cohort, make_org, sectors):
    with scopes_disabled():
        cohort.sectors.add(sectors["terroir"])
    other_key = next(k for k in sectors if k != "terroir")
    assert not failures(cohort, make_org("أ", sector="terroir"))
    assert failures(cohort, make_org("ب", sector=other_key))


def test_province(cohort, make_org):
    with scopes_disabled():
        province = Province.objects.get(code="03.131")
        other = cohort.region.provinces.exclude(pk=province.pk).first()
        cohort.provinces.add(province)
    assert not failures(cohort, make_org("أ", province="03.131"))
    assert failures(cohort, make_org("ب", province=other.code))


def test_women_led_and_youth_led(cohort, make_org):
    cohort.women_led_only = True
    assert failures(cohort, make_org("أ", women_led=False))
    assert not failures(cohort, make_org("ب", women_led=True))
    cohort.women_led_only, cohort.youth_led_only = False, True
    assert failures(cohort, make_org("ج", members_total=10, members_youth=5))  # half is not more than half
    assert not failures(cohort, make_org("د", members_total=10, members_youth=6))
    assert failures(cohort, make_org("ه"))  # no figures in the registry


def test_another_region(cohort, make_org):
    assert failures(cohort, make_org("تعاونية مراكشية", province="07.041"))


def test_youth_led_reads_the_registry_figures(make_org):
    assert is_youth_led(make_org("أ", members_total=3, members_youth=2))
    assert not is_youth_led(make_org("ب", members_total=0, members_youth=0))

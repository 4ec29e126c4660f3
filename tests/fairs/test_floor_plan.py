"""The floor plan: grids of stands, the staff editor, the SVG map (valid XML, escaped text, a link per
stand to its exhibitors, labels in their own direction), the public map's rules, and who may do what."""

import xml.etree.ElementTree as ET
from pathlib import Path

import pytest
from django.urls import reverse
from django_scopes import scopes_disabled

from tadamon.core.models import ActivityLog
from tadamon.fairs import floor_services, placement
from tadamon.fairs.floor_models import Area, PlanSpace, Stand
from tadamon.fairs.floorplan import GridSpec, render_svg, stand_numbers, text_dir
from tadamon.fairs.models import Edition

from .floor_fixtures import arabic, fair_fixture  # noqa: F401

SVG = "{http://www.w3.org/2000/svg}"


def _svg_of(html):
    start, end = html.index("<svg"), html.index("</svg>") + len("</svg>")
    return ET.fromstring(html[start:end])


def _stands(root):
    return [a for a in root.iter(f"{SVG}a") if "stand" in a.get("class", "").split()]


def _publish(fair, actor):
    placement.start_run(actor, fair["edition"], time_limit=10)
    placement.publish(actor, fair["edition"], base_url="http://testserver")


# ---- grids -----------------------------------------------------------------------------------------

def test_grid_back_to_back_rows_and_cross_aisles():
    spec = GridSpec(rows=4, columns=6, stand_width=3, stand_depth=2.5, aisle=3, x=1, y=2, cross_aisle_every=3)
    cells = spec.cells(origin_x=10, origin_y=20)
    assert len(cells) == 24 == spec.count
    ys = sorted({c["y"] for c in cells})
    # rows 0 and 1 back to back, then an aisle, rows 2 and 3 back to back
    assert ys == [22, 24.5, 30, 32.5]
    xs = sorted({c["x"] for c in cells})
    # three stands, a cross aisle, three stands
    assert xs == [11, 14, 17, 23, 26, 29]
    assert spec.width == 6 * 3 + 3 and spec.depth == 4 * 2.5 + 3
    corners = {c["column"] for c in cells if c["corner"]}
    assert corners == {0, 2, 3, 5}


def test_grid_single_rows_have_an_aisle_each():
    spec = GridSpec(rows=3, columns=2, stand_width=2, stand_depth=2, aisle=1.5, back_to_back=False)
    assert sorted({c["y"] for c in spec.cells()}) == [0, 3.5, 7]
    assert spec.depth == 3 * 2 + 2 * 1.5
    assert all(c["corner"] for c in spec.cells())  # two stands per row: both end the row


def test_stand_numbers_are_padded():
    assert stand_numbers("P", 1, 130)[:2] == ["P001", "P002"]
    assert stand_numbers("P", 1, 130)[-1] == "P130"
    assert stand_numbers("", 1, 9) == [f"0{n}" for n in range(1, 10)]


def test_generate_grid_lays_stands_in_the_area_and_logs_it(fair, fes_staff):
    edition, hall = fair["edition"], fair["hall"]
    n = floor_services.generate_grid(fes_staff, edition, pole=fair["products"], area=hall, prefix="Q", start=1,
                                     capacity=3, power=False, spec=GridSpec(rows=2, columns=3, x=2, y=14))
    assert n == 6
    with scopes_disabled():
        stands = list(Stand.objects.filter(edition=edition, number__startswith="Q").order_by("number"))
        assert [s.number for s in stands] == ["Q01", "Q02", "Q03", "Q04", "Q05", "Q06"]
        assert all(s.capacity == 3 and not s.power and s.area_id == hall.pk for s in stands)
        assert stands[0].x == hall.x + 2 and stands[0].y == hall.y + 14
        assert ActivityLog.objects.filter(action="floor.grid_generated").count() == 3


@pytest.mark.usefixtures("english")
@pytest.mark.parametrize("kwargs, message", [
    ({"spec": GridSpec(rows=2, columns=20, x=2, y=14), "prefix": "Z"}, "does not fit"),
    ({"spec": GridSpec(rows=1, columns=2, x=2, y=2), "prefix": "Z"}, "overlap"),
    ({"spec": GridSpec(rows=1, columns=2, x=2, y=14), "prefix": "P"}, "already used"),
])
def test_bad_grids_are_refused_and_change_nothing(fair, fes_staff, kwargs, message):
    edition = fair["edition"]
    with scopes_disabled():
        before = Stand.objects.filter(edition=edition).count()
    with pytest.raises(floor_services.PlanError) as error:
        floor_services.generate_grid(fes_staff, edition, pole=fair["products"], area=fair["hall"], **kwargs)
    assert message in str(error.value)
    with scopes_disabled():
        assert Stand.objects.filter(edition=edition).count() == before


# ---- the staff editor ------------------------------------------------------------------------------

@pytest.mark.usefixtures("english")
def test_editor_generates_a_grid_and_edits_a_stand(client, fair, fes_staff):
    edition = fair["edition"]
    client.force_login(fes_staff)
    url = reverse("fairs:manage_floor", args=[edition.pk])
    response = client.post(url, {
        "action": "grid", "grid-pole": fair["products"].pk, "grid-area": fair["hall"].pk, "grid-rows": 1,
        "grid-columns": 3, "grid-stand_width": 3, "grid-stand_depth": 3, "grid-aisle": 3, "grid-back_to_back": "on",
        "grid-cross_aisle_every": 0, "grid-x": 2, "grid-y": 18, "grid-prefix": "B", "grid-start": 1,
        "grid-capacity": 2, "grid-power": "on", "grid-step_free": "on"})
    assert response.status_code == 302
    with scopes_disabled():
        stand = Stand.objects.get(edition=edition, number="B01")
    page = client.get(f"{url}?stand={stand.pk}")
    assert page.status_code == 200 and 'name="stand-number"' in page.content.decode()
    data = {"action": "edit_stand", "stand-number": "B01", "stand-pole": fair["products"].pk,
            "stand-area": fair["hall"].pk, "stand-capacity": 3, "stand-corner": "on", "stand-power": "on",
            "stand-water": "on", "stand-step_free": "", "stand-zone": "", "stand-x": stand.x, "stand-y": stand.y,
            "stand-width": 3, "stand-depth": 3}
    assert client.post(f"{url}?stand={stand.pk}", data).status_code == 302
    with scopes_disabled():
        stand.refresh_from_db()
        assert stand.capacity == 3 and stand.water and not stand.step_free and stand.corner
        assert ActivityLog.objects.filter(action="floor.stand_saved").exists()
    # Bad input: a clear message, nothing changed, no 500.
    bad = {**data, "stand-capacity": -1}
    response = client.post(f"{url}?stand={stand.pk}", bad)
    assert response.status_code == 200 and response.context["stand_form"].errors
    overlapping = {**data, "stand-x": 2, "stand-y": 2}  # on top of P01
    response = client.post(f"{url}?stand={stand.pk}", overlapping)
    assert response.status_code == 200 and "overlap" in response.content.decode()
    with scopes_disabled():
        stand.refresh_from_db()
        assert stand.capacity == 3 and stand.y == 18


@pytest.mark.usefixtures("english")
def test_editor_adds_areas_and_spaces_and_refuses_deleting_an_occupied_stand(client, fair, fes_staff):
    edition = fair["edition"]
    client.force_login(fes_staff)
    url = reverse("fairs:manage_floor", args=[edition.pk])
    assert client.post(url, {"action": "add_area", "area-name_ar": "الساحة", "area-name_fr": "Esplanade",
                             "area-x": 45, "area-y": 0, "area-width": 20, "area-depth": 10}).status_code == 302
    assert client.post(url, {"action": "add_space", "space-kind": "prayer", "space-name_ar": "", "space-name_fr": "",
                             "space-area": "", "space-x": 46, "space-y": 1, "space-width": 4,
                             "space-depth": 3}).status_code == 302
    with scopes_disabled():
        assert Area.objects.filter(edition=edition, name_fr="Esplanade").exists()
        assert PlanSpace.objects.filter(edition=edition, kind="prayer").exists()
    _publish(fair, fes_staff)
    with scopes_disabled():
        occupied = Stand.objects.filter(edition=edition, assignments__isnull=False).first()
    response = client.post(f"{url}?stand={occupied.pk}", {"action": "delete_stand"}, follow=True)
    assert "move them" in response.content.decode()
    with scopes_disabled():
        assert Stand.objects.filter(pk=occupied.pk).exists()


# ---- the SVG -------------------------------------------------------------------------------------

def test_map_svg_is_valid_xml_and_each_stand_links_to_its_exhibitors(client, fair, fes_staff):
    edition = fair["edition"]
    _publish(fair, fes_staff)
    page = client.get(reverse("fairs:map", args=[edition.pk]))
    assert page.status_code == 200
    root = _svg_of(page.content.decode())
    assert root.get("viewBox")
    links = _stands(root)
    with scopes_disabled():
        stands = {s.pk: s for s in Stand.objects.filter(edition=edition)}
    assert len(links) == len(stands) == 9
    for link in links:
        stand = stands[int(link.get("data-stand"))]
        assert link.get("href") == reverse("fairs:map_stand", args=[edition.pk, stand.pk])
        with scopes_disabled():
            names = [a.application.organization.name_ar for a in stand.assignments.select_related(
                "application__organization")]
        detail = client.get(link.get("href")).content.decode()
        for name in names:
            assert name in detail
    standalone = client.get(reverse("fairs:map_svg", args=[edition.pk]))
    assert standalone["Content-Type"].startswith("image/svg+xml")
    root = ET.fromstring(standalone.content)
    assert len(_stands(root)) == 9


def test_svg_escapes_every_text():
    from tadamon.fairs.floorplan import PlanItem

    evil = '<script>alert("x")</script> & "quotes"'
    svg = render_svg(areas=[PlanItem(1, 0, 0, 10, 10, evil)],
                     spaces=[PlanItem(2, 1, 1, 3, 3, evil, kind="stage\"><x", title=evil)],
                     stands=[PlanItem(3, 5, 5, 3, 3, "P01", href='/x?a=1&b="2"', title=evil)], title=evil)
    root = ET.fromstring(svg)
    texts = [t.text for t in root.iter(f"{SVG}text")]
    assert evil in texts
    assert "<script>" not in svg
    assert root.find(f"{SVG}a").get("href") == '/x?a=1&b="2"'


def test_labels_read_in_their_own_direction(client, fair, fes_staff):
    assert text_dir("قاعة الصلاة") == "rtl" and text_dir("Salle de prière") == "ltr" and text_dir("P01") == "ltr"
    edition = fair["edition"]
    for language, direction in (("ar", "rtl"), ("fr", "ltr")):
        page = client.get(f"/{language}/fairs/{edition.pk}/map/")
        root = _svg_of(page.content.decode())
        area_label = next(t for t in root.iter(f"{SVG}text") if "area-label" in t.get("class"))
        assert area_label.get("direction") == direction
        assert area_label.text == ("الخيمة الكبرى" if language == "ar" else "Grand chapiteau")
        stand_label = next(t for t in root.iter(f"{SVG}text") if "stand-label" in t.get("class"))
        assert stand_label.get("direction") == "ltr"


def test_the_map_prints_on_a3_and_scrolls_at_360px():
    css = (Path(__file__).resolve().parents[2] / "src/tadamon/fairs/static/fairs/floor.css").read_text()
    assert "@page { size: A3 landscape" in css
    assert ".floor-map" in css and "overflow: auto" in css


# ---- the public map ------------------------------------------------------------------------------

def test_map_is_public_only_once_the_selection_is_published(client, fair):
    edition = fair["edition"]
    url = reverse("fairs:map", args=[edition.pk])
    assert client.get(url).status_code == 200
    with scopes_disabled():
        Edition.objects.filter(pk=edition.pk).update(selection_published_at=None)
    assert client.get(url).status_code == 404
    with scopes_disabled():
        Edition.objects.filter(pk=edition.pk).update(status=Edition.Status.DRAFT)
    assert client.get(url).status_code == 404
    assert client.get(reverse("fairs:map_svg", args=[edition.pk])).status_code == 404


def test_exhibitors_show_only_once_placements_are_published(client, fair, fes_staff):
    edition = fair["edition"]
    placement.start_run(fes_staff, edition, time_limit=10)
    name = fair["applications"][0].organization.name_ar
    with scopes_disabled():
        stand = fair["applications"][0].stand_assignment.stand
    page = client.get(reverse("fairs:map_stand", args=[edition.pk, stand.pk])).content.decode()
    assert name not in page
    placement.publish(fes_staff, edition)
    page = client.get(reverse("fairs:map_stand", args=[edition.pk, stand.pk])).content.decode()
    assert name in page


def test_search_lights_up_the_stands_of_matching_exhibitors(client, fair, fes_staff):
    edition = fair["edition"]
    _publish(fair, fes_staff)
    honey = fair["applications"][3]
    with scopes_disabled():
        stand_id = honey.stand_assignment.stand_id
    # "العسل" typed without the article and with a taa marbuta variant still matches (normalized search)
    page = client.get(reverse("fairs:map", args=[edition.pk]), {"q": "عسل"})
    root = _svg_of(page.content.decode())
    lit = [int(a.get("data-stand")) for a in _stands(root) if "match" in a.get("class").split()]
    assert lit == [stand_id]
    assert honey.organization.name_ar in page.content.decode()
    nothing = client.get(reverse("fairs:map", args=[edition.pk]), {"q": "zzzz"})
    assert not [a for a in _stands(_svg_of(nothing.content.decode())) if "match" in a.get("class")]


def test_a_stand_url_centres_the_map_on_it(client, fair, fes_staff):
    edition = fair["edition"]
    _publish(fair, fes_staff)
    with scopes_disabled():
        stand = Stand.objects.filter(edition=edition, number="P03").get()
    page = client.get(reverse("fairs:map_stand", args=[edition.pk, stand.pk]))
    html = page.content.decode()
    assert f'data-focus="stand-{stand.pk}"' in html
    root = _svg_of(html)
    selected = [a for a in _stands(root) if "selected" in a.get("class").split()]
    assert [int(a.get("data-stand")) for a in selected] == [stand.pk]
    panel = client.get(reverse("fairs:map_stand", args=[edition.pk, stand.pk]), {"panel": "1"})
    assert panel.status_code == 200 and "<html" not in panel.content.decode()
    assert client.get(reverse("fairs:map_stand", args=[edition.pk, 999999])).status_code == 404


def test_edition_pages_link_to_the_map(client, fair, fes_staff):
    edition = fair["edition"]
    map_url = reverse("fairs:map", args=[edition.pk])
    assert map_url in client.get(reverse("fairs:edition", args=[edition.pk])).content.decode()
    client.force_login(fes_staff)
    admin = client.get(reverse("fairs:manage_edition", args=[edition.pk])).content.decode()
    assert map_url in admin and reverse("fairs:manage_floor", args=[edition.pk]) in admin
    assert reverse("fairs:manage_checkin", args=[edition.pk]) in admin


# ---- permissions ---------------------------------------------------------------------------------

STAFF_PAGES = ["manage_floor", "manage_allocation", "manage_documents", "manage_checkin", "manage_checkin_presence"]
STAFF_POSTS = [
    ("manage_floor", {"action": "add_area", "area-name_ar": "س", "area-name_fr": "S", "area-x": 50, "area-y": 50,
                      "area-width": 5, "area-depth": 5}),
    ("manage_allocation_action", {"action": "run"}),
    ("manage_documents_start", {"kind": "badges"}),
    ("manage_checkin_scan", {"code": "ABCDEFGHJKMN", "direction": "arrival"}),
]


@pytest.mark.parametrize("name", STAFF_PAGES)
def test_staff_pages_permission_matrix(client, fair, name, fes_staff, fes_partner, marrakech_staff, national_admin,
                                       applicant_user):
    url = reverse(f"fairs:{name}", args=[fair["edition"].pk])
    assert client.get(url).status_code == 302  # anonymous: to the log-in page
    for user, status in ((applicant_user, 403), (marrakech_staff, 404), (fes_partner, 200), (fes_staff, 200),
                         (national_admin, 200)):
        client.force_login(user)
        assert client.get(url).status_code == status, (user, name)


@pytest.mark.parametrize("name, data", STAFF_POSTS)
def test_staff_changes_permission_matrix(client, fair, name, data, fes_partner, marrakech_staff, applicant_user):
    url = reverse(f"fairs:{name}", args=[fair["edition"].pk])
    assert client.post(url, data).status_code == 302 and "login" in client.post(url, data)["Location"]
    for user, status in ((applicant_user, 403), (fes_partner, 403), (marrakech_staff, 404)):
        client.force_login(user)
        assert client.post(url, data).status_code == status, (user, name)
    with scopes_disabled():
        assert not Area.objects.filter(name_fr="S").exists()
        assert not fair["edition"].allocation_runs.exists() and not fair["edition"].document_jobs.exists()


@pytest.fixture
def applicant_user(fair):
    """The representative of the first exhibitor: no staff role."""
    from tadamon.registry.models import Representation

    with scopes_disabled():
        return Representation.objects.filter(organization=fair["applications"][0].organization).get().user

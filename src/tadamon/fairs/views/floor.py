"""The floor plan: the public interactive map (a stand's exhibitors and products, a search that lights up
stands, a URL per stand) and the staff editor (areas, grids of stands, stands one by one, spaces).

The map is public once the edition's selection is published; the exhibitors appear on it once staff
publish the placements. Staff screens follow the fairs' rule: region staff change, partner viewers read,
another region's edition is a 404.
"""

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import path, reverse
from django.utils.translation import gettext as _
from django_scopes import scopes_disabled

from tadamon.core.decorators import permission_required, public
from tadamon.core.text import normalize

from .. import floor_services as plan
from ..floor_forms import AreaForm, GridForm, SpaceForm, StandForm
from ..floor_models import Area, PlanSpace, Stand
from ..models import Edition
from .manage import VIEW, _edition

POLE_PALETTE = range(7)


# ---- public map ----------------------------------------------------------------------------------

def _public_edition(pk):
    """An edition whose selection is published (others, drafts included, are 404)."""
    with scopes_disabled():
        edition = get_object_or_404(Edition.objects.select_related("region").exclude(status=Edition.Status.DRAFT),
                                    pk=pk)
    if edition.selection_published_at is None:
        raise Http404
    return edition


def _matches(query, data):
    """Stand ids whose exhibitors match ``query`` (organization or product names, Arabic or French,
    spelled loosely: the registry's normalization), with the matching exhibitors."""
    words = normalize(query).split()
    if not words:
        return set(), []
    hits, found = set(), []
    with scopes_disabled():
        for stand_id, assignments in data["placements"].items():
            for assignment in assignments:
                organization = assignment.application.organization
                text = organization.search_name + " " + " ".join(
                    p.search_name for p in assignment.application.products.all())
                if all(word in text for word in words):
                    hits.add(stand_id)
                    found.append(assignment)
    return hits, found


def _stand_panel(edition, stand, data, published):
    assignments = data["placements"].get(stand.pk, []) if published else []
    exhibitors = []
    with scopes_disabled():
        for assignment in assignments:
            application = assignment.application
            products = [p for p in application.products.all() if p.is_active]
            exhibitors.append({"organization": application.organization, "products": products,
                               "province": application.organization.province})
    return {"stand": stand, "exhibitors": exhibitors, "published": published}


@public
def public_map(request, pk, stand_pk=None):
    edition = _public_edition(pk)
    data = plan.plan_data(edition)
    published = plan.placements_published(edition)
    if not published:
        data["placements"] = {}
    stand = None
    if stand_pk is not None:
        stand = next((s for s in data["stands"] if s.pk == stand_pk), None)
        if stand is None:
            raise Http404
    query = request.GET.get("q", "").strip()[:100]
    highlight, found = _matches(query, data) if query and published else (set(), [])
    if stand is not None:
        highlight.add(stand.pk)
    panel = _stand_panel(edition, stand, data, published) if stand is not None else None
    if request.GET.get("panel") == "1":
        return render(request, "fairs/floor/_stand_panel.html", {"edition": edition, "panel": panel})

    def href(s):
        return reverse("fairs:map_stand", args=[edition.pk, s.pk])

    svg = plan.plan_svg(edition, data, href=href, highlight=highlight,
                        selected=stand.pk if stand else None, show_occupants=published)
    return render(request, "fairs/floor/map.html", {
        "edition": edition, "svg": svg, "panel": panel, "query": query, "found": found, "published": published,
        "poles": [(i % 7, p) for i, p in enumerate(data["poles"]) if any(s.pole_id == p.pk for s in data["stands"])],
        "has_plan": bool(data["stands"] or data["areas"]), "focus": f"stand-{stand.pk}" if stand else "",
        "stand_rows": [(s, [str(a.application.organization.name) for a in data["placements"].get(s.pk, [])])
                       for s in data["stands"]],
    })


@public
def public_map_svg(request, pk):
    """The plan alone, as an SVG file (to download, print or embed)."""
    edition = _public_edition(pk)
    data = plan.plan_data(edition)
    published = plan.placements_published(edition)
    if not published:
        data["placements"] = {}
    svg = plan.plan_svg(edition, data, href=lambda s: request.build_absolute_uri(
        reverse("fairs:map_stand", args=[edition.pk, s.pk])), show_occupants=published)
    response = HttpResponse('<?xml version="1.0" encoding="UTF-8"?>\n' + svg, content_type="image/svg+xml")
    response["Content-Disposition"] = f'inline; filename="tadamon-plan-{edition.pk}.svg"'
    return response


# ---- staff editor --------------------------------------------------------------------------------

def _form_errors(form):
    return "; ".join(f"{form.fields[f].label if f in form.fields else ''}: {' '.join(e)}".lstrip(": ")
                     for f, e in form.errors.items())


def _selected(request, edition, model, key):
    value = request.GET.get(key) or request.POST.get(key)
    if not value or not str(value).isdigit():
        return None
    return get_object_or_404(model.objects.filter(edition=edition), pk=int(value))


@permission_required(VIEW)
def editor(request, pk):
    edition = _edition(request, pk)
    can_manage = request.user.has_perm("fairs.manage_edition", edition)
    stand = _selected(request, edition, Stand, "stand")
    area = _selected(request, edition, Area, "area")
    space = _selected(request, edition, PlanSpace, "space")
    forms = {
        "area_form": AreaForm(prefix="area"), "grid_form": GridForm(prefix="grid", edition=edition),
        "stand_form": StandForm(prefix="stand", edition=edition, instance=stand),
        "new_stand_form": StandForm(prefix="new", edition=edition),
        "space_form": SpaceForm(prefix="space", edition=edition, instance=space),
        "edit_area_form": AreaForm(prefix="edit_area", instance=area) if area else None,
    }
    if request.method == "POST":
        if not can_manage:
            raise PermissionDenied
        response, bound = _editor_post(request, edition, stand, area, space)
        if response is not None:
            return response
        forms.update(bound)
    data = plan.plan_data(edition)

    def href(s):
        return f"{reverse('fairs:manage_floor', args=[edition.pk])}?stand={s.pk}#editor-panel"

    svg = plan.plan_svg(edition, data, href=href, selected=stand.pk if stand else None,
                        title=_("Floor plan") + " · " + str(edition.title))
    return render(request, "fairs/floor/editor.html", {
        "edition": edition, "svg": svg, "can_manage": can_manage, "stand": stand, "area": area, "space": space,
        "summary": plan.pole_summary(edition, data), "areas": data["areas"], "spaces": data["spaces"],
        "occupants": data["placements"].get(stand.pk, []) if stand else [],
        "public": edition.selection_published_at is not None and edition.status != Edition.Status.DRAFT,
        "placements_published": plan.placements_published(edition), **forms,
    })


def _editor_post(request, edition, stand, area, space):
    """Run the posted action; returns (redirect or None, bound forms to show again with their errors)."""
    action = request.POST.get("action", "")
    base = reverse("fairs:manage_floor", args=[edition.pk])
    bound = {}
    try:
        if action == "add_area":
            form = AreaForm(request.POST, prefix="area")
            bound = {"area_form": form}
            if form.is_valid():
                plan.save_area(request.user, edition, form.save(commit=False), request=request)
                messages.success(request, _("The area is added."))
                return redirect(base), {}
            return None, {"area_form": form}
        if action == "edit_area" and area is not None:
            form = AreaForm(request.POST, prefix="edit_area", instance=area)
            bound = {"edit_area_form": form}
            if form.is_valid():
                plan.save_area(request.user, edition, form.save(commit=False), request=request)
                messages.success(request, _("Saved."))
                return redirect(f"{base}?area={area.pk}#editor-panel"), {}
            return None, {"edit_area_form": form}
        if action == "delete_area" and area is not None:
            plan.delete_area(request.user, area, request=request)
            messages.success(request, _("The area is deleted; its stands and spaces stay on the plan."))
            return redirect(base), {}
        if action == "grid":
            form = GridForm(request.POST, prefix="grid", edition=edition)
            bound = {"grid_form": form}
            if form.is_valid():
                c = form.cleaned_data
                n = plan.generate_grid(
                    request.user, edition, pole=c["pole"], spec=plan.grid_spec_from(c), area=c["area"],
                    prefix=c["prefix"] or "", start=c["start"], capacity=c["capacity"], power=c["power"],
                    water=c["water"], step_free=c["step_free"], zone=c["zone"], request=request)
                messages.success(request, _("%(n)s stands are added to the plan.") % {"n": n})
                return redirect(base), {}
            return None, {"grid_form": form}
        if action == "add_stand":
            form = StandForm(request.POST, prefix="new", edition=edition)
            bound = {"new_stand_form": form}
            if form.is_valid():
                new = plan.save_stand(request.user, edition, form.save(commit=False), request=request)
                messages.success(request, _("The stand is added."))
                return redirect(f"{base}?stand={new.pk}#editor-panel"), {}
            return None, {"new_stand_form": form}
        if action == "edit_stand" and stand is not None:
            form = StandForm(request.POST, prefix="stand", edition=edition, instance=stand)
            bound = {"stand_form": form}
            if form.is_valid():
                plan.save_stand(request.user, edition, form.save(commit=False), request=request)
                messages.success(request, _("Saved."))
                return redirect(f"{base}?stand={stand.pk}#editor-panel"), {}
            return None, {"stand_form": form}
        if action == "delete_stand" and stand is not None:
            plan.delete_stand(request.user, stand, request=request)
            messages.success(request, _("The stand is deleted."))
            return redirect(base), {}
        if action in ("add_space", "edit_space"):
            instance = space if action == "edit_space" else None
            form = SpaceForm(request.POST, prefix="space", edition=edition, instance=instance)
            bound = {"space_form": form}
            if form.is_valid():
                saved = plan.save_space(request.user, edition, form.save(commit=False), request=request)
                messages.success(request, _("Saved."))
                return redirect(f"{base}?space={saved.pk}#editor-panel"), {}
            return None, {"space_form": form}
        if action == "delete_space" and space is not None:
            plan.delete_space(request.user, space, request=request)
            messages.success(request, _("The space is deleted."))
            return redirect(base), {}
    except plan.PlanError as error:
        messages.error(request, str(error))
        return None, bound
    messages.error(request, _("Unknown action: nothing was changed."))
    return redirect(base), {}


urlpatterns = [
    path("fairs/<int:pk>/map/", public_map, name="map"),
    path("fairs/<int:pk>/map/<int:stand_pk>/", public_map, name="map_stand"),
    path("fairs/<int:pk>/map.svg", public_map_svg, name="map_svg"),
    path("manage/fairs/<int:pk>/floor/", editor, name="manage_floor"),
]

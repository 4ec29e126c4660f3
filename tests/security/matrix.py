"""The machinery of the permission matrix: every URL of the URL configuration, filled with real
objects of two regions, requested by every role.

Nothing here knows an app: the URLs come from the resolver, the objects from the demo loaders that
every app registers (``tadamon.core.signals.demo_loaders``), the expectations from the
``tadamon_access`` attribute set by ``tadamon.core.decorators``. A new app's views are covered as
soon as their URLs are included and their demo data loads.

To tell which model a URL's ``<int:pk>`` names without knowing the app, every table's primary-key
sequence starts at its own base before the demo data is loaded (model number × ``PK_STRIDE``): a
number then belongs to one row of one table, and a probe by the national administrator that does
not answer 404 has found that row.
"""

import re
from dataclasses import dataclass, field

from django.apps import apps
from django.db import connection, models
from django.urls import URLPattern, URLResolver, get_resolver

PK_STRIDE = 10_000_000


@dataclass
class Route:
    name: str  # "namespace:name"
    route: str  # the pattern's text, for messages
    callback: object
    converters: dict = field(default_factory=dict)  # kwarg -> converter class name ("int", "str", ...)
    patterns: dict = field(default_factory=dict)  # kwarg -> the converter's regular expression

    @property
    def access(self):
        return getattr(self.callback, "tadamon_access", None) or getattr(
            getattr(self.callback, "view_class", None), "tadamon_access", None)


def our_routes():
    """Every URL pattern whose view is ours (Django's admin, the API and static files are checked
    elsewhere), with its namespaced name and its keyword arguments' converters."""
    found = []

    def walk(patterns, namespaces, prefix):
        for p in patterns:
            if isinstance(p, URLResolver):
                ns = namespaces + ([p.namespace] if p.namespace else [])
                walk(p.url_patterns, ns, prefix + str(p.pattern))
                continue
            assert isinstance(p, URLPattern)
            if not getattr(p.callback, "__module__", "").startswith("tadamon"):
                continue
            converters = {k: type(c).__name__.replace("Converter", "").lower()
                          for k, c in getattr(p.pattern, "converters", {}).items()}
            patterns = {k: c.regex for k, c in getattr(p.pattern, "converters", {}).items()}
            name = ":".join(namespaces + [p.name or ""])
            found.append(Route(name, prefix + str(p.pattern), p.callback, converters, patterns))

    walk(get_resolver().url_patterns, [], "")
    return found


def our_models():
    """Our concrete models with an auto-incremented primary key, in a stable order."""
    result = []
    for model in apps.get_models():
        if not model.__module__.startswith("tadamon") or model._meta.proxy:
            continue
        if isinstance(model._meta.pk, models.AutoField | models.BigAutoField | models.SmallAutoField):
            result.append(model)
    return sorted(result, key=lambda m: m._meta.label)


def give_each_table_its_own_numbers():
    """Start every table's sequence at its own base, so that a primary key names one row."""
    with connection.cursor() as cursor:
        for number, model in enumerate(our_models(), start=1):
            table, column, base = model._meta.db_table, model._meta.pk.column, number * PK_STRIDE
            if connection.vendor == "postgresql":
                cursor.execute("SELECT setval(pg_get_serial_sequence(%s, %s), %s)",
                               [connection.ops.quote_name(table), column, base])
            elif connection.vendor == "sqlite":
                cursor.execute("UPDATE sqlite_sequence SET seq = %s WHERE name = %s", [base, table])
                if cursor.rowcount == 0:
                    cursor.execute("INSERT INTO sqlite_sequence (name, seq) VALUES (%s, %s)", [table, base])
            else:  # pragma: no cover
                raise NotImplementedError(connection.vendor)


def region_of(obj, depth=2):
    """The region an object belongs to: its own ``region``, else its parent's (one or two foreign
    keys up: a pole's edition, a photo's product); None for objects of no region."""
    if obj is None:
        return None
    if obj._meta.model_name == "region" and obj._meta.app_label == "core":
        return obj.pk
    if getattr(obj, "region_id", None):
        return obj.region_id
    if depth == 0:
        return None
    for f in obj._meta.concrete_fields:
        target = f.related_model
        if f.many_to_one and target.__module__.startswith("tadamon") and target._meta.app_label != "accounts":
            parent_region = region_of(getattr(obj, f.name), depth - 1)
            if parent_region:
                return parent_region
    return None


def _words(text):
    return {w[:-1] if w.endswith("s") else w for w in re.split(r"[^a-z]+", text.lower()) if len(w) > 2}


def _hints(route, kwarg):
    before = re.split(r"<[^>]*\b" + re.escape(kwarg) + ">", route.route)[0]
    segment = [s for s in before.split("/") if s and "<" not in s][-1:] or [""]
    hints = _words(kwarg.replace("_pk", "")) | _words(segment[0])
    if list(route.converters) == [kwarg]:
        hints |= _words(route.name.split(":")[-1]) - {"manage", "new", "add", "edit"}
    return hints


def _hinted(models_, hints):
    return [m for m in models_ if any(h in m._meta.model_name or m._meta.model_name in h for h in hints)]


def models_in_likely_order(route, kwarg):
    """Models whose name resembles the argument's name or the URL's word just before it come first;
    for the first of several arguments, the parents of the next argument's likely models."""
    everything = our_models()
    names = list(route.converters)
    first = _hinted(everything, _hints(route, kwarg))
    if kwarg == names[0] and len(names) > 1:
        children = _hinted(everything, _hints(route, names[1]))
        parents = [f.related_model for m in children for f in m._meta.concrete_fields
                   if f.many_to_one and f.related_model in everything]
        first = list(dict.fromkeys(parents + first))
    return first + [m for m in everything if m not in first]


def _instances(model, region, anchor=None, limit=3):
    """A few rows of ``model`` in ``region`` (None: any), numbered after the tables' bases; with an
    ``anchor``, rows that point to it (a session of an edition) or other rows of its model."""
    qs = model._base_manager.filter(pk__gte=PK_STRIDE).order_by("pk")
    if anchor is not None:
        if model is type(anchor):
            qs = qs.exclude(pk=anchor.pk)
        else:
            fks = [f.name for f in model._meta.concrete_fields if f.many_to_one and f.related_model is type(anchor)]
            if fks:  # else rows of the same region (a speaker of the region's programmes)
                qs = qs.filter(**{fks[0]: anchor})
    if region is None:
        return list(qs[:limit])
    if any(f.name == "region" and f.many_to_one for f in model._meta.concrete_fields):
        return list(qs.filter(region_id=region)[:limit])
    return [obj for obj in qs[:30] if region_of(obj) == region][:limit]


def _text_candidates(kwarg, region):
    """Values for a text argument: the same-named field of any model (``code``, ``token``)."""
    from tadamon.core.models import Region

    values = []
    if kwarg == "code":
        values += [(r.code, r) for r in Region.objects.filter(pk=region)] if region else []
    for model in our_models():
        names = {f.name for f in model._meta.concrete_fields}
        if kwarg in names and not model._meta.get_field(kwarg).is_relation:
            for obj in _instances(model, region):
                value = getattr(obj, kwarg)
                if value:
                    values.append((str(value), obj))
    return values


def kwarg_candidates(route, region, max_tries=25):
    """Keyword-argument sets to try for ``route``, with the objects they name, in likely order."""
    kwargs_names = list(route.converters)
    tries = 0

    def fill(index, chosen, objects):
        nonlocal tries
        if index == len(kwargs_names):
            tries += 1
            yield dict(chosen), list(objects)
            return
        kwarg = kwargs_names[index]
        if route.converters[kwarg] == "int":
            anchor = objects[0] if objects else None
            pairs = ((obj.pk, obj) for model in models_in_likely_order(route, kwarg)
                     for obj in _instances(model, region, anchor))
        else:  # values the converter accepts (an "action" slug is not an activity's "role.granted")
            pairs = ((value, obj) for value, obj in _text_candidates(kwarg, region)
                     if re.fullmatch(route.patterns[kwarg], value))
        for value, obj in pairs:
            if tries >= max_tries:
                return
            yield from fill(index + 1, {**chosen, kwarg: value}, [*objects, obj])

    yield from fill(0, {}, [])

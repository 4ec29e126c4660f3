"""Open data: the aggregated indicators of the registry and of the fairs, as JSON and CSV.

Aggregates only (counts, sums, shares by country, region, province and year): never a person, an
organization's own sales or any contact. The data dictionary is in the JSON answer and on the public
page /ar/open-data/; the contract is in docs/api.md.
"""

import csv
import io

from django.core.cache import cache
from django.http import HttpResponse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import override
from django.views.decorators.cache import cache_control
from ninja import Query, Router, Schema
from ninja.errors import HttpError

from tadamon.core.models import Region
from tadamon.insights import indicators

from . import schemas
from .registry import ERRORS, REGION_PATTERN

router = Router(tags=["open data"])
router.add_decorator(cache_control(public=True, max_age=60), mode="view")

LICENCE = "Licence Ouverte / Open Licence 2.0 (Etalab) — cite “Tadamon” and the date of the data"
FIELDS = ["level", "code", "name_ar", "name_fr", "year", "indicator", "value"]
REGION = Query("", pattern=REGION_PATTERN, description="Region code, e.g. `03`; empty: the country, every region "
                                                       "and every province.")


class IndicatorRow(Schema):
    level: str
    code: str
    name_ar: str
    name_fr: str
    year: int | str
    indicator: str
    value: float


class DictionaryEntry(Schema):
    indicator: str
    unit: str
    meaning: str


class Indicators(Schema):
    licence: str
    generated_at: str
    dictionary: list[DictionaryEntry]
    rows: list[IndicatorRow]


def _rows(region_code):
    region = None
    if region_code:
        region = Region.objects.filter(code=region_code).first()
        if region is None:
            raise HttpError(404, _("Region not found."))
    key = f"insights:open-data:{region_code or 'ma'}"
    rows = cache.get(key)
    if rows is None:
        with override("fr"):
            rows = indicators.open_data_rows(region)
        cache.set(key, rows, indicators.CACHE_SECONDS)
    return rows


@router.get("/indicators", operation_id="indicators", response={200: Indicators, 404: schemas.Error, **ERRORS},
            summary="Indicators (open data, JSON)",
            description="Aggregated figures by country, region, province and year, with the data dictionary "
                        "and the licence. Never personal data.")
def indicators_json(request, region: str = REGION):
    rows = _rows(region)
    with override("en"):
        dictionary = [{"indicator": k, "unit": str(unit), "meaning": str(meaning)}
                      for k, (unit, meaning) in indicators.DICTIONARY.items()]
    return {"licence": LICENCE, "generated_at": timezone.now().isoformat(timespec="seconds"),
            "dictionary": dictionary, "rows": rows}


@router.get("/indicators.csv", operation_id="indicators_csv", response={404: schemas.Error, **ERRORS},
            summary="Indicators (open data, CSV)",
            description="The rows of `/indicators` as CSV (UTF-8, comma-separated, one header line): "
                        + ", ".join(FIELDS) + ".",
            openapi_extra={"responses": {"200": {"description": "CSV",
                                                 "content": {"text/csv": {"schema": {"type": "string"}}}}}})
def indicators_csv(request, region: str = REGION):
    rows = _rows(region)
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=FIELDS)
    writer.writeheader()
    writer.writerows(rows)
    response = HttpResponse(out.getvalue(), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="tadamon-indicators{"-" + region if region else ""}.csv"'
    return response

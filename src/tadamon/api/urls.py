"""The public REST API v1 (django-ninja); OpenAPI at /api/v1/openapi.json, docs at /api/v1/docs.

The contract (paths, parameters, fields, errors) is written down in docs/api.md.
"""

from django.views.decorators.cache import cache_control
from ninja import NinjaAPI

from tadamon.core.decorators import public

from . import consult, docs, fairs, indicators, prizes, registry

DESCRIPTION = f"""\
The public data of Tadamon's registry of social and solidarity economy (SSE) organizations:
organizations, their products, regions and provinces; the editions of fairs and their exhibitors.

* **Anonymous and read-only**: no authentication, no key; only `GET`.
* **Public data only**: what the public directory shows. Inactive or merged organizations are
  absent; no representative, claim, document, user or contact person is ever exposed.
* Lists are paginated by **{registry.PAGE_SIZE}**: `page` starts at 1; responses are
  `{{"count": N, "items": [...]}}`.
* Errors: `422` for a malformed parameter (`{{"detail": [...]}}`), `404` for an unknown object
  (`{{"detail": "..."}}`).
* Responses may be cached for 60 seconds (`Cache-Control: public, max-age=60`).
"""


def docs_view(view):
    """The OpenAPI description and its docs page: public, cacheable for a minute."""
    return public(cache_control(public=True, max_age=60)(view))


api = NinjaAPI(
    title="Tadamon API",
    version="1",
    description=DESCRIPTION,
    urls_namespace="api-v1",
    docs=docs.LocalSwagger(),
    docs_decorator=docs_view,
    auth=None,
    # Anonymous access: no security requirement on any operation.
    openapi_extra={"security": []},
)
api.add_router("", registry.router)
api.add_router("", fairs.router)
api.add_router("", prizes.router)
api.add_router("", indicators.router)
api.add_router("", consult.router)
api.add_router("", docs.router)

urlpatterns = api.urls[0]

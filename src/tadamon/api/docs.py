"""The interactive API reference at /api/v1/docs, with nothing loaded from a CDN.

Swagger UI comes with the django-ninja package (``ninja/static/ninja``). Since ``ninja`` is not
an installed Django app, its static files are not collected; this module serves the few files
the page needs, by name, from the installed package.
"""

from pathlib import Path

import ninja
from django.http import FileResponse, HttpResponse
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils.translation import gettext as _
from ninja import Router
from ninja.errors import HttpError
from ninja.openapi.docs import DocsBase

NINJA_STATIC = Path(ninja.__file__).parent / "static" / "ninja"

#: The files the page uses, with their media types; nothing else is served.
ASSETS = {
    "swagger-ui.css": "text/css; charset=utf-8",
    "swagger-ui-bundle.js": "text/javascript; charset=utf-8",
    "swagger-ui-init.js": "text/javascript; charset=utf-8",
    "favicon.svg": "image/svg+xml",
    "favicon.png": "image/png",
}

router = Router()


@router.get("/docs/assets/{name}", include_in_schema=False, url_name="docs-asset")
def docs_asset(request, name: str):
    if name not in ASSETS or not (NINJA_STATIC / name).is_file():
        raise HttpError(404, _("Not found."))
    response = FileResponse((NINJA_STATIC / name).open("rb"), content_type=ASSETS[name])
    response["Cache-Control"] = "public, max-age=86400"
    return response


class LocalSwagger(DocsBase):
    """Swagger UI from the installed package instead of ninja's CDN template."""

    settings = {
        "layout": "BaseLayout",
        "deepLinking": True,
        "validatorUrl": None,  # the default calls validator.swagger.io
        "defaultModelsExpandDepth": 1,
    }

    def render_page(self, request, api, **kwargs):
        namespace = api.urls_namespace

        def asset(name):
            return reverse(f"{namespace}:docs-asset", kwargs={"name": name})

        context = {
            "api": api,
            "openapi_url": self.get_openapi_url(api, kwargs),
            "swagger_settings": {**self.settings, "url": self.get_openapi_url(api, kwargs)},
            "css_url": asset("swagger-ui.css"),
            "bundle_url": asset("swagger-ui-bundle.js"),
            "init_url": asset("swagger-ui-init.js"),
            "favicon_url": asset("favicon.svg"),
        }
        return HttpResponse(render_to_string("api/docs.html", context))

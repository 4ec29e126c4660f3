"""Property-based tests of the API against its own OpenAPI description (schemathesis).

Every operation gets generated requests, valid and invalid: none may answer 500 and every answer
must conform to the schema (status code, content type, body).
"""

import pytest
import schemathesis
from django.core import signals
from django.core.wsgi import get_wsgi_application
from django.db import close_old_connections
from hypothesis import HealthCheck, settings

schema = schemathesis.openapi.from_wsgi("/api/v1/openapi.json", get_wsgi_application())


@pytest.fixture(autouse=True)
def keep_the_test_connection():
    """Requests go through the real WSGI handler, which closes the database connection at the end
    of each request; that would end the test's transaction (PostgreSQL). Django's test client
    does the same as this fixture."""
    signals.request_started.disconnect(close_old_connections)
    signals.request_finished.disconnect(close_old_connections)
    yield
    signals.request_started.connect(close_old_connections)
    signals.request_finished.connect(close_old_connections)


@pytest.mark.django_db
@schema.parametrize()
@settings(max_examples=25, deadline=None, suppress_health_check=list(HealthCheck))
def test_api_conforms_to_its_schema(case, registry_data):
    case.call_and_validate()


@pytest.mark.django_db
def test_real_objects_conform_to_the_schema(registry_data):
    """Generated ids rarely hit a real organization: check each one and the searches that find them."""
    detail = schema["/api/v1/organizations/{id}"]["GET"]
    for key in ("argan", "honey", "pottery", "saffron", "closed", "duplicate"):
        response = detail.Case(path_parameters={"id": registry_data[key].pk}).call_and_validate()
        assert response.status_code == (404 if key in ("closed", "duplicate") else 200)
    organizations = schema["/api/v1/organizations"]["GET"]
    products = schema["/api/v1/products"]["GET"]
    for query in ({}, {"q": "argan"}, {"q": "زيت", "region": "03"}, {"sector": "handicrafts", "legal_form": ""}):
        assert organizations.Case(query=query).call_and_validate().json()["count"] > 0
    for query in ({}, {"q": "argan"}, {"q": "miel", "page": 1}):
        assert products.Case(query=query).call_and_validate().json()["count"] > 0

"""The API's side of the permission matrix: read from its own OpenAPI description, so that a new
endpoint is covered. The API is anonymous and read-only (docs/api.md): every operation is a GET,
writes are refused, and the answer does not depend on who is signed in (no session leaks data)."""

import pytest

from tadamon.api.urls import api


def _operations():
    schema = api.get_openapi_schema(path_prefix="/api/v1/")
    return [(path, method) for path, operations in schema["paths"].items() for method in operations]


def test_every_operation_is_a_read():
    operations = _operations()
    assert operations
    assert {method for _path, method in operations} == {"get"}


@pytest.mark.django_db
def test_answers_do_not_depend_on_who_asks(client, national_admin, fes_staff):
    paths = [path for path, _method in _operations() if "{" not in path]
    assert paths
    for path in paths:
        client.logout()
        anonymous = client.get(path)
        assert anonymous.status_code == 200, path
        assert client.post(path).status_code == 405, path
        for user in (national_admin, fes_staff):
            client.force_login(user)
            signed_in = client.get(path)
            assert (signed_in.status_code, signed_in.content) == (200, anonymous.content), path

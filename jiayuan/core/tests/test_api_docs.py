"""The interactive API docs: served from the platform's own static files, and to staff only."""

import pytest

pytestmark = pytest.mark.django_db


def test_the_docs_load_swagger_from_the_platform_not_a_cdn(world, as_role):
    page = as_role("town_clerk").get("/api/v1/docs")
    assert page.status_code == 200
    html = page.content.decode()
    assert "cdn.jsdelivr.net" not in html and "unpkg.com" not in html and "http" not in html.split("<body")[0]
    assert "/static/ninja/swagger-ui-bundle.js" in html


@pytest.mark.parametrize("persona", ["resident", "department_staff"])
def test_the_docs_are_not_for_residents_or_departments(world, as_role, persona):
    assert as_role(persona).get("/api/v1/docs").status_code == 404


def test_anonymous_callers_are_sent_to_log_in_and_the_openapi_document_stays_open(client, db):
    assert client.get("/api/v1/docs").status_code == 302
    assert client.get("/api/v1/openapi.json").status_code == 200

"""The queries of one intake, pinned: a resident's report with a photo through the page, and an Open311 post.
More queries than these fail the test; fewer mean the pin can come down (BENCHMARKS.md has the history)."""

import pytest
from django.urls import reverse

from jiayuan.appeals import apikeys
from jiayuan.appeals.models import Appeal, Category

from .conftest import png_bytes

pytestmark = pytest.mark.django_db

RESIDENT_INTAKE_QUERIES = 25  # 34 before the one intake rules and the foreign keys left to the database
OPEN311_INTAKE_QUERIES = 16  # 19 before


@pytest.fixture
def leaf(db):
    root = Category.objects.create(code="QCF", name="设施设备", level=1)
    middle = Category.objects.create(parent=root, code="QCF01", name="电梯", level=2)
    return Category.objects.create(parent=middle, code="QCF0101", name="电梯故障", level=3, deadline_days=3)


def photo():
    from django.core.files.uploadedfile import SimpleUploadedFile

    return SimpleUploadedFile("lift.png", png_bytes(), content_type="image/png")


def test_a_residents_report_with_a_photo(client, world, leaf, django_assert_max_num_queries):
    client.force_login(world.users["resident"])
    data = {
        "category": leaf.pk,
        "title": "电梯坏了",
        "description": "1号楼电梯停在三楼。",
        "compound": world.compound_a.pk,
        "building": world.building_a.pk,
        "room": world.rooms_a[0].pk,
        "photos": photo(),
    }
    with django_assert_max_num_queries(RESIDENT_INTAKE_QUERIES):
        response = client.post(reverse("appeals:intake"), data)
    assert response.status_code == 302
    assert Appeal.objects.get(title="电梯坏了").photos.count() == 1


def test_an_open311_post(client, world, leaf, django_assert_max_num_queries):
    key = apikeys.apikey_create(actor=None, name="queries")[1]
    body = {"api_key": key, "service_code": "QCF0101", "address_id": world.compound_a.code, "description": "电梯停了"}
    with django_assert_max_num_queries(OPEN311_INTAKE_QUERIES):
        response = client.post("/open311/v2/requests.json", body)
    assert response.status_code == 200, response.content  # GeoReport v2 answers a post with 200
    assert Appeal.objects.filter(channel=Appeal.Channel.OPEN311, compound=world.compound_a).count() == 1

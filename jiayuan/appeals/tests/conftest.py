"""The appeals cast on top of the persona world: a water department with its staff, a second resident,
the dispatch catalogue, and a helper that files a resident's appeal in 金利花园 (C0001)."""

from __future__ import annotations

import datetime as dt
import io
import itertools
from types import SimpleNamespace

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from jiayuan.appeals import services
from jiayuan.appeals.models import Appeal, Category
from jiayuan.appeals.seeds import seed_dispatch_catalogue
from jiayuan.core.identity import make_id_number
from jiayuan.core.models import User
from jiayuan.organisations import services as org_services
from jiayuan.organisations.models import Organisation, Post
from jiayuan.people import services as people_services
from jiayuan.testing import PASSWORD, START

LEAK = "010203"  # 设施设备 › 供水与排水 › 管道漏水, dispatched to the water department
_serial = itertools.count(10)


def make_user(username: str, *, name: str, organisation=None, role=None, room=None, **post):
    person = people_services.person_create(
        actor=None, name=name, id_number=make_id_number("350582", dt.date(1988, 8, 8), next(_serial))
    )
    if organisation is not None:
        org_services.post_assign(
            actor=None, person=person, organisation=organisation, role=role, start_date=START, **post
        )
    if room is not None:
        people_services.ownership_add(actor=None, room=room, person=person, start_date=START)
    return User.objects.create_user(
        username=username, password=PASSWORD, person=person, email=f"{username}@example.org"
    )


@pytest.fixture(scope="module")
def cast(world, django_db_blocker):
    """Built once per module inside the world's transaction (rolled back with it)."""
    with django_db_blocker.unblock():
        water = org_services.organisation_create(
            actor=None, kind=Organisation.Kind.DEPARTMENT, name="晋江市水务局", city=world.city, established_on=START
        )
        rules = seed_dispatch_catalogue()
        return SimpleNamespace(
            water=water,
            water_staff=make_user("water_staff", name="郑水务", organisation=water, role=Post.Role.DEPARTMENT_STAFF),
            housing_staff=world.users["department_staff"],
            neighbour=make_user("neighbour", name="许邻居", room=world.rooms_a[1]),
            outsider=make_user("outsider", name="池店业主", room=world.rooms_b[0]),
            rules=rules,
        )


def category(code: str = LEAK) -> Category:
    return Category.objects.get(code=code)


@pytest.fixture
def file_appeal(world, cast, db):
    """file_appeal(by="resident", code=LEAK, **extra) -> a received appeal in C0001, reported on the resident's page."""

    def file(by: str = "resident", code: str = LEAK, **extra) -> Appeal:
        actor = cast.neighbour if by == "neighbour" else world.users[by]
        fields = {
            "channel": Appeal.Channel.RESIDENT,
            "category": category(code),
            "title": "厨房水管漏水",
            "description": "3号楼一单元厨房水管连续三天漏水。",
            "compound": world.compound_a,
        }
        fields.update(extra)
        return services.appeal_submit(actor=actor, **fields)

    return file


def png_bytes(size=(8, 8)) -> bytes:
    from PIL import Image

    buffer = io.BytesIO()
    Image.new("RGB", size, (30, 120, 200)).save(buffer, format="PNG")
    return buffer.getvalue()


def upload(name: str, content: bytes, content_type: str = "image/png") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, content, content_type=content_type)

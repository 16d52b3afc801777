"""Open311 GeoReport v2 responses checked against the specification (wiki.open311.org/GeoReport_v2)."""

from __future__ import annotations

import datetime as dt
import io
import json
import re
import xml.etree.ElementTree as ET
from types import SimpleNamespace

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.utils import timezone

from jiayuan.appeals import apikeys, services, workflow
from jiayuan.appeals.models import Appeal, AppealEvent, Category
from jiayuan.appeals.open311.public import public_status

BASE = "/open311/v2/"
W3_WITH_OFFSET = re.compile(r"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\+08:00$")
SERVICE_FIELDS = ["service_code", "service_name", "description", "metadata", "type", "keywords", "group"]
REQUEST_FIELDS = [
    "service_request_id",
    "status",
    "status_notes",
    "service_name",
    "service_code",
    "description",
    "agency_responsible",
    "service_notice",
    "requested_datetime",
    "updated_datetime",
    "expected_datetime",
    "address",
    "address_id",
    "zipcode",
    "lat",
    "long",
    "media_url",
]
ATTRIBUTE_FIELDS = [
    "variable",
    "code",
    "datatype",
    "required",
    "datatype_description",
    "order",
    "description",
    "values",
]
PHONE = "13912345678"


@pytest.fixture(scope="module")
def data(world, django_db_blocker):
    """A small catalogue and three appeals: open and recent, closed, and older than 90 days."""
    with django_db_blocker.unblock():
        root = Category.objects.create(code="O311F", name="设施设备")
        lifts = Category.objects.create(parent=root, code="O311F01", name="电梯")
        stuck = Category.objects.create(parent=lifts, code="O311F0101", name="电梯故障", deadline_days=3)
        Category.objects.create(parent=lifts, code="O311F0199", name="旧分类", active=False)
        water = Category.objects.create(parent=root, code="O311F02", name="供水")
        retired = Category.objects.create(code="O311Z", name="停用大类", active=False)
        Category.objects.create(parent=retired, code="O311Z01", name="停用大类下的小类")

        clerk, admin = world.users["town_clerk"], world.users["city_admin"]
        now = timezone.now()
        open_one = services.appeal_submit(
            actor=clerk,
            channel=Appeal.Channel.HOTLINE,
            category=stuck,
            title="电梯困人",
            description=f"1号楼电梯困人，回电 {PHONE}",
            compound=world.compound_a,
            building=world.building_a,
            room=world.rooms_a[0],
            contact_name="吴业主",
            contact_phone=PHONE,
            contact_email="wu@example.com",
            received_at=now - dt.timedelta(days=1),
        )
        closed_one = services.appeal_submit(
            actor=clerk,
            channel=Appeal.Channel.RECEPTION,
            category=water,
            title="停水",
            description="整栋楼停水",
            compound=world.compound_a,
            received_at=now - dt.timedelta(days=2),
        )
        branch = world.users["branch_secretary"]
        services.appeal_accept(actor=branch, appeal=closed_one)
        closed_one = services.appeal_resolve(actor=branch, appeal=closed_one, resolution="已修复水泵")
        old_one = services.appeal_submit(
            actor=admin,
            channel=Appeal.Channel.HOTLINE,
            category=water,
            title="水压低",
            description="水压低",
            compound=world.compound_b,
            received_at=now - dt.timedelta(days=100),
        )
    return SimpleNamespace(
        root=root, lifts=lifts, stuck=stuck, water=water, open=open_one, closed=closed_one, old=old_one
    )


@pytest.fixture
def api(db, client):
    """A client reading with a city-wide API key, as the reads below are (anonymous reads: see the end)."""
    reader = apikeys.apikey_create(actor=None, name="city reader")[1]
    plain_get = client.get

    def get(path, data=None, **extra):
        return plain_get(path, {"api_key": reader, **(data or {})}, **extra)

    client.get = get
    return client


@pytest.fixture
def key(db):
    return apikeys.apikey_create(actor=None, name="test client")[1]


def get(client, path, fmt="json", **params):
    return client.get(f"{BASE}{path}.{fmt}", params)


def xml_root(response):
    assert response["Content-Type"] == "text/xml; charset=utf-8"
    assert response.content.startswith(b'<?xml version="1.0" encoding="utf-8"?>')
    return ET.fromstring(response.content)


def as_json(response):
    assert response["Content-Type"] == "application/json; charset=utf-8"
    return json.loads(response.content)


def assert_error(response, status, fmt, mentioning=""):
    assert response.status_code == status
    if fmt == "json":
        errors = as_json(response)
        assert [set(error) for error in errors] == [{"code", "description"}] * len(errors)
        codes, texts = [e["code"] for e in errors], [e["description"] for e in errors]
    else:
        root = xml_root(response)
        assert root.tag == "errors"
        assert all([child.tag for child in error] == ["code", "description"] for error in root)
        codes, texts = [int(e.findtext("code")) for e in root], [e.findtext("description") for e in root]
    assert codes and set(codes) == {status}
    assert mentioning in " ".join(texts)


def post(client, fmt="json", **fields):
    return client.post(f"{BASE}requests.{fmt}", fields)


# --- discovery and services ------------------------------------------------------------


@pytest.mark.parametrize("fmt", ["json", "xml"])
def test_discovery_names_the_georeport_v2_endpoint_and_both_formats(api, data, fmt):
    response = get(api, "discovery", fmt)
    assert response.status_code == 200
    if fmt == "json":
        endpoint = as_json(response)["endpoints"][0]
        formats = endpoint["formats"]
    else:
        root = xml_root(response)
        assert [child.tag for child in root] == ["changeset", "contact", "key_service", "endpoints"]
        endpoint = {child.tag: child.text for child in root.find("endpoints/endpoint")}
        formats = [f.text for f in root.findall("endpoints/endpoint/formats/format")]
    assert endpoint["specification"] == "http://wiki.open311.org/GeoReport_v2"
    assert endpoint["url"] == "http://testserver/open311/v2"
    assert set(formats) == {"text/xml", "application/json"}


def test_services_are_the_active_leaf_categories(api, data):
    listed = {service["service_code"]: service for service in as_json(get(api, "services"))}
    assert {"O311F0101", "O311F02"} <= set(listed)
    assert not {"O311F", "O311F01", "O311F0199", "O311Z", "O311Z01"} & set(listed)
    assert listed["O311F0101"] == {
        "service_code": "O311F0101",
        "service_name": "电梯故障",
        "description": "设施设备 › 电梯 › 电梯故障",
        "metadata": True,
        "type": "realtime",
        "keywords": "设施设备, 电梯, 电梯故障",
        "group": "设施设备",
    }
    assert listed["O311F02"]["group"] == "设施设备"


def test_services_xml_has_the_spec_elements_in_order(api, data):
    root = xml_root(get(api, "services", "xml"))
    assert root.tag == "services"
    assert {child.tag for child in root} == {"service"}
    lift = next(s for s in root if s.findtext("service_code") == "O311F0101")
    assert [child.tag for child in lift] == SERVICE_FIELDS
    assert lift.findtext("metadata") == "true"
    assert lift.findtext("type") == "realtime"


@pytest.mark.parametrize("fmt", ["json", "xml"])
def test_service_definition_offers_the_compound_as_a_pick_list(api, data, world, fmt):
    response = get(api, "services/O311F0101", fmt)
    assert response.status_code == 200
    if fmt == "json":
        definition = as_json(response)
        assert definition["service_code"] == "O311F0101"
        (attribute,) = definition["attributes"]
        assert list(attribute) == ATTRIBUTE_FIELDS
        assert attribute["variable"] is True and attribute["required"] is False
        keys = [value["key"] for value in attribute["values"]]
    else:
        root = xml_root(response)
        assert root.tag == "service_definition"
        assert [child.tag for child in root] == ["service_code", "attributes"]
        (attribute,) = root.find("attributes")
        assert attribute.tag == "attribute"
        assert [child.tag for child in attribute] == ATTRIBUTE_FIELDS
        assert attribute.findtext("variable") == "true" and attribute.findtext("required") == "false"
        assert all([child.tag for child in value] == ["key", "name"] for value in attribute.find("values"))
        keys = [value.findtext("key") for value in attribute.find("values")]
    assert {world.compound_a.code, world.compound_b.code} <= set(keys)


@pytest.mark.parametrize("fmt", ["json", "xml"])
def test_unknown_or_retired_service_definition_is_404_in_the_error_format(api, data, fmt):
    assert_error(get(api, "services/NOPE", fmt), 404, fmt, "service_code")
    assert_error(get(api, "services/O311F0199", fmt), 404, fmt, "O311F0199")


# --- reading requests --------------------------------------------------------------------


def test_requests_show_public_fields_and_never_contact_data(api, data, world):
    response = get(api, "requests")
    records = {r["service_request_id"]: r for r in as_json(response)}
    record = records[data.open.number]
    assert list(record) == REQUEST_FIELDS
    assert record["status"] == "open"
    assert record["service_code"] == "O311F0101" and record["service_name"] == "电梯故障"
    assert record["agency_responsible"] == world.branch_a.name
    assert record["address"] == "金利花园, 青华社区, 青阳街道, 晋江市"
    assert record["address_id"] == world.compound_a.code
    assert record["description"] == "1号楼电梯困人，回电 139****5678"
    body = response.content.decode()
    for secret in (PHONE, "吴业主", "wu@example.com"):
        assert secret not in body


def test_requests_xml_elements_match_the_spec(api, data):
    root = xml_root(get(api, "requests", "xml"))
    assert root.tag == "service_requests"
    assert root and {child.tag for child in root} == {"request"}
    for request in root:
        assert [child.tag for child in request] == REQUEST_FIELDS
    ours = next(r for r in root if r.findtext("service_request_id") == data.open.number)
    assert ours.findtext("status") == "open"
    assert ours.findtext("zipcode") == ""


def test_times_are_iso_8601_with_the_platform_offset(api, data):
    record = as_json(get(api, f"requests/{data.open.number}"))[0]
    for field in ("requested_datetime", "updated_datetime", "expected_datetime"):
        assert W3_WITH_OFFSET.match(record[field]), record[field]
    requested = dt.datetime.fromisoformat(record["requested_datetime"])
    assert requested == data.open.received_at.replace(microsecond=0)
    assert record["expected_datetime"] == f"{data.open.deadline.isoformat()}T23:59:59+08:00"


@pytest.mark.parametrize("state", workflow.STATES)
def test_only_the_publicly_closed_states_read_as_closed(state):
    expected = (
        "closed" if state in {workflow.RESOLVED, workflow.CALLED_BACK, workflow.CLOSED, workflow.MERGED} else "open"
    )
    assert public_status(state) == expected


def test_a_resolved_appeal_reads_closed_with_its_reply_as_status_notes(api, data):
    record = as_json(get(api, f"requests/{data.closed.number}"))[0]
    assert record["status"] == "closed"
    assert "已修复水泵" in record["status_notes"]
    last = data.closed.events.filter(public=True).last()
    assert dt.datetime.fromisoformat(record["updated_datetime"]) == last.at.replace(microsecond=0)


def test_status_notes_never_show_a_rating_and_read_an_extension_reason_plainly(api, data, world):
    resident, branch = world.users["resident"], world.users["branch_secretary"]
    rated = services.appeal_submit(
        actor=resident,
        channel=Appeal.Channel.RESIDENT,
        category=data.water,
        title="停水",
        description="停水",
        compound=world.compound_a,
    )
    services.appeal_accept(actor=branch, appeal=rated)
    services.appeal_resolve(actor=branch, appeal=rated, resolution="已恢复供水")
    services.appeal_close(actor=world.users["community_secretary"], appeal=rated)
    services.appeal_rate(actor=resident, appeal=rated, contacted=True, solved=False, rating=Appeal.Rating.DISSATISFIED)
    late = services.appeal_submit(
        actor=resident,
        channel=Appeal.Channel.RESIDENT,
        category=data.stuck,
        title="电梯",
        description="电梯坏了",
        compound=world.compound_a,
    )
    services.appeal_accept(actor=branch, appeal=late)
    services.appeal_start(actor=branch, appeal=late)
    services.appeal_request_extension(actor=branch, appeal=late, days=3, reason="需要采购配件，联系 13912345678")

    listed = as_json(get(api, "requests", service_request_id=f"{rated.number},{late.number}"))
    records = {record["service_request_id"]: record for record in listed}
    assert records[rated.number]["status"] == "closed"
    assert str(Appeal.Rating.DISSATISFIED.label) not in records[rated.number]["status_notes"]
    assert services.rating_summary(Appeal.objects.get(pk=rated.pk), "") not in records[rated.number]["status_notes"]
    assert records[late.number]["status"] == "open"
    assert records[late.number]["status_notes"].endswith(": 需要采购配件，联系 139****5678")


def test_the_default_window_is_the_last_90_days(api, data):
    numbers = {r["service_request_id"] for r in as_json(get(api, "requests"))}
    assert {data.open.number, data.closed.number} <= numbers
    assert data.old.number not in numbers
    start = (timezone.now() - dt.timedelta(days=120)).astimezone(dt.UTC).strftime("%Y-%m-%dT%H:%M:%SZ")
    end = (timezone.now() - dt.timedelta(days=50)).isoformat()
    numbers = {r["service_request_id"] for r in as_json(get(api, "requests", start_date=start, end_date=end))}
    assert numbers == {data.old.number}


def test_an_offset_whose_plus_arrived_as_a_space_still_reads(api, data):
    start = timezone.localtime(data.open.received_at - dt.timedelta(minutes=1))
    end = start + dt.timedelta(minutes=2)
    query = {"start_date": start.strftime("%Y-%m-%dT%H:%M:%S 08:00"), "end_date": end.strftime("%Y-%m-%dT%H:%M:%S")}
    assert [r["service_request_id"] for r in as_json(get(api, "requests", **query))] == [data.open.number]


def test_service_request_ids_override_every_other_filter(api, data):
    ids = f"{data.old.number},{data.closed.number},JY-UNKNOWN"
    records = as_json(get(api, "requests", service_request_id=ids, status="open", service_code="O311F0101"))
    assert {r["service_request_id"] for r in records} == {data.old.number, data.closed.number}


def test_requests_filter_by_service_code_and_status(api, data):
    by_code = {r["service_request_id"] for r in as_json(get(api, "requests", service_code="O311F0101,OTHER"))}
    assert data.open.number in by_code and data.closed.number not in by_code
    closed = {r["service_request_id"] for r in as_json(get(api, "requests", status="closed"))}
    assert data.closed.number in closed and data.open.number not in closed
    both = {r["service_request_id"] for r in as_json(get(api, "requests", status="open,closed"))}
    assert {data.open.number, data.closed.number} <= both


@pytest.mark.parametrize("fmt", ["json", "xml"])
@pytest.mark.parametrize(
    ("params", "named"),
    [
        ({"start_date": "2026-01-01T00:00:00Z", "end_date": "2026-06-01T00:00:00Z"}, "90"),
        ({"start_date": "2026-03-01T00:00:00Z", "end_date": "2026-02-01T00:00:00Z"}, "end_date"),
        ({"start_date": "yesterday"}, "start_date"),
        ({"status": "pending"}, "status"),
    ],
)
def test_bad_filters_are_400_naming_the_parameter(api, data, fmt, params, named):
    assert_error(get(api, "requests", fmt, **params), 400, fmt, named)


@pytest.mark.parametrize("fmt", ["json", "xml"])
def test_one_request_reads_as_a_list_of_one(api, data, fmt):
    response = get(api, f"requests/{data.open.number}", fmt)
    if fmt == "json":
        (record,) = as_json(response)
        assert record["service_request_id"] == data.open.number
    else:
        root = xml_root(response)
        assert root.tag == "service_requests"
        (request,) = root
        assert [child.tag for child in request] == REQUEST_FIELDS
        assert request.findtext("service_request_id") == data.open.number


@pytest.mark.parametrize("fmt", ["json", "xml"])
def test_unknown_request_and_token_are_404_in_the_error_format(api, data, fmt):
    assert_error(get(api, "requests/JY000", fmt), 404, fmt, "JY000")
    assert_error(get(api, "tokens/JY000", fmt), 404, fmt, "token")


@pytest.mark.parametrize("fmt", ["json", "xml"])
def test_a_token_resolves_to_its_service_request_id(api, data, fmt):
    response = get(api, f"tokens/{data.open.number}", fmt)
    assert response.status_code == 200
    if fmt == "json":
        assert as_json(response) == [{"service_request_id": data.open.number, "token": data.open.number}]
    else:
        (request,) = xml_root(response)
        assert [child.tag for child in request] == ["service_request_id", "token"]
        assert request.findtext("service_request_id") == data.open.number


def test_an_unsupported_format_or_method_gets_the_error_format(api, data):
    assert_error(get(api, "services", "csv"), 400, "xml", "format: ")
    response = api.post(f"{BASE}services.json")
    assert_error(response, 405, "json", "POST")
    assert "GET" in response["Allow"]


# --- posting requests ---------------------------------------------------------------------


@pytest.mark.parametrize("fmt", ["json", "xml"])
def test_posting_creates_an_open311_appeal_with_its_event(api, data, world, key, fmt):
    response = post(
        api,
        fmt,
        api_key=key,
        jurisdiction_id="jinjiang.gov.cn",
        service_code="O311F0101",
        address_id=world.compound_a.code,
        lat="24.8123456789",
        long="118.5512345",
        first_name="业主",
        last_name="吴",
        email="wu@example.com",
        phone=PHONE,
        device_id="d1",
        account_id="a1",
        description="电梯停在3楼不动\n请尽快处理",
        media_url="https://img.example.com/lift.jpg",
    )
    assert response.status_code == 200
    if fmt == "json":
        (answer,) = as_json(response)
        assert list(answer) == ["service_request_id", "service_notice", "account_id"]
        number = answer["service_request_id"]
    else:
        root = xml_root(response)
        assert root.tag == "service_requests"
        (answer,) = root
        assert [child.tag for child in answer] == ["service_request_id", "service_notice", "account_id"]
        number = answer.findtext("service_request_id")
    appeal = Appeal.objects.get(number=number)
    assert appeal.channel == Appeal.Channel.OPEN311
    assert appeal.category == data.stuck and appeal.compound == world.compound_a
    assert (appeal.contact_name, appeal.contact_phone, appeal.contact_email) == ("吴业主", PHONE, "wu@example.com")
    assert str(appeal.latitude) == "24.812346" and str(appeal.longitude) == "118.551235"
    assert appeal.title == "电梯停在3楼不动"
    assert appeal.description.endswith("\n\nmedia_url: https://img.example.com/lift.jpg")
    assert appeal.unit == world.branch_a and appeal.entered_by is None
    event = AppealEvent.objects.get(appeal=appeal)
    assert (event.action, event.to_status, event.actor) == ("submit", workflow.RECEIVED, None)

    record = as_json(get(api, f"requests/{number}"))[0]
    assert record["status"] == "open"
    assert record["description"] == "电梯停在3楼不动\n请尽快处理"
    assert record["media_url"] == "https://img.example.com/lift.jpg"
    assert (record["lat"], record["long"]) == (24.812, 118.551)


def test_posting_places_the_compound_by_attribute_or_by_name_in_the_address(api, data, world, key):
    by_attribute = as_json(
        post(
            api,
            api_key=key,
            service_code="O311F02",
            description="停水",
            **{"attribute[compound]": world.compound_b.code},
        )
    )
    assert Appeal.objects.get(number=by_attribute[0]["service_request_id"]).compound == world.compound_b
    by_name = as_json(
        post(api, api_key=key, service_code="O311F02", description="停水", address_string="晋江市青阳街道金利花园1号楼")
    )
    appeal = Appeal.objects.get(number=by_name[0]["service_request_id"])
    assert appeal.compound == world.compound_a
    assert appeal.description.endswith("address_string: 晋江市青阳街道金利花园1号楼")
    public = as_json(get(api, f"requests/{appeal.number}"))[0]
    assert public["description"] == "停水" and "1号楼" not in public["address"]


@pytest.mark.parametrize(
    ("fields", "named"),
    [
        ({}, "address_id"),
        ({"lat": "24.8", "long": "118.5"}, "address_id"),
        ({"address_string": "某个不存在的小区"}, "address_string"),
        ({"address_id": "NOPE"}, "address_id"),
        ({"address_id": "C0001", "lat": "24.8"}, "long"),
        ({"address_id": "C0001", "lat": "124.8", "long": "118.5"}, "lat"),
        ({"address_id": "C0002"}, "address_id"),  # a compound without a party branch to receive it
        ({"address_id": "C0001", "phone": "12345"}, "phone"),
        ({"address_id": "C0001", "email": "not-an-address"}, "email"),
        ({"address_id": "C0001", "media_url": "javascript:alert(1)"}, "media_url"),
        ({"address_id": "C0001", "description": "长" * 4001}, "description"),
    ],
)
def test_bad_post_input_is_400_naming_the_parameter_and_saves_nothing(api, data, key, fields, named):
    before = Appeal.objects.count()
    assert_error(post(api, api_key=key, service_code="O311F0101", **fields), 400, "json", named)
    assert Appeal.objects.count() == before


@pytest.mark.parametrize("fmt", ["json", "xml"])
def test_an_unknown_or_missing_service_code_is_400_naming_service_code(api, data, world, key, fmt):
    before = Appeal.objects.count()
    assert_error(
        post(api, fmt, api_key=key, service_code="NOPE", address_id=world.compound_a.code), 400, fmt, "service_code"
    )
    assert_error(post(api, fmt, api_key=key, address_id=world.compound_a.code), 400, fmt, "service_code")
    assert Appeal.objects.count() == before


@pytest.mark.parametrize("fmt", ["json", "xml"])
def test_posting_without_a_valid_api_key_is_403_and_creates_nothing(api, data, world, fmt):
    revoked = apikeys.apikey_create(actor=None, name="old client")
    apikeys.apikey_revoke(actor=None, prefix=revoked[0].prefix)
    before = Appeal.objects.count()
    fields = {"service_code": "O311F0101", "address_id": world.compound_a.code, "description": "电梯坏了"}
    assert_error(post(api, fmt, **fields), 403, fmt, "api_key")
    assert_error(post(api, fmt, api_key="not-a-key", **fields), 403, fmt, "api_key")
    assert_error(post(api, fmt, api_key=revoked[1], **fields), 403, fmt, "api_key")
    assert Appeal.objects.count() == before


def test_csrf_does_not_block_a_post_from_an_open311_client(data, world, key):
    client = Client(enforce_csrf_checks=True)
    response = post(
        client, api_key=key, service_code="O311F0101", address_id=world.compound_a.code, description="电梯异响"
    )
    assert response.status_code == 200
    assert Appeal.objects.filter(number=as_json(response)[0]["service_request_id"]).exists()


def test_an_uploaded_media_file_is_kept_as_a_photo_and_a_fake_one_refused(api, data, world, key):
    from PIL import Image

    buffer = io.BytesIO()
    Image.new("RGB", (4, 4), "red").save(buffer, format="PNG")
    photo = SimpleUploadedFile("lift.png", buffer.getvalue(), content_type="image/png")
    response = post(
        api,
        api_key=key,
        service_code="O311F0101",
        address_id=world.compound_a.code,
        description="电梯门坏了",
        media=photo,
    )
    appeal = Appeal.objects.get(number=as_json(response)[0]["service_request_id"])
    assert appeal.photos.get().content_type == "image/png"
    fake = SimpleUploadedFile("lift.png", b"not an image", content_type="image/png")
    assert_error(
        post(
            api,
            api_key=key,
            service_code="O311F0101",
            address_id=world.compound_a.code,
            description="电梯门坏了",
            media=fake,
        ),
        400,
        "json",
        "media",
    )


# --- who reads what ----------------------------------------------------------------------------------


def test_without_a_key_only_public_appeals_are_listed_and_they_identify_no_household(db, client, data, world):
    """The issue's reproduction: requests.json without credentials listed every appeal, naming households."""
    numbers = {r["service_request_id"] for r in as_json(get(client, "requests"))}
    assert numbers == set()
    services.appeal_set_public(
        actor=world.users["branch_secretary"], appeal=data.open, public=True, summary="电梯已恢复运行"
    )
    records = as_json(get(client, "requests"))
    assert [r["service_request_id"] for r in records] == [data.open.number]
    record = records[0]
    assert record["description"] == f"{data.stuck.path} · {world.compound_a.name} · 电梯已恢复运行"
    text = json.dumps(record, ensure_ascii=False)
    assert PHONE not in text and "1号楼" not in text and "吴业主" not in text
    assert (record["lat"], record["long"], record["media_url"]) == (None, None, None)


def test_without_a_key_a_private_appeal_answers_404(db, client, data):
    assert_error(get(client, f"requests/{data.open.number}"), 404, "json", data.open.number)
    assert_error(get(client, f"tokens/{data.open.number}"), 404, "json", "token")


def test_a_bad_key_on_a_read_is_refused(db, client, data):
    assert_error(get(client, "requests", api_key="not-a-key"), 403, "json", "api_key")


def test_a_key_reads_its_region_in_full_and_always_what_it_posted(db, client, data, world):
    _, chidian = apikeys.apikey_create(actor=None, name="池店镇", region=world.chidian.code)
    ids = f"{data.open.number},{data.old.number}"
    listed = {
        r["service_request_id"] for r in as_json(get(client, "requests", api_key=chidian, service_request_id=ids))
    }
    assert listed == {data.old.number}  # C0003 is in Chidian; C0001 is Qingyang's
    posted = as_json(
        post(
            client,
            api_key=chidian,
            service_code="O311F02",
            description="停水 13912345678",
            address_id=world.compound_a.code,
        )
    )[0]["service_request_id"]
    mine = as_json(get(client, f"requests/{posted}", api_key=chidian))[0]
    assert mine["description"] == "停水 139****5678"  # in full, personal numbers masked


def test_a_key_for_an_unknown_region_is_refused(db):
    from django.core.exceptions import ValidationError

    with pytest.raises(ValidationError) as exc:
        apikeys.apikey_create(actor=None, name="x", region="999999")
    assert set(exc.value.message_dict) == {"region"}


@pytest.mark.parametrize("day", ["0001-01-01", "9999-12-31"])
def test_dates_beyond_the_calendar_answer_400_not_500(api, data, day):
    assert_error(get(api, "requests", start_date=day), 400, "json", "start_date")
    assert_error(get(api, "requests", end_date=day), 400, "json", "end_date")


@pytest.mark.parametrize("persona", ["resident", "branch_secretary"])
def test_the_reporter_or_staff_over_the_compound_make_an_appeal_public(world, as_role, data, persona):
    from jiayuan.appeals.models import Appeal as Model

    own = services.appeal_submit(
        actor=world.users["resident"],
        channel=Model.Channel.RESIDENT,
        category=data.stuck,
        title="电梯",
        description="电梯坏了",
        compound=world.compound_a,
    )
    response = as_role(persona).post(
        f"/api/v1/appeals/{own.pk}/public",
        json.dumps({"public": True, "summary": "电梯维修中"}),
        content_type="application/json",
    )
    assert response.status_code == 200, response.content
    assert (response.json()["public"], response.json()["public_summary"]) == (True, "电梯维修中")


def test_others_may_not_make_an_appeal_public_and_a_summary_may_not_name_a_room(world, as_role, data):
    from jiayuan.appeals.models import Appeal as Model

    response = as_role("department_staff").post(
        f"/api/v1/appeals/{data.open.pk}/public", json.dumps({"public": True}), content_type="application/json"
    )
    assert response.status_code == 404
    response = as_role("branch_secretary").post(
        f"/api/v1/appeals/{data.open.pk}/public",
        json.dumps({"public": True, "summary": "3号楼502漏水"}),
        content_type="application/json",
    )
    assert response.status_code == 422
    assert [e["field"] for e in response.json()["detail"]] == ["summary"]
    assert not Model.objects.get(pk=data.open.pk).public


def test_the_appeal_page_offers_staff_the_public_switch_and_it_works(world, as_role, data):
    from jiayuan.appeals.models import Appeal as Model

    client = as_role("branch_secretary")
    assert 'data-testid="public-form"' in client.get(f"/appeals/{data.open.pk}/").content.decode()
    response = client.post(f"/appeals/{data.open.pk}/public/", {"public": "1", "public_summary": "电梯维修中"})
    assert response.status_code == 302
    stored = Model.objects.get(pk=data.open.pk)
    assert (stored.public, stored.public_summary) == (True, "电梯维修中")
    assert 'data-testid="public-form"' not in as_role("department_staff").get("/appeals/").content.decode()

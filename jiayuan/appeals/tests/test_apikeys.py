"""Open311 API keys: stored as hashes, shown once, refused once revoked; and a real client end to end."""

from __future__ import annotations

import datetime as dt
import hashlib
import io
import json
import urllib.error
import urllib.parse
import urllib.request

import pytest
from django.core.exceptions import ValidationError
from django.core.management import CommandError, call_command
from django.utils import timezone

from jiayuan import cli
from jiayuan.appeals import apikeys, services
from jiayuan.appeals.models import ApiKey, Appeal, Category
from jiayuan.core.models import AuditEntry


def run(*args) -> list[str]:
    out = io.StringIO()
    call_command("apikey", *args, stdout=out)
    return out.getvalue().splitlines()


def test_a_new_key_is_stored_only_as_its_hash_and_prefix(db):
    record, key = apikeys.apikey_create(actor=None, name="城市通 app")
    record.refresh_from_db()
    assert len(key) >= 40
    assert record.prefix == key[:8]
    assert record.key_hash == hashlib.sha256(key.encode()).hexdigest()
    stored = [str(value) for value in ApiKey.objects.values_list().get()]
    assert key not in stored
    entry = AuditEntry.objects.get(object_type="appeals.apikey", object_id=str(record.pk))
    assert key not in json.dumps(entry.after) and "key_hash" not in entry.after


def test_a_good_key_authenticates_and_its_last_use_is_recorded(db):
    record, key = apikeys.apikey_create(actor=None, name="client")
    assert record.last_used_at is None
    assert apikeys.apikey_check(key) == record
    record.refresh_from_db()
    assert record.last_used_at is not None
    long_ago = timezone.now() - dt.timedelta(hours=1)
    ApiKey.objects.filter(pk=record.pk).update(last_used_at=long_ago)
    apikeys.apikey_check(f"  {key} ")
    record.refresh_from_db()
    assert record.last_used_at > long_ago


def test_missing_unknown_and_revoked_keys_are_refused(db):
    record, key = apikeys.apikey_create(actor=None, name="client")
    assert apikeys.apikey_check("") is None
    assert apikeys.apikey_check(None) is None
    assert apikeys.apikey_check(key + "x") is None
    apikeys.apikey_revoke(actor=None, prefix=record.prefix)
    assert apikeys.apikey_check(key) is None
    record.refresh_from_db()
    assert record.revoked_at is not None


def test_a_key_needs_a_name_and_revoking_needs_an_active_prefix(db):
    with pytest.raises(ValidationError) as empty:
        apikeys.apikey_create(actor=None, name="  ")
    assert "name" in empty.value.message_dict
    with pytest.raises(ValidationError) as unknown:
        apikeys.apikey_revoke(actor=None, prefix="zzzzzzzz")
    assert "zzzzzzzz" in unknown.value.message_dict["prefix"][0]
    assert not ApiKey.objects.exists()


def test_the_command_prints_the_new_key_on_its_last_line_and_it_authenticates(db):
    lines = run("create", "--name", "GeoReporter")
    key = lines[-1]
    record = apikeys.apikey_check(key)
    assert record is not None and record.name == "GeoReporter"
    assert record.prefix in lines[0]


def test_the_jiayuan_cli_creates_lists_and_revokes_keys(db, capsys, keep_connections):
    cli.main(["jiayuan", "apikey", "create", "--name", "mobile app"])
    key = capsys.readouterr().out.splitlines()[-1]
    prefix = key[:8]
    listing = "\n".join(run("list"))
    assert prefix in listing and "mobile app" in listing and key not in listing
    run("revoke", prefix)
    assert apikeys.apikey_check(key) is None
    assert prefix in "\n".join(run("list"))
    with pytest.raises(CommandError, match=prefix):
        run("revoke", prefix)


def test_the_command_refuses_a_key_without_a_name(db):
    with pytest.raises(CommandError):
        run("create", "--name", "")
    assert not ApiKey.objects.exists()


# --- a real Open311 client against the live server ---------------------------------------


@pytest.fixture
def live_data(transactional_db):
    from jiayuan.testing import build_world

    world = build_world()
    root = Category.objects.create(code="W01", name="供排水")
    world.leak = Category.objects.create(parent=root, code="W0101", name="水管漏水")
    return world


def as_list(parsed) -> list:
    """xmltodict gives a lone repeated element as a dict, JSON as a list of one."""
    return parsed if isinstance(parsed, list) else [parsed]


def post_form(url: str, fields: dict) -> tuple[int, object]:
    """POST form-encoded, as the spec says and as Open311 clients do."""
    request = urllib.request.Request(
        url,
        data=urllib.parse.urlencode(fields).encode("utf-8"),
        headers={"Content-Type": "application/x-www-form-urlencoded; charset=utf-8"},
    )
    try:
        with urllib.request.urlopen(request, timeout=30) as response:
            return response.status, json.loads(response.read())
    except urllib.error.HTTPError as error:
        return error.code, json.loads(error.read())


def get_json(url: str):
    with urllib.request.urlopen(url, timeout=30) as response:
        return json.loads(response.read())


@pytest.mark.parametrize("fmt", ["json", "xml"])
def test_an_open311_client_lists_services_posts_a_request_and_reads_its_status(live_server, live_data, fmt):
    georeport = pytest.importorskip("georeport", reason="the georeport client is a dev dependency")
    key = run("create", "--name", "georeport")[-1]
    endpoint = f"{live_server.url}/open311/v2"
    client = georeport.GeoReport(endpoint, api_key=key, output_format=fmt)

    services_listed = {s["service_code"]: s for s in as_list(client.get_service_list())}
    assert services_listed["W0101"]["service_name"] == "水管漏水"
    assert services_listed["W0101"]["group"] == "供排水"
    assert "W01" not in services_listed

    fields = {
        "api_key": key,
        "service_code": "W0101",
        "address_id": live_data.compound_a.code,
        "description": "厨房水管漏水",
        "first_name": "业主",
        "last_name": "吴",
        "phone": "13912345678",
    }
    assert post_form(f"{endpoint}/requests.json", {**fields, "api_key": "wrong"})[0] == 403
    status, answer = post_form(f"{endpoint}/requests.json", fields)
    assert status == 200
    number = answer[0]["service_request_id"]
    assert Appeal.objects.get(number=number).channel == Appeal.Channel.OPEN311

    # The client's reads carry no key: a private request is not there for it until staff make it public.
    with pytest.raises(Exception, match="404"):
        client.get_service_request(number)
    keyed = get_json(f"{endpoint}/requests/{number}.json?api_key={key}")[0]  # the key reads back what it posted
    assert (keyed["service_request_id"], keyed["status"], keyed["description"]) == (number, "open", "厨房水管漏水")

    appeal = Appeal.objects.get(number=number)
    branch = live_data.users["branch_secretary"]
    services.appeal_set_public(actor=branch, appeal=appeal, public=True, summary="水管漏水维修")
    request = client.get_service_request(number)
    assert (request["service_request_id"], request["status"]) == (number, "open")
    assert request["agency_responsible"] == live_data.branch_a.name
    services.appeal_accept(actor=branch, appeal=appeal)
    services.appeal_resolve(actor=branch, appeal=appeal, resolution="已更换水管")
    request = client.get_service_request(number)
    assert request["status"] == "closed"
    assert "已更换水管" in get_json(f"{endpoint}/requests/{number}.json?api_key={key}")[0]["status_notes"]
    listed = as_list(client.get_service_requests(service_request_id=number, status="open"))
    assert [r["service_request_id"] for r in listed] == [number]
    assert "13912345678" not in json.dumps(listed, ensure_ascii=False)

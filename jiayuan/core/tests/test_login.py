import pytest
from django.test import override_settings

from jiayuan.testing import PASSWORD

pytestmark = pytest.mark.django_db


def test_login_page_works_and_redirects_to_home(world, client):
    response = client.post("/login/", {"username": "resident", "password": PASSWORD})
    assert response.status_code == 302
    assert response.url == "/"


def test_wrong_password_is_refused(world, client):
    response = client.post("/login/", {"username": "resident", "password": "wrong-password"})
    assert response.status_code == 200
    assert "_auth_user_id" not in client.session


@override_settings(AXES_FAILURE_LIMIT=3)
def test_repeated_failures_lock_the_account_even_with_the_right_password(world, client):
    for _ in range(3):
        client.post("/login/", {"username": "town_clerk", "password": "nope"}, REMOTE_ADDR="10.1.1.1")
    response = client.post("/login/", {"username": "town_clerk", "password": PASSWORD}, REMOTE_ADDR="10.1.1.1")
    assert response.status_code == 429
    assert "_auth_user_id" not in client.session


def test_passwords_are_stored_hashed(world):
    user = world.users["resident"]
    assert PASSWORD not in user.password
    assert user.check_password(PASSWORD)


def test_production_hasher_is_argon2():
    from jiayuan.config.settings import base

    assert base.PASSWORD_HASHERS[0].endswith("Argon2PasswordHasher")


def test_anonymous_visitors_are_sent_to_login(client, db):
    response = client.get("/")
    assert response.status_code == 302
    assert response.url.startswith("/login/")


def test_interface_is_chinese_by_default_even_for_an_english_browser(client, db):
    response = client.get("/login/", HTTP_ACCEPT_LANGUAGE="en-US,en;q=0.9")
    assert response["Content-Language"] == "zh-hans"


def test_language_switch_keeps_english(client, db):
    client.post("/i18n/setlang/", {"language": "en", "next": "/login/"})
    response = client.get("/login/")
    assert response["Content-Language"] == "en"
    assert b"Log in" in response.content

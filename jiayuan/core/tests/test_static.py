"""Served as `jiayuan serve` serves them, static files are collected with a hash in their names and compressed:
a page links the hashed name, and the file comes Brotli- or gzip-compressed with a ten-year cache lifetime."""

import re

import pytest
from django.core.management import call_command
from django.test import Client

pytestmark = pytest.mark.django_db


@pytest.fixture
def collected(settings, tmp_path):
    settings.STATIC_ROOT = tmp_path
    settings.WHITENOISE_USE_FINDERS = False
    settings.STORAGES = {
        **settings.STORAGES,
        "staticfiles": {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"},
    }
    call_command("collectstatic", interactive=False, verbosity=0, ignore_patterns=["admin", "ninja"])
    return tmp_path


def test_a_collected_library_is_served_compressed_and_cached_for_years(collected):
    client = Client()  # a new handler: WhiteNoise reads the collected files when it starts
    page = client.get("/login/").content.decode()
    htmx = re.search(r'src="(/static/vendor/htmx\.min\.[0-9a-f]{12}\.js)"', page).group(1)
    plain = (collected / htmx.removeprefix("/static/")).stat().st_size
    for encoding in ("br", "gzip"):
        answer = client.get(htmx, HTTP_ACCEPT_ENCODING=encoding)
        assert answer.status_code == 200 and answer["Content-Encoding"] == encoding
        assert "max-age=315360000" in answer["Cache-Control"] and "immutable" in answer["Cache-Control"]
        assert int(answer["Content-Length"]) < plain / 2

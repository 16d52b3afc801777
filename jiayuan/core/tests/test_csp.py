"""Every page carries a Content-Security-Policy without inline script or style, and the templates hold none."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

pytestmark = pytest.mark.django_db

ROOT = Path(__file__).resolve().parents[2]
INLINE = re.compile(
    r"<script(?![^>]*\bsrc=)(?![^>]*type=\"application/json\")[^>]*>|<style\b| style=\"| on[a-z]+=\"| hx-on"
)


@pytest.mark.parametrize("url", ["/", "/login/", "/api/v1/openapi.json", "/open311/v2/discovery.json"])
def test_every_response_carries_a_policy_without_unsafe_inline(client, url):
    policy = client.get(url).headers["Content-Security-Policy"]
    assert "default-src 'self'" in policy and "script-src 'self'" in policy and "style-src 'self'" in policy
    assert "unsafe-inline" not in policy and "unsafe-eval" not in policy


def test_staff_pages_carry_it_too(world, as_role):
    response = as_role("town_clerk").get("/dashboard/", follow=True)
    assert "script-src 'self'" in response.headers["Content-Security-Policy"]


def test_no_template_holds_inline_script_style_or_event_handlers():
    offenders = [
        f"{path.relative_to(ROOT)}: {match.group(0)}"
        for path in ROOT.rglob("templates/**/*.html")
        for match in INLINE.finditer(path.read_text(encoding="utf-8"))
    ]
    assert offenders == []

"""Start-up checks: a bad encryption key stops `jiayuan check`; production settings pass `check --deploy`
without the HTTPS warnings (W004 HSTS, W008 SSL redirect)."""

from __future__ import annotations

import os
import subprocess
import sys

from cryptography.fernet import Fernet

from jiayuan.core.crypto import key_problems


def run_check(*args, **env):
    return subprocess.run(
        [sys.executable, "-m", "jiayuan.cli", "check", *args],
        capture_output=True,
        text=True,
        env={**os.environ, **env},
        timeout=120,
    )


def test_a_bad_field_key_fails_the_check_naming_the_variable():
    """The issue's reproduction: JIAYUAN_FIELD_KEYS=notakey jiayuan check said "no issues"."""
    result = run_check(JIAYUAN_FIELD_KEYS="notakey")
    assert result.returncode != 0
    assert "JIAYUAN_FIELD_KEYS" in result.stderr + result.stdout


def test_key_problems_name_each_bad_key_and_accept_good_ones():
    good = Fernet.generate_key().decode()
    assert key_problems([good], "hash") == []
    problems = key_problems([good, "notakey"], "")
    assert len(problems) == 2
    assert "position 2" in problems[0] and "JIAYUAN_HASH_KEY" in problems[1]


def production_env(**extra):
    return {
        "DJANGO_SETTINGS_MODULE": "jiayuan.config.settings.production",
        "JIAYUAN_SECRET_KEY": "x" * 60 + "Yz9!",
        "JIAYUAN_FIELD_KEYS": Fernet.generate_key().decode(),
        "JIAYUAN_HASH_KEY": "h" * 32,
        "DATABASE_URL": "sqlite:////tmp/jiayuan-deploy-check.sqlite3",
        "JIAYUAN_ALLOWED_HOSTS": "example.org",
        **extra,
    }


def test_production_settings_pass_the_deploy_check_without_the_https_warnings():
    result = run_check("--deploy", **production_env())
    output = result.stdout + result.stderr
    assert "security.W004" not in output and "security.W008" not in output, output


def test_production_refuses_to_start_with_a_bad_key():
    result = run_check(**production_env(JIAYUAN_FIELD_KEYS="notakey"))
    assert result.returncode != 0 and "JIAYUAN_FIELD_KEYS" in result.stderr

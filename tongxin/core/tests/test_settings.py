"""Production settings have no defaults for secrets and no way around the second factor."""

import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[3]
PROD_ENV = {
    "DJANGO_SECRET_KEY": "x" * 50,
    "TONGXIN_FIELD_KEYS": "ZGV2LW9ubHktZmllbGQta2V5LW5vdC1mb3ItcmVhbC0=",
    "TONGXIN_BLIND_INDEX_KEY": "k",
    "TONGXIN_AUDIT_KEY": "a",
    "TONGXIN_SMS_CODE_KEY": "s",
    "DATABASE_URL": "postgres://postgres@127.0.0.1:5432/unused",
}


def load_prod(env: dict[str, str]) -> subprocess.CompletedProcess[str]:
    clean = {k: v for k, v in os.environ.items() if not k.startswith(("DJANGO_", "TONGXIN_", "DATABASE_URL"))}
    return subprocess.run(
        [
            sys.executable,
            "-c",
            "import django; django.setup(); from django.conf import settings; print(settings.DEBUG)",
        ],
        cwd=ROOT,
        env={**clean, "DJANGO_SETTINGS_MODULE": "config.settings.prod", **env},
        capture_output=True,
        text=True,
        check=False,
    )


@pytest.mark.parametrize(
    "missing",
    [
        "DJANGO_SECRET_KEY",
        "TONGXIN_FIELD_KEYS",
        "TONGXIN_BLIND_INDEX_KEY",
        "TONGXIN_AUDIT_KEY",
        "TONGXIN_SMS_CODE_KEY",
    ],
)
def test_production_refuses_to_start_without_each_secret(missing: str) -> None:
    result = load_prod({k: v for k, v in PROD_ENV.items() if k != missing})
    assert result.returncode != 0
    assert f"{missing} must be set in production" in result.stderr


def test_production_refuses_sqlite() -> None:
    result = load_prod({k: v for k, v in PROD_ENV.items() if k != "DATABASE_URL"})
    assert "Production runs on PostgreSQL" in result.stderr


def test_production_starts_with_debug_off_and_the_second_factor_middleware() -> None:
    result = load_prod(PROD_ENV)
    assert result.stdout.strip() == "False", result.stderr
    from config.settings import base

    assert "tongxin.accounts.middleware.StaffSecondFactorMiddleware" in base.MIDDLEWARE

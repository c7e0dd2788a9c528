"""Settings: production-like variables pass `check --deploy`; `make run`'s SQLite path works end to end."""

import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent


def manage(*args, env: dict, check=True):
    return subprocess.run(  # noqa: S603 - our own manage.py
        [sys.executable, "manage.py", *args], cwd=ROOT, env=env, capture_output=True, text=True, check=check,
        timeout=300,
    )  # fmt: skip


def production_env() -> dict:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("DJANGO_", "PYTEST"))}
    env.update(
        DEBUG="0",
        SECRET_KEY="p9$w-7Jq2!xZr8vLk3#Nn6@Tt1^Yy5&Mm0*Hh4%Gg2(Ff8)Dd3_Ss7+Aa1=Bb9",
        DATABASE_URL=os.environ.get("DATABASE_URL", "postgres://postgres@127.0.0.1:5432/test"),
        ALLOWED_HOSTS="claims.example.org",
        CSRF_TRUSTED_ORIGINS="https://claims.example.org",
    )
    return env


def test_check_deploy_is_clean_with_production_settings():
    result = manage("check", "--deploy", "--fail-level", "WARNING", env=production_env(), check=False)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "no issues" in result.stdout


def test_production_refuses_to_start_without_a_secret_key():
    env = production_env()
    env.pop("SECRET_KEY")
    result = manage("check", env=env, check=False)
    assert result.returncode != 0
    assert "SECRET_KEY must be set" in result.stderr


def test_demo_users_are_refused_when_debug_is_off():
    result = manage("create_demo_users", env=production_env(), check=False)
    assert result.returncode != 0
    assert "DEBUG is off" in result.stderr


@pytest.mark.parametrize("value", ["maybe"])
def test_a_bad_boolean_names_the_variable(value):
    env = production_env()
    env["DEBUG"] = value
    result = manage("check", env=env, check=False)
    assert result.returncode != 0 and "DEBUG='maybe'" in result.stderr


def test_make_run_setup_on_a_fresh_sqlite_file_is_idempotent(tmp_path):
    """What `make run` does before serving, twice, on a new SQLite file: no error, no duplicate rows."""
    env = {k: v for k, v in os.environ.items() if not k.startswith(("DJANGO_", "PYTEST"))}
    env["DATABASE_URL"] = f"sqlite:///{tmp_path / 'run.sqlite3'}"
    env["DEBUG"] = "1"
    sample = "fixtures/articles/northwestern_syria_offensive.txt"
    counts = []
    for _ in range(2):
        manage("migrate", "--noinput", env=env)
        manage("load_reference_data", env=env)
        manage("create_demo_users", env=env)
        imported = manage("import_article", sample, "--user", "editor", env=env)
        count = manage(
            "shell", "-c",
            "from claims.models import *; from django.contrib.auth.models import User, Group; "
            "print([m.objects.count() for m in (Source, Article, ArticleRevision, Citation, Claim, ClaimCitation, "
            "User, Group)])",
            env=env,
        ).stdout  # fmt: skip
        counts.append(count)
    assert "claims: 93 created" in imported.stdout or "nothing changed" in imported.stdout
    assert "nothing changed" in imported.stdout  # the second run's import is a no-op
    assert counts[0] == counts[1]
    assert manage("makemigrations", "--check", "--dry-run", env=env).returncode == 0

"""The served virtualenv holds runtime packages only; test and lint tools live in the dev lock."""

import re
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
DEV_TOOLS = {"pytest", "pytest-django", "pytest-playwright", "playwright", "hypothesis", "ruff", "factory-boy"}


def pinned(lock: str) -> set[str]:
    return set(re.findall(r"^([a-z0-9][a-z0-9._-]*)==", (ROOT / lock).read_text(), flags=re.MULTILINE))


def test_the_runtime_lock_has_no_test_tools():
    runtime = pinned("requirements.lock")
    assert {"django", "psycopg", "django-csp", "gunicorn"} <= runtime
    assert not runtime & DEV_TOOLS


def test_the_dev_lock_has_the_runtime_and_the_tools():
    assert pinned("requirements.lock") <= pinned("requirements-dev.lock")
    assert DEV_TOOLS <= pinned("requirements-dev.lock")


def test_make_run_uses_the_runtime_venv():
    makefile = (ROOT / "Makefile").read_text()
    run_recipe = re.search(r"^run:.*\n((?:\t.*\n)+)", makefile, flags=re.MULTILINE).group(1)
    assert "$(RUN_BIN)/python manage.py runserver" in run_recipe
    assert "-r requirements.lock" in makefile and "-r requirements-dev.lock" in makefile

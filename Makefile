# The two commands: `make run` and `make test`. Both build .venv from requirements.lock first.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
HOST ?= 127.0.0.1
PORT ?= 8000

.PHONY: run test setup install lint format bench fuzz lock clean

$(STAMP): requirements.lock pyproject.toml
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --require-hashes -r requirements.lock
	touch $(STAMP)

install: $(STAMP)

# Migrate, load roles and the source registry, import the sample article, create demo users.
# Every step is idempotent: running it twice adds nothing.
setup: install
	$(BIN)/python manage.py migrate --noinput
	$(BIN)/python manage.py load_reference_data
	$(BIN)/python manage.py create_demo_users
	$(BIN)/python manage.py import_article fixtures/articles/northwestern_syria_offensive.txt \
		--url "https://en.wikipedia.org/wiki/Northwestern_Syria_offensive_(2024)" --user editor

# The web server and one background-job worker (imports, conflict detection, rescoring); Ctrl-C stops both.
run: setup
	$(BIN)/python manage.py db_worker --no-reload --interval 1 & worker=$$!; \
	trap 'kill $$worker 2>/dev/null; wait $$worker' EXIT INT TERM; \
	$(BIN)/python manage.py runserver $(HOST):$(PORT)

test: install
	@echo 'tests run on PostgreSQL at $${DATABASE_URL:-postgres://postgres@127.0.0.1:5432/test}'
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/python scripts/ensure_postgres.py $(BIN)/pytest $(PYTEST_ARGS)

lint:
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

format:
	$(BIN)/ruff check --fix .
	$(BIN)/ruff format .

bench: install
	$(BIN)/python scripts/ensure_postgres.py $(BIN)/python bench/run_all.py

fuzz: install
	HYPOTHESIS_PROFILE=fuzz $(BIN)/pytest tests/importing -k property

# Regenerate the lock file after changing pyproject.toml dependencies.
lock:
	$(BIN)/python -m pip install --quiet uv
	$(BIN)/uv pip compile pyproject.toml --extra dev --generate-hashes --python-version 3.11 -o requirements.lock

clean:
	rm -rf $(VENV) db.sqlite3 .pytest_cache

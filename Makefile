# 성북 공유 플랫폼 — the two set-up commands are `make run` and `make test`.
PY ?= python3.11
VENV := .venv
BIN := $(VENV)/bin
PGURL ?= postgresql+psycopg://postgres@127.0.0.1:5432/postgres
export FLASK_APP := wsgi

.PHONY: run test lint install bench bench-pages translations messages clean

$(BIN)/flask: requirements.txt requirements-dev.txt constraints.txt
	test -x $(BIN)/python || $(PY) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -r requirements-dev.txt -c constraints.txt
	touch $(BIN)/flask

install: $(BIN)/flask translations

translations: $(BIN)/flask
	$(BIN)/pybabel compile -d sharing/translations -f

# Re-extract the Korean source strings and merge them into the ko and en catalogues.
messages: $(BIN)/flask
	$(BIN)/pybabel extract -F babel.cfg -k _l -k lazy_gettext -k doc --no-location --sort-output -o sharing/translations/messages.pot .
	$(BIN)/pybabel update -i sharing/translations/messages.pot -d sharing/translations --no-fuzzy-matching

run: install
	mkdir -p instance
	$(BIN)/flask db upgrade
	$(BIN)/flask seed demo
	$(BIN)/gunicorn --workers 2 --bind 127.0.0.1:5000 --access-logfile - wsgi:app

lint: install
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

# The suite runs on SQLite, then on PostgreSQL when a server answers (CI=true requires it).
test: lint
	$(BIN)/python -m pytest -n 2 -q
	@if $(BIN)/python -c "import psycopg; psycopg.connect('host=127.0.0.1 user=postgres dbname=postgres', connect_timeout=3).close()" 2>/dev/null; then \
		echo "== PostgreSQL run =="; \
		TEST_DATABASE_URL=$(PGURL) $(BIN)/python -m pytest -n 2 -q -m "not browser"; \
	elif [ "$$CI" = "true" ]; then \
		echo "PostgreSQL is required in CI and did not answer on 127.0.0.1:5432" >&2; exit 1; \
	else \
		echo "SKIPPED the PostgreSQL run: no server answers on 127.0.0.1:5432"; \
	fi

# make bench ARGS="--quick"   ·   BENCH_DB=sqlite|postgresql|both (HTTP payment runs; default both)
bench: install
	@command -v wrk >/dev/null || apt-get install -y wrk || \
		echo "wrk is missing: install it with 'sudo apt-get install -y wrk' (the HTTP payment rows are skipped)"
	$(BIN)/python -m bench.run $(ARGS)

# The public pages and list APIs at two sizes on both databases, under wrk (bench/scale.py). Seeded
# databases are kept under instance/bench/ (SQLite) and as bench_N (PostgreSQL at PGURL) for the next run.
# make bench-pages SCALE=20000,200000 DB=sqlite,postgresql DURATION=10 ARGS="--page /news"
SCALE ?= 20000,200000
DB ?= sqlite,postgresql
DURATION ?= 10
bench-pages: install
	@command -v wrk >/dev/null || { echo "wrk is missing: sudo apt-get install -y wrk" >&2; exit 1; }
	PGURL=$(PGURL) $(BIN)/python -m bench.scale --scale $(SCALE) --db $(DB) --duration $(DURATION) $(ARGS)

clean:
	rm -rf $(VENV) .pytest_cache

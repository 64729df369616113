# make run: set up and start the till with demo data (local mall included).
# make test: set up and run the whole test suite.
# make bundle: the packaged till (packaging/pos.spec) built and smoke-tested (bench packaging).
VENV := .venv
PY := $(VENV)/bin/python
# What the till and its local demo mall need on a Debian desktop.
RUN_PACKAGES := fonts-noto-cjk xvfb xauth libegl1 libgl1 libxkbcommon0 libxkbcommon-x11-0 \
	libfontconfig1 libdbus-1-3 libxcb-cursor0 libxcb-icccm4 libxcb-keysyms1 libxcb-shape0 \
	libxcb-xinerama0 libxcb-randr0 libxcb-render-util0 libxcb-image0 libusb-1.0-0
# The tests also run the mall on PostgreSQL and open its H5 pages in Chromium.
TEST_PACKAGES := $(RUN_PACKAGES) postgresql chromium

.PHONY: setup test-setup run test test-miniprogram lint bundle

setup: $(VENV)/.installed-run
	@bash scripts/system-deps.sh $(RUN_PACKAGES)

test-setup: $(VENV)/.installed-test
	@bash scripts/system-deps.sh $(TEST_PACKAGES)

$(VENV)/bin/pip:
	python3 -m venv $(VENV)
	$(VENV)/bin/pip install -q --upgrade pip

$(VENV)/.installed-run: pyproject.toml | $(VENV)/bin/pip
	$(VENV)/bin/pip install -q -e ".[mall]"
	touch $@

$(VENV)/.installed-test: pyproject.toml | $(VENV)/bin/pip
	$(VENV)/bin/pip install -q -e ".[mall,dev]"
	touch $@ $(VENV)/.installed-run

run: setup
	$(PY) main.py run --demo

# The sync tests run a second time on a throwaway PostgreSQL cluster, which with-postgres.sh
# stops and removes when pytest ends, pass or fail. Two pytest processes (pytest-xdist): many
# tests wait on a served mall, a child till or a browser, so two keep both cores busy.
test: test-setup lint test-miniprogram
	QT_QPA_PLATFORM=offscreen bash scripts/with-postgres.sh $(VENV)/bin/pytest -n 2 --durations=20

# The mini-program's type check and page tests (miniprogram-simulate + jest under node), with
# exactly the packages of miniprogram/package-lock.json (npm ci, again when the lock changes).
MINI := miniprogram
test-miniprogram: $(MINI)/node_modules/.installed
	cd $(MINI) && npm run --silent typecheck && npx jest --ci

$(MINI)/node_modules/.installed: $(MINI)/package-lock.json
	@command -v npm >/dev/null || bash scripts/system-deps.sh nodejs npm
	cd $(MINI) && npm ci --no-audit --no-fund
	touch $@

# Every package is type-checked, the UI included (PySide6 stub noise is handled in pyproject.toml).
MYPY_PATHS := pos_app sync mall bench tools

lint: test-setup
	$(VENV)/bin/ruff check . && $(VENV)/bin/ruff format --check .
	$(VENV)/bin/mypy $(MYPY_PATHS)

bundle: test-setup
	$(PY) -m bench packaging

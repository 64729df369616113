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

.PHONY: setup test-setup run test lint bundle

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
# stops and removes when pytest ends, pass or fail.
test: test-setup lint
	QT_QPA_PLATFORM=offscreen bash scripts/with-postgres.sh $(VENV)/bin/pytest

# Typed packages; pos_app/ui is not yet clean under mypy (PySide6 stub noise, issue 14).
MYPY_PATHS := pos_app/domain pos_app/store pos_app/services pos_app/hardware sync mall bench

lint: test-setup
	$(VENV)/bin/ruff check . && $(VENV)/bin/ruff format --check .
	$(VENV)/bin/mypy $(MYPY_PATHS)

bundle: test-setup
	$(PY) -m bench packaging

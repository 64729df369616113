# make run: set up and start the till with demo data (local mall included).
# make test: set up and run the whole test suite.
VENV := .venv
PY := $(VENV)/bin/python
APT_PACKAGES := fonts-noto-cjk xvfb xauth libegl1 libgl1 libxkbcommon0 libxkbcommon-x11-0 \
	libfontconfig1 libdbus-1-3 libxcb-cursor0 libxcb-icccm4 libxcb-keysyms1 libxcb-shape0 \
	libxcb-xinerama0 libxcb-randr0 libxcb-render-util0 libxcb-image0 libusb-1.0-0 \
	postgresql chromium

.PHONY: setup system-deps run test lint bench-small

setup: system-deps $(VENV)/.installed

system-deps:
	@bash scripts/system-deps.sh $(APT_PACKAGES)

$(VENV)/.installed: pyproject.toml
	python3 -m venv $(VENV)
	$(VENV)/bin/pip install -q --upgrade pip
	$(VENV)/bin/pip install -q -e ".[mall,dev]"
	touch $@

run: setup
	$(PY) main.py run --demo

# The sync tests run a second time on a throwaway PostgreSQL cluster when one can start here.
test: setup
	export POS_TEST_PG_URL="$$(bash scripts/start-postgres.sh)"; \
	QT_QPA_PLATFORM=offscreen $(VENV)/bin/pytest

lint: setup
	$(VENV)/bin/ruff check . && $(VENV)/bin/ruff format --check .

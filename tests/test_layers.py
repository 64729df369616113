"""The import rules of DESIGN §1, read from every module's source (imports inside functions
included): imports point one way, ui → services → store/domain; the domain is standard library
only; the mall shares the till's domain and the sync contract but nothing else of the till.
The UI imports neither the store nor sqlalchemy, and opens no unit of work: the services it
calls take the Database, open their own read or write and hand the screens plain view objects.
"""

from __future__ import annotations

import ast
import importlib
import inspect
import sys
from collections.abc import Iterator
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def modules(package: str) -> Iterator[tuple[str, Path]]:
    for path in sorted((ROOT / package.replace(".", "/")).rglob("*.py")):
        parts = path.relative_to(ROOT).with_suffix("").parts
        yield ".".join(parts[:-1] if parts[-1] == "__init__" else parts), path


def imported(path: Path) -> set[str]:
    """Every module name an import statement in the file names (relative ones resolved)."""
    names: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            names.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            names.add(node.module)
    return names


def offenders(package: str, forbidden: tuple[str, ...]) -> dict[str, list[str]]:
    """Modules of the package that import any of the forbidden packages, and what they import."""
    found: dict[str, list[str]] = {}
    for module, path in modules(package):
        bad = sorted(
            name
            for name in imported(path)
            if any(name == f or name.startswith(f + ".") for f in forbidden)
        )
        if bad:
            found[module] = bad
    return found


def test_the_domain_imports_only_the_standard_library_and_itself():
    outside = {
        module: sorted(
            name
            for name in imported(path)
            if name.split(".")[0] not in sys.stdlib_module_names
            and not name.startswith("pos_app.domain")
        )
        for module, path in modules("pos_app.domain")
    }
    assert {module: names for module, names in outside.items() if names} == {}


def test_the_store_knows_nothing_above_it():
    above = ("pos_app.services", "pos_app.ui", "pos_app.hardware", "pos_app.cli", "PySide6")
    assert offenders("pos_app.store", above) == {}


def test_services_use_no_widgets():
    assert offenders("pos_app.services", ("pos_app.ui", "pos_app.cli", "PySide6")) == {}


def test_hardware_takes_its_work_through_interfaces():
    above = ("pos_app.services", "pos_app.store", "pos_app.ui", "pos_app.cli")
    assert offenders("pos_app.hardware", above) == {}


def test_the_mall_shares_only_the_domain_and_the_sync_contract():
    till = ("pos_app.store", "pos_app.services", "pos_app.ui", "pos_app.hardware", "PySide6")
    assert offenders("mall", till) == {}


def test_only_the_sync_worker_knows_qt():
    assert set(offenders("sync", ("PySide6", "pos_app.ui"))) <= {"sync.worker"}


def test_the_ui_imports_neither_the_store_nor_sqlalchemy():
    assert offenders("pos_app.ui", ("pos_app.store", "sqlalchemy")) == {}


DATABASE_NAMES = frozenset({"db", "_db", "database"})
"""What the UI calls a Database handle (a variable or an attribute: db, ctx.db, self.ctx.db)."""


def units_of_work(path: Path) -> list[str]:
    """Each `<database>.read()` / `<database>.write()` call in the file, as `line: call`."""
    found = []
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if not (isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute)):
            continue
        owner = node.func.value
        name = owner.id if isinstance(owner, ast.Name) else getattr(owner, "attr", None)
        if node.func.attr in ("read", "write") and name in DATABASE_NAMES:
            found.append(f"{node.lineno}: {ast.unparse(node.func)}()")
    return found


def test_the_ui_opens_no_unit_of_work():
    """A screen passes the Database to a service, which opens its own read or write."""
    opened = {
        module: calls for module, path in modules("pos_app.ui") if (calls := units_of_work(path))
    }
    assert opened == {}


def session_takers(path: Path) -> list[str]:
    """The service functions the file imports that take a Session among their parameters."""
    found = []
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if not (isinstance(node, ast.ImportFrom) and node.module and node.level == 0):
            continue
        if not node.module.startswith("pos_app.services"):
            continue
        source = importlib.import_module(node.module)
        for alias in node.names:
            function = getattr(source, alias.name)
            if inspect.isfunction(function) and any(
                "Session" in str(parameter.annotation)
                for parameter in inspect.signature(function).parameters.values()
            ):
                found.append(f"{node.module}.{alias.name}")
    return found


def test_the_services_the_ui_calls_take_the_database_not_a_session():
    """One convention: every service function a screen imports takes the Database and opens
    its own unit of work; those taking a Session are building blocks of other services."""
    taking = {
        module: names for module, path in modules("pos_app.ui") if (names := session_takers(path))
    }
    assert taking == {}


def test_every_outbox_event_is_written_as_a_checked_payload():
    """Only services.events appends to the outbox, and it takes the sync contract's models."""
    writers = {
        module
        for package in ("pos_app", "sync", "mall")
        for module, path in modules(package)
        if "append_event" in path.read_text(encoding="utf-8")
    }
    assert writers == {"pos_app.store.outbox", "pos_app.services.events"}

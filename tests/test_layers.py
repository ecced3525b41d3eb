"""The stages import only from below (issue 15): a test that reads the code.

Each stage is replaceable and testable alone only while it imports nothing
from a stage beside or above it.  The rule, from the bottom up:

- ``records`` (and the other top-level modules, the package's ``__init__``)
  and ``data`` are the contract every stage shares;
- ``ingest``, ``nlp`` and ``store`` import only that contract and their own
  package;
- ``link`` may also use ``store``;
- ``api`` may also use ``ingest``, ``nlp``, ``store`` and ``link``;
- ``cli``, ``web`` and ``eval`` sit on top and may import anything.

Every ``import`` and ``from ... import`` is read with ``ast``, including the
ones inside functions (a lazy import is still a dependency) and relative ones.
``importlib.import_module`` with a computed name is not followed (``cli``
uses it to find evaluators, and ``cli`` is on top).

``KNOWN`` lists the crossings still on main that belong to another change,
each with its owner: it may only shrink.  A crossing found that is not in it
fails the test; an entry in it that no longer crosses fails too, so the list
is emptied as the crossings are removed.
"""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

PACKAGE = "counterclaim"
ROOT = Path(__file__).resolve().parents[1] / "src" / PACKAGE

# The contract: importable from every stage.
BASE = frozenset({"records", "data"})
ALLOWED: dict[str, frozenset[str]] = {
    "records": BASE,
    "data": BASE,
    "ingest": BASE,
    "nlp": BASE,
    "store": BASE,
    "link": BASE | {"store"},
    "api": BASE | {"ingest", "nlp", "store", "link"},
}
TOP = frozenset({"cli", "web", "eval"})

# (importing module, imported module) -> who removes it.  Shrink only.
KNOWN: dict[tuple[str, str], str] = {}


def module_name(path: Path) -> str:
    parts = list(path.relative_to(ROOT.parent).with_suffix("").parts)
    if parts[-1] == "__init__":
        parts.pop()
    return ".".join(parts)


def imports_in(source: str, name: str, is_package: bool = False) -> set[str]:
    """The ``counterclaim`` modules the code of module ``name`` imports, anywhere in it, as absolute names.

    ``from .x import y`` names ``<package>.x`` (``y`` may be a function, not a
    module; the stage is what matters here).
    """
    package = name.split(".") if is_package else name.split(".")[:-1]
    found: set[str] = set()
    for node in ast.walk(ast.parse(source, name)):
        if isinstance(node, ast.Import):
            found.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                base = package[: len(package) - (node.level - 1)]
                target = ".".join(base + ([node.module] if node.module else []))
            else:
                target = node.module or ""
            # ``from . import names`` / ``from ..nlp import lexicon``: a name may be a module
            found.update(_submodule(target, alias.name) for alias in node.names)
    return {m for m in found if m == PACKAGE or m.startswith(PACKAGE + ".")}


def _submodule(package: str, name: str) -> str:
    """``package.name`` when that is a module or package in the tree, else ``package``."""
    folder = ROOT.parent.joinpath(*package.split("."))
    if (folder / f"{name}.py").exists() or (folder / name).is_dir():
        return f"{package}.{name}"
    return package


def layer(module: str) -> str:
    """The stage a module belongs to; top-level modules (``records``, ``__init__``) count as records."""
    parts = module.split(".")
    # ``counterclaim.records``, or ``from counterclaim import __version__`` (a name, not a stage)
    if len(parts) < 2 or not (ROOT / parts[1]).is_dir():
        return "records"
    return parts[1]


def crossings() -> dict[tuple[str, str], str]:
    """Every (importer, imported) pair in the source tree that breaks the rule, with a line to show."""
    found: dict[tuple[str, str], str] = {}
    for path in sorted(ROOT.rglob("*.py")):
        found.update(crossings_in({module_name(path): path.read_text(encoding="utf-8")},
                                  packages={module_name(path)} if path.name == "__init__.py" else set()))
    return found


def crossings_in(sources: dict[str, str], packages: set[str] = frozenset()) -> dict[tuple[str, str], str]:
    found: dict[tuple[str, str], str] = {}
    for importer, source in sources.items():
        stage = layer(importer)
        if stage in TOP:
            continue
        allowed = ALLOWED.get(stage, BASE) | {stage}
        for target in imports_in(source, importer, importer in packages):
            if layer(target) not in allowed:
                found[(importer, target)] = f"{importer}: {stage} imports {target}"
    return found


def test_every_stage_is_known():
    """A new top-level package must be given its place in the rule above."""
    stages = {p.name for p in ROOT.iterdir() if p.is_dir() and not p.name.startswith(("_", "."))}
    stages -= {"demo"}  # sample articles, no code
    assert stages <= set(ALLOWED) | TOP | BASE, stages - (set(ALLOWED) | TOP | BASE)


def test_no_new_crossings():
    new = {pair: why for pair, why in crossings().items() if pair not in KNOWN}
    assert not new, "stages import across the layering (issue 15):\n" + "\n".join(sorted(new.values()))


def test_known_crossings_only_shrink():
    gone = set(KNOWN) - set(crossings())
    assert not gone, f"remove these from KNOWN, they no longer cross: {sorted(gone)}"


def test_reader_sees_lazy_and_relative_imports():
    """The reader itself: function-level, relative and package-level imports are found and resolved."""
    source = (
        "import json\n"
        "from . import names\n"
        "def f():\n"
        "    from ..link.model import EventCluster\n"
        "    import counterclaim.nlp.events\n"
        "    from counterclaim import ingest\n"
    )
    assert imports_in(source, "counterclaim.store.convert") == {
        "counterclaim.store.names", "counterclaim.link.model", "counterclaim.nlp.events", "counterclaim.ingest"}
    assert imports_in("from .convert import row", "counterclaim.store", is_package=True) == {
        "counterclaim.store.convert"}
    found = crossings_in({"counterclaim.store.convert": source})
    assert set(found) == {("counterclaim.store.convert", t) for t in (
        "counterclaim.link.model", "counterclaim.nlp.events", "counterclaim.ingest")}


@pytest.mark.parametrize("module, expected", [
    ("counterclaim.records", "records"),
    ("counterclaim", "records"),
    ("counterclaim.data.lexicon", "data"),
    ("counterclaim.link.within", "link"),
])
def test_layer_names(module, expected):
    assert layer(module) == expected

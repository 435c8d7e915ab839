"""The direction of imports (shared/docs/architecture.md): organizations ← registry ←
monitoring ← evaluation ← contest ← reports ← web. An app imports only apps below it; the
project's helpers import no app; the modules that join several apps (the spreadsheet import,
the demo data) are used only by the web and its commands. The test reads the source, so a
new import against the direction fails it at once."""

from __future__ import annotations

import ast
from pathlib import Path

import profinfo

ROOT = Path(profinfo.__file__).parent
LAYERS = ["organizations", "registry", "monitoring", "evaluation", "contest", "reports",
          "web"]
HELPERS = {"tabular", "bulk", "formatting", "caching", "exchange"}
JOINERS = {"spreadsheets", "demo"}  # above reports, below web


def rank(top: str) -> float | None:
    if top in LAYERS:
        return LAYERS.index(top)
    if top in JOINERS:
        return LAYERS.index("reports") + 0.5
    return None


def imports_of(path: Path) -> list[tuple[int, str]]:
    """(line, the profinfo module imported) for every import a module makes, TYPE_CHECKING
    blocks left out (they are not imported when the program runs)."""
    tree = ast.parse(path.read_text(), str(path))
    skipped = {id(node) for block in ast.walk(tree) if isinstance(block, ast.If)
               and "TYPE_CHECKING" in ast.unparse(block.test) for node in ast.walk(block)}
    package = ".".join(path.relative_to(ROOT.parent).with_suffix("").parts[:-1])
    found = []
    for node in ast.walk(tree):
        if id(node) in skipped:
            continue
        if isinstance(node, ast.Import):
            found += [(node.lineno, alias.name) for alias in node.names]
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                base = package.split(".")[:len(package.split(".")) - node.level + 1]
                module = ".".join(base + ([node.module] if node.module else []))
            else:
                module = node.module or ""
            found.append((node.lineno, module))
    return [(line, name) for line, name in found if name.split(".")[0] == "profinfo"]


def violations() -> list[str]:
    found = []
    for path in sorted(ROOT.rglob("*.py")):
        parts = path.relative_to(ROOT).with_suffix("").parts
        if "migrations" in parts:
            continue
        own = parts[0]
        for line, module in imports_of(path):
            target = module.split(".")[1] if "." in module else ""
            if not target or target == own:
                continue
            where = f"{path.relative_to(ROOT.parent)}:{line} imports {module}"
            if own in HELPERS and (target in LAYERS or target in JOINERS):
                found.append(f"{where}: a helper imports no app")
            elif target in JOINERS and own != "web":
                found.append(f"{where}: only the web joins the apps' spreadsheets and demo")
            elif rank(own) is not None and rank(target) is not None \
                    and rank(target) > rank(own):
                found.append(f"{where}: against the direction")
    return found


def test_imports_point_one_way():
    assert violations() == []


def test_the_check_sees_an_import_against_the_direction(tmp_path, monkeypatch):
    """The check itself can fail: a registry module importing monitoring is named."""
    fake = tmp_path / "profinfo"
    (fake / "registry").mkdir(parents=True)
    (fake / "registry" / "bad.py").write_text("from profinfo.monitoring import models\n")
    (fake / "tabular.py").write_text("from profinfo.registry.models import Resource\n")
    monkeypatch.setattr(__import__(__name__), "ROOT", fake, raising=False)
    global ROOT
    saved, ROOT = ROOT, fake
    try:
        found = violations()
    finally:
        ROOT = saved
    assert any("registry/bad.py:1 imports profinfo.monitoring" in v for v in found)
    assert any("tabular.py:1" in v and "helper" in v for v in found)

"""Imports run only downwards: core <- enterprises <- projects <- campaigns <- notifications /
dashboards. projects refers to the campaign only by the string "campaigns.Campaign"; campaigns
never reaches up into issues, notifications or dashboards (also not inside a function)."""

import ast
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
ABOVE = {
    "projects": {"campaigns", "issues", "notifications", "dashboards"},
    "campaigns": {"issues", "notifications", "dashboards"},
}


def _imports(path: Path) -> set[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    names = {alias.name for node in ast.walk(tree) if isinstance(node, ast.Import) for alias in node.names}
    names |= {node.module for node in ast.walk(tree) if isinstance(node, ast.ImportFrom) and node.module}
    return {name.split(".")[0] for name in names}


@pytest.mark.parametrize("app", sorted(ABOVE))
def test_no_import_runs_up(app):
    offending = {
        str(path.relative_to(ROOT)): sorted(_imports(path) & ABOVE[app])
        for path in (ROOT / app).rglob("*.py")
        if _imports(path) & ABOVE[app]
    }
    assert offending == {}

"""core is the ground floor: no module of it imports a domain app (enterprises, projects,
campaigns, issues, notifications, dashboards), at the top of the file or inside a function."""

import ast
import pathlib

import core

DOMAIN_APPS = {"enterprises", "projects", "campaigns", "issues", "notifications", "dashboards"}
# Demo data is being moved into each app (issue #8 item 3); until then it is the one exception.
PENDING = {"demo.py", "management/commands/load_demo.py"}


def imported_modules(path: pathlib.Path) -> set[str]:
    names = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            names |= {alias.name for alias in node.names}
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            names.add(node.module)
    return names


def test_core_imports_no_domain_app():
    root = pathlib.Path(core.__file__).parent
    offenders = {}
    for path in sorted(root.rglob("*.py")):
        relative = path.relative_to(root).as_posix()
        if relative in PENDING or "/migrations/" in f"/{relative}":
            continue
        found = {name for name in imported_modules(path) if name.split(".")[0] in DOMAIN_APPS}
        if found:
            offenders[relative] = sorted(found)
    assert offenders == {}

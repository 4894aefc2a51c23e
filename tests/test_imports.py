"""The import graph of the project's own modules, read from the source (module-level and
function-level imports alike): no two modules import each other, directly or round a circle, and
imports run only down the layers of the apps."""

import ast
from pathlib import Path

from django.conf import settings

ROOT = Path(settings.BASE_DIR)
SKIPPED = {".venv", "var", "static", "tests", "bench", "migrations", "node_modules"}


def _modules() -> dict[str, Path]:
    modules = {}
    for path in ROOT.rglob("*.py"):
        relative = path.relative_to(ROOT)
        if SKIPPED & set(relative.parts):
            continue
        name = ".".join(relative.with_suffix("").parts)
        modules[name.removesuffix(".__init__")] = path
    return modules


def _graph() -> dict[str, set[str]]:
    modules = _modules()

    def ours(name: str) -> str | None:
        parts = name.split(".")
        for end in range(len(parts), 0, -1):
            candidate = ".".join(parts[:end])
            if candidate in modules:
                return candidate
        return None

    graph = {}
    for name, path in modules.items():
        package = name if path.name == "__init__.py" else name.rpartition(".")[0]
        targets = set()
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Import):
                targets |= {alias.name for alias in node.names}
            elif isinstance(node, ast.ImportFrom):
                base = node.module or ""
                if node.level:
                    parent = package.split(".")[: len(package.split(".")) - node.level + 1]
                    base = ".".join([*parent, base] if base else parent)
                targets |= {f"{base}.{alias.name}" for alias in node.names} | {base}
        resolved = {ours(t) for t in targets} - {None, name}
        # An empty package __init__ is only the way to its modules, not a dependency.
        graph[name] = {t for t in resolved if not (modules[t].name == "__init__.py" and not modules[t].read_text())}
    return graph


def _cycles(graph: dict[str, set[str]]) -> list[list[str]]:
    """Strongly connected components with more than one module (Tarjan)."""
    index, low, stack, on_stack, found = {}, {}, [], set(), []

    def visit(node):
        index[node] = low[node] = len(index)
        stack.append(node)
        on_stack.add(node)
        for target in graph[node]:
            if target not in index:
                visit(target)
                low[node] = min(low[node], low[target])
            elif target in on_stack:
                low[node] = min(low[node], index[target])
        if low[node] == index[node]:
            component = []
            while True:
                member = stack.pop()
                on_stack.discard(member)
                component.append(member)
                if member == node:
                    break
            if len(component) > 1:
                found.append(sorted(component))

    for node in graph:
        if node not in index:
            visit(node)
    return found


def test_no_two_modules_import_each_other():
    assert _cycles(_graph()) == []


# The layers (#8 item 3): an app imports only apps of lower layers, never one of its own layer,
# at the top of a file or inside a function. A lower app announces events through a hook
# registry (issues.hooks, notifications.registry) or offers a section registry (core.sections)
# that a higher app fills in its AppConfig.ready().
LAYERS = {
    "core": 0,
    "accounts": 1,
    "savedfilters": 1,
    "ops": 1,
    "enterprises": 1,
    "projects": 2,
    "campaigns": 3,
    "issues": 3,
    "intake": 3,
    "funding": 3,
    "geo": 3,
    "approvals": 3,
    "notifications": 4,
    "dashboards": 5,
    "scale": 6,
}


def test_every_app_has_a_layer():
    from django.apps import apps

    venv = str(ROOT / ".venv")
    ours = {c.name for c in apps.get_app_configs() if c.path.startswith(str(ROOT)) and not c.path.startswith(venv)}
    assert ours == set(LAYERS)


def test_imports_run_only_down_the_layers():
    wrong = set()
    for module, targets in _graph().items():
        app = module.split(".")[0]
        if app not in LAYERS:
            continue
        for target in targets:
            other = target.split(".")[0]
            if other in LAYERS and other != app and LAYERS[other] >= LAYERS[app]:
                wrong.add((module, target))
    assert wrong == set()

"""The code's order (DESIGN.md section 3), checked: who imports whom, and who serves a URL."""

from __future__ import annotations

import ast
import re
from collections import defaultdict
from pathlib import Path

from flask import Flask

PACKAGE = Path(__file__).resolve().parent.parent / "campaign"
TEMPLATES = PACKAGE.parent / "templates"
#: a row's status (or outcome) compared with a quoted literal in a template: ``letter.status == "open"``
STATUS_LITERAL = re.compile(r"""(?:\.status|\.outcome|\bstatus)\s*(?:==|!=|in|not in)\s*\(?\s*["']""")
DOMAINS = ("campaigns", "signatures", "letters", "updates", "accounts", "moderation", "defenders")
#: what each kind of package may never import
FORBIDDEN = {domain: ("campaign.dashboard", "campaign.api") for domain in DOMAINS} | {
    "campaigns": ("campaign.dashboard", "campaign.api", "campaign.letters", "campaign.updates"),
    "signatures": ("campaign.dashboard", "campaign.api", "campaign.letters", "campaign.updates"),
    "defenders": ("campaign.dashboard", "campaign.api", "campaign.letters", "campaign.updates"),
}


def _imports(path: Path) -> set[str]:
    names = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            names.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module:
            names.add(node.module)
            names.update(f"{node.module}.{alias.name}" for alias in node.names)
    return names


def test_no_domain_imports_a_layer_above_it() -> None:
    wrong = [
        f"{path.relative_to(PACKAGE)} imports {name}"
        for domain, forbidden in FORBIDDEN.items()
        for path in sorted((PACKAGE / domain).glob("*.py"))
        for name in _imports(path)
        if name.startswith(forbidden)
    ]
    assert wrong == []


def test_infrastructure_imports_no_domain() -> None:
    domains = tuple(f"campaign.{name}" for name in (*DOMAINS, "dashboard", "api"))
    wrong = [
        f"{path.name} imports {name}"
        for path in sorted(PACKAGE.glob("*.py"))
        if path.name not in ("__init__.py", "demo.py", "demo_data.py", "devrun.py")  # the factory, the seeds
        for name in _imports(path)
        if name.startswith(domains)
    ]
    assert wrong == []


def test_each_url_is_served_by_one_blueprint(app: Flask) -> None:
    blueprints: dict[str, set[str]] = defaultdict(set)
    for rule in app.url_map.iter_rules():
        blueprints[rule.rule].add(rule.endpoint.rpartition(".")[0])
    assert {url: names for url, names in blueprints.items() if len(names) > 1} == {}


def _python_files() -> list[Path]:
    root = PACKAGE.parent
    return sorted([*PACKAGE.rglob("*.py"), *root.glob("*.py"), *(root / "tests").rglob("*.py")])


def _module_name(path: Path) -> str:
    parts = path.relative_to(PACKAGE.parent).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def _is_module(dotted: str) -> bool:
    path = PACKAGE.parent.joinpath(*dotted.split("."))
    return path.with_suffix(".py").is_file() or (path / "__init__.py").is_file()


def _blueprints(tree: ast.Module) -> set[str]:
    """The names a module binds at its top level to a ``Blueprint(...)``."""
    return {
        target.id
        for node in tree.body
        if isinstance(node, ast.Assign)
        and isinstance(node.value, ast.Call)
        and isinstance(node.value.func, ast.Name)
        and node.value.func.id == "Blueprint"
        for target in node.targets
        if isinstance(target, ast.Name)
    }


def test_only_a_blueprints_own_module_adds_to_it() -> None:
    """No module decorates routes (or hooks) on a blueprint it imported: a URL is found where its
    blueprint is, and nothing is served because some other module happened to be imported."""
    trees = {_module_name(path): ast.parse(path.read_text(encoding="utf-8")) for path in _python_files()}
    defined = {module: _blueprints(tree) for module, tree in trees.items()}
    wrong = []
    for module, tree in trees.items():
        imported = {
            alias.asname or alias.name: f"{node.module}.{alias.name}"
            for node in ast.walk(tree)
            if isinstance(node, ast.ImportFrom) and node.module
            for alias in node.names
            if alias.name in defined.get(node.module, ())
        }
        wrong.extend(
            f"{module} uses {imported[node.value.id]}.{node.attr}"
            for node in ast.walk(tree)
            if isinstance(node, ast.Attribute)
            and isinstance(node.value, ast.Name)
            and node.value.id in imported
        )
    assert wrong == []


def test_each_view_lives_in_its_blueprints_module(app: Flask) -> None:
    wrong = {
        rule.endpoint: app.view_functions[rule.endpoint].__module__
        for rule in app.url_map.iter_rules()
        if rule.endpoint != "static"
        and app.view_functions[rule.endpoint].__module__
        != app.blueprints[rule.endpoint.rpartition(".")[0]].import_name
    }
    assert wrong == {}


def test_no_campaign_module_is_imported_for_its_side_effects() -> None:
    """Every module of ours that is imported is used where it is imported: importing one must not
    register routes, listeners or providers as it goes (``create_app`` calls what registers)."""
    wrong = []
    for path in _python_files():
        tree = ast.parse(path.read_text(encoding="utf-8"))
        used = {node.id for node in ast.walk(tree) if isinstance(node, ast.Name)}
        exported = {
            element.value
            for node in tree.body
            if isinstance(node, ast.Assign)
            and any(isinstance(target, ast.Name) and target.id == "__all__" for target in node.targets)
            and isinstance(node.value, ast.List | ast.Tuple)
            for element in node.value.elts
            if isinstance(element, ast.Constant)
        }
        for node in ast.walk(tree):
            if isinstance(node, ast.Import):
                modules = [(alias.asname or alias.name.partition(".")[0], alias.name) for alias in node.names]
            elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
                modules = [
                    (alias.asname or alias.name, f"{node.module}.{alias.name}")
                    for alias in node.names
                    if _is_module(f"{node.module}.{alias.name}")
                ]
            else:
                continue
            wrong.extend(
                f"{path.relative_to(PACKAGE.parent)}:{node.lineno} imports {dotted} and does not use it"
                for bound, dotted in modules
                if dotted.startswith("campaign") and bound not in used and bound not in exported
            )


def test_templates_compare_statuses_with_their_enums() -> None:
    """A status is spelled once, in its model's enum (campaign/__init__.py's register_statuses)."""
    wrong = [
        f"{path.relative_to(TEMPLATES)}:{number}"
        for path in sorted(TEMPLATES.rglob("*.html"))
        for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1)
        if STATUS_LITERAL.search(line)
    ]
    assert wrong == []

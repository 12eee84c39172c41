"""The code's order (DESIGN.md section 3), checked: who imports whom, and who serves a URL."""

from __future__ import annotations

import ast
from collections import defaultdict
from pathlib import Path

from flask import Flask

PACKAGE = Path(__file__).resolve().parent.parent / "campaign"
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

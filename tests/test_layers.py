"""The layers of DESIGN §3: an app imports only the apps below it, and no app imports home.

pods → families → onestory → scheduling → supervision → feedback → reporting → dataprotection
→ home, with
accounts (sign-in) beneath them all and config's neutral helpers open to every layer. A Celery
task module may import the service it runs; none does upwards today, so none is excused."""

import ast
import pathlib

import pytest

ROOT = pathlib.Path(__file__).resolve().parent.parent
LAYERS = [
    "accounts",
    "pods",
    "families",
    "onestory",
    "scheduling",
    "supervision",
    "feedback",
    "reporting",
    "dataprotection",
    "home",
]
# config holds settings, URLs and the Celery app (which see every app) and the neutral GOV.UK
# helpers; an app may import only those neutral modules from it.
NEUTRAL_CONFIG_MODULES = {
    "config.govuk_forms",
    "config.spreadsheets",
    "config.cache_control",
    "config.embedded",
    "config.celery",
    "config.bulk",
}


def imported_modules(path: pathlib.Path):
    tree = ast.parse(path.read_text(), filename=str(path))
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            for alias in node.names:
                yield node.lineno, alias.name
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            yield node.lineno, node.module


def upward_imports(app: str) -> list[str]:
    rank = {name: position for position, name in enumerate(LAYERS)}
    found = []
    for path in sorted((ROOT / app).rglob("*.py")):
        if "migrations" in path.parts:
            continue
        for line, module in imported_modules(path):
            top = module.split(".")[0]
            if top in rank and rank[top] > rank[app]:
                found.append(f"{path.relative_to(ROOT)}:{line} imports {module}")
            if top == "config" and module not in NEUTRAL_CONFIG_MODULES:
                found.append(f"{path.relative_to(ROOT)}:{line} imports {module}")
    return found


@pytest.mark.parametrize("app", LAYERS)
def test_an_app_imports_only_the_apps_below_it(app):
    assert upward_imports(app) == []


def test_the_check_finds_an_upward_import(tmp_path, monkeypatch):
    """The check itself can fail: a pods module importing families is caught."""
    fake_root = tmp_path
    (fake_root / "pods").mkdir()
    (fake_root / "pods" / "views.py").write_text("from families.models import Family\n")
    monkeypatch.setattr(__import__(__name__, fromlist=["ROOT"]), "ROOT", fake_root)
    assert upward_imports("pods") == ["pods/views.py:1 imports families.models"]


def test_every_app_is_in_a_layer():
    apps = {
        path.parent.name
        for path in ROOT.glob("*/apps.py")
        if path.parent.name not in ("config", "bench")
    }
    assert apps == set(LAYERS)

"""Source kinds are self-describing modules: the registry, detection and ranking follow from their declarations."""

from __future__ import annotations

import ast
import sys
from pathlib import Path

import pytest

import parsers
from datapackage.readme import package_readme
from parsers import kinds
from tests.conftest import PROJECT_ROOT, SOURCES

KIND_FILES = sorted(p for p in Path(kinds.__file__).parent.glob("*.py") if p.name != "__init__.py")


def test_every_module_in_kinds_is_a_registered_kind() -> None:
    assert [p.stem for p in KIND_FILES] == sorted(m.__name__.rsplit(".", 1)[1] for m in parsers.PARSERS)
    assert parsers.RANKS == {"eura_registry": 0, "project_card": 1, "report_table": 2, "web_page": 3, "slides": 4}
    assert [m.RANK for m in parsers.PARSERS] == sorted(parsers.RANKS.values())


def test_a_new_kind_is_one_module(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    (tmp_path / "minutes.py").write_text(
        "KIND = 'minutes'\nRANK = 9\nTITLE = 'meeting minutes'\n"
        "def detect(lines): return 0.9 if lines and lines[0] == 'PÖYTÄKIRJA' else 0.0\n"
        "def parse(lines, file_name): raise NotImplementedError\n",
        encoding="utf-8",
    )
    monkeypatch.setattr(kinds, "__path__", [*kinds.__path__, str(tmp_path)])
    found = parsers._discover()
    assert [m.KIND for m in found][-1] == "minutes"
    (tmp_path / "agenda.py").write_text("KIND = 'agenda'\n", encoding="utf-8")
    with pytest.raises(TypeError, match=r"parsers/kinds/agenda\.py declares no RANK, TITLE, detect, parse"):
        parsers._discover()
    for name in ("minutes", "agenda"):
        monkeypatch.delitem(sys.modules, f"parsers.kinds.{name}", raising=False)


def test_detection_takes_the_surest_kind_whatever_the_order(monkeypatch: pytest.MonkeyPatch) -> None:
    texts = {p.name: p.read_text(encoding="utf-8").split("\n") for p in sorted(SOURCES.iterdir())}
    chosen = {name: parsers.select_parser(lines).KIND for name, lines in texts.items()}
    seeds = sorted(kind for name, kind in chosen.items() if not name.startswith("eura2014_"))
    assert seeds == ["project_card", "project_card", "report_table", "slides", "web_page"]
    assert {kind for name, kind in chosen.items() if name.startswith("eura2014_")} <= {"eura_registry"}
    monkeypatch.setattr(parsers, "PARSERS", list(reversed(parsers.PARSERS)))
    assert {name: parsers.select_parser(lines).KIND for name, lines in texts.items()} == chosen
    assert parsers.select_parser(["Muistiinpanoja.", "Ei hanketietoja."]) is None


def test_no_kind_imports_another() -> None:
    for path in KIND_FILES:
        tree = ast.parse(path.read_text(encoding="utf-8"))
        imported = [n.module for n in ast.walk(tree) if isinstance(n, ast.ImportFrom) and n.module]
        imported += [a.name for n in ast.walk(tree) if isinstance(n, ast.Import) for a in n.names]
        assert not [m for m in imported if m.startswith("parsers.kinds")], path.name


def test_the_rule_text_follows_the_declared_ranks() -> None:
    rule = parsers.ranking_text()
    assert rule.startswith("the EURA 2014 registry page (the official record) outranks a project card")
    assert rule.endswith("which outranks slides")
    readme = " ".join((PROJECT_ROOT / "README.md").read_text(encoding="utf-8").split())
    assert rule in readme
    assert rule in package_readme("0", None, {}, [])

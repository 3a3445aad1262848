"""docs/adding-an-area.md cannot drift: every area module it names declares what it says, the
courses area (its worked example) declares the lines it quotes, and each layer's collector finds it."""

from __future__ import annotations

import importlib
import re
from pathlib import Path

from mockcanvas import areas
from mockcanvas.api import ROUTE_TABLES
from mockcanvas.store import registry

ROOT = Path(__file__).resolve().parents[2]
DOC = (ROOT / "docs" / "adding-an-area.md").read_text(encoding="utf-8")
SOURCE = {layer: (ROOT / "mockcanvas" / layer / "courses.py").read_text(encoding="utf-8")
          for layer in ("api", "store", "seed", "views")}


def test_the_table_names_what_each_layer_declares():
    rows = re.findall(r"^\| [\w ]+ \| `mockcanvas/(\w+)/<area>\.py` \| ([^|]+) \|", DOC, re.M)
    assert {layer for layer, _ in rows} == {"api", "views", "store", "seed"}
    for layer, declared in rows:
        required = re.sub(r"\(\+[^)]*\)", "", declared)  # "(+ X, Y)": optional declarations
        names = re.findall(r"`(\w+)(?:\(\))?`", required)
        module = importlib.import_module(f"mockcanvas.{layer}.courses")
        for name in names:
            assert hasattr(module, name), f"mockcanvas.{layer}.courses has no {name}"


def test_one_line_declarations_are_quoted_from_the_courses_modules():
    quoted = [line.strip() for line in re.findall(r"^ {3}(RECORDS = .*|SIS_FORMS = .*|SECTIONS = .*)$", DOC, re.M)]
    assert len(quoted) == 3
    for line in quoted:
        assert any(line in text for text in SOURCE.values()), f"not in the courses modules: {line}"


def test_every_layer_collects_the_courses_area():
    assert "courses" in areas.AREAS
    assert importlib.import_module("mockcanvas.api.courses").routes in ROUTE_TABLES
    assert "courses" in registry.TABLES and ("courses", importlib.import_module(
        "mockcanvas.store.courses").CourseOps) in registry.OPS
    assert "courses" in registry.LIVE_EVENTS
    sections = {s.name for m in areas.modules("seed") for s in getattr(m, "SECTIONS", ())}
    assert "courses" in sections

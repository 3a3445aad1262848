"""Fixtures of the OpenAPI tests; the helpers live in ``openapi_checker``."""

from __future__ import annotations

import pytest
from openapi_checker import Checker


@pytest.fixture
def checker(canvas_store):
    """A Checker on the test's world (rolled back before the test); fails on recorded problems."""
    c = Checker(canvas_store)
    try:
        yield c
        assert not c.problems, f"the mock recorded problems: {c.problems}"
    finally:
        c.close()

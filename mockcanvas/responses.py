"""Rendering JSON the way Canvas does, shared by the app and the handlers."""

from __future__ import annotations

import json
from typing import Any

from aiohttp import web

from .coerce import stringify_ids
from .keys import PARAMS

STRING_IDS = "application/json+canvas-string-ids"


def dumps(data: Any) -> str:
    """JSON as Canvas sends it: ``<``, ``>`` and ``&`` escaped (Oj xss_safe)."""
    text = json.dumps(data, ensure_ascii=False, separators=(",", ":"))
    return text.replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026")


def render(request: web.Request, data: Any, *, status: int = 200,
           headers: dict[str, str] | None = None) -> web.Response:
    if STRING_IDS in request.headers.get("Accept", ""):
        data = stringify_ids(data)
    return web.Response(text=dumps(data), status=status, headers=headers,
                        content_type="application/json", charset="utf-8")


def params_of(request: web.Request) -> dict[str, Any]:
    return request.get(PARAMS, {})



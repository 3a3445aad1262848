"""Rendering JSON the way Canvas does, shared by the app and the handlers."""

from __future__ import annotations

import json
import json.encoder
from typing import Any

from aiohttp import web

from .coerce import stringify_ids
from .keys import PARAMS

STRING_IDS = "application/json+canvas-string-ids"

# ``json.dumps(data, ensure_ascii=False, separators=(",", ":"))``, built once: json.dumps makes a
# JSONEncoder per call and JSONEncoder.encode wraps the C encoder in Python; calling the C encoder
# with the very arguments JSONEncoder.iterencode gives it (fresh markers for the circular check, no
# indent, these separators, no sort_keys, no skipkeys, allow_nan) writes the same text for less.
# Used only if it answers a sample as JSONEncoder does (the C encoder is not a public API).
_ENCODER = json.JSONEncoder(ensure_ascii=False, separators=(",", ":"))
_c_make_encoder = getattr(json.encoder, "c_make_encoder", None)
_encode_str = json.encoder.encode_basestring  # the C one when available, as JSONEncoder picks it


def _c_encode(data: Any) -> str:
    return "".join(_c_make_encoder({}, _ENCODER.default, _encode_str, None, ":", ",",  # type: ignore[misc]
                                   False, False, True)(data, 0))


def _c_encoder_works() -> bool:
    sample = {"a": [1, 2.5, None, True, "é\n<&>"], "b": {"c": float("nan")}}
    try:
        return _c_make_encoder is not None and _c_encode(sample) == _ENCODER.encode(sample)
    except Exception:
        return False


_C_ENCODER = _c_encoder_works()


def _encode(data: Any) -> str:
    if not _C_ENCODER or isinstance(data, str):
        return _ENCODER.encode(data)
    return _c_encode(data)


def dumps(data: Any) -> str:
    """JSON as Canvas sends it: ``<``, ``>`` and ``&`` escaped (Oj xss_safe)."""
    text = _encode(data)
    if "<" in text or ">" in text or "&" in text:  # three searches cost less than three replaces
        text = text.replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026")
    return text


def render(request: web.Request, data: Any, *, status: int = 200,
           headers: dict[str, str] | None = None) -> web.Response:
    if STRING_IDS in request.headers.get("Accept", ""):
        data = stringify_ids(data)
    return web.Response(text=dumps(data), status=status, headers=headers,
                        content_type="application/json", charset="utf-8")


def params_of(request: web.Request) -> dict[str, Any]:
    try:  # request.get(PARAMS, {}), one call shorter (Mapping.get calls __getitem__)
        return request[PARAMS]
    except KeyError:
        return {}

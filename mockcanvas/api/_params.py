"""Canvas (Rails) request parameters: query string, form bodies and JSON bodies, merged.

Rails' rack parser rules, as canvasapi and curl rely on them (canvas-facts section 9):
``key[]=a&key[]=b`` is a list, ``key[sub]=v`` a hash, ``key[sub][]=v`` a hash of lists, and a
repeated plain key keeps the *last* value (canvasapi sends ``per_page`` twice). Body parameters
override query-string ones. An empty body, with or without a Content-Type, is no parameters.
"""

from __future__ import annotations

import json
import math
import re
from typing import Any, Iterable

from aiohttp import web
from aiohttp.http_exceptions import HttpProcessingError

from ..coerce import as_list, to_bool
from ..errors import BadRequest

__all__ = ["as_list", "flag", "parse_pairs", "query_params", "read_params", "str_list"]

_KEY = re.compile(r"\A([^\[\]]+)((?:\[[^\[\]]*\])*)\Z")


def _assign(target: dict[str, Any], key: str, value: Any) -> None:
    m = _KEY.match(key)
    if not m:
        target[key] = value
        return
    head, rest = m.group(1), m.group(2)
    parts = re.findall(r"\[([^\[\]]*)\]", rest) if rest else []
    node: Any = target
    name = head
    for i, part in enumerate(parts):
        last = i == len(parts) - 1
        if part == "":
            # ``name[]``: a list at ``name``; anything after [] is not supported by Canvas clients
            lst = node.get(name)
            if not isinstance(lst, list):
                lst = []
                node[name] = lst
            lst.append(value)
            return
        child = node.get(name)
        if not isinstance(child, dict):
            child = {}
            node[name] = child
        node = child
        name = part
        if last:
            break
    node[name] = value


def parse_pairs(pairs: Iterable[tuple[str, Any]]) -> dict[str, Any]:
    out: dict[str, Any] = {}
    for k, v in pairs:
        _assign(out, k, v)
    return out


def _bad_request() -> BadRequest:
    return BadRequest({"errors": [{"message": "An error occurred.", "error_code": "bad_request"}]})


def _no_constant(name: str) -> Any:
    raise ValueError(f"{name} is not JSON")


def _finite_float(text: str) -> float:
    value = float(text)
    if not math.isfinite(value):
        raise ValueError(f"{text} is out of range")
    return value


async def read_params(request: web.Request) -> dict[str, Any]:
    """All parameters of a request: query string, then the body (form, multipart or JSON)."""
    params = parse_pairs(request.rel_url.query.items())
    if request.method in ("GET", "HEAD") or not request.body_exists:
        return params
    ctype = request.content_type
    if ctype == "application/json":
        raw = await request.read()
        if raw.strip():
            try:
                # Canvas's JSON parser takes no NaN/Infinity; numbers beyond a float, or nesting past
                # the interpreter's limit, are as unparseable
                body = json.loads(raw, parse_constant=_no_constant, parse_float=_finite_float)
            except (ValueError, UnicodeDecodeError, RecursionError):
                raise _bad_request() from None
            if isinstance(body, dict):
                params.update(body)
        return params
    if ctype in ("application/x-www-form-urlencoded", "multipart/form-data", "application/octet-stream", ""):
        try:
            form = await request.post()
        except (ValueError, UnicodeDecodeError):
            form = {}
        except HttpProcessingError:  # a malformed multipart part (header): Rails answers 400
            raise _bad_request() from None
        pairs = [(k, v) for k, v in form.items() if isinstance(v, str)]
        params.update(parse_pairs(pairs))
    return params


def query_params(request: web.Request) -> dict[str, Any]:
    """Only the query string (what Canvas carries into pagination links)."""
    return parse_pairs(request.rel_url.query.items())


def str_list(value: Any) -> list[str]:
    return [str(v) for v in as_list(value) if isinstance(v, (str, int, float))]


def flag(params: dict[str, Any], key: str, default: bool = False) -> bool:
    v = to_bool(params.get(key), default)
    return bool(v)

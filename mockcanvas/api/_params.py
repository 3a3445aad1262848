"""Canvas (Rails) request parameters: query string, form bodies and JSON bodies, merged.

Rails' rack parser rules, as canvasapi and curl rely on them (canvas-facts section 9):
``key[]=a&key[]=b`` is a list, ``key[sub]=v`` a hash, ``key[sub][]=v`` a hash of lists, and a
repeated plain key keeps the *last* value (canvasapi sends ``per_page`` twice). Body parameters
override query-string ones. An empty body, with or without a Content-Type, is no parameters.

What Rails refuses before any controller runs is refused here, as ActionController::BadRequest:
400 ``{"errors":[{"message":"An error occurred.","error_code":"bad_request"}]}``
(``ApplicationController#rescue_action_in_api`` renders the status's name as the error code):

* text that is not UTF-8: invalid bytes in a form body, a ``%``-escape of invalid UTF-8 in the
  path (:func:`check_path`), the query or a form body (rack's ``Rack::Utils::InvalidParameterError`` / Rails' "Invalid request
  parameters: invalid %-encoding"), and lone UTF-16 surrogates, which JSON can spell (``"\ud800"``)
  and no Canvas string column can store (a multipart file name or field name can carry them too:
  aiohttp decodes header bytes with ``surrogateescape``);
* a multipart body without a boundary, or whose boundary never comes (rack's ``EOFError: bad
  content body``), and a form body in a charset Python does not know;
* keys nested deeper than rack's ``param_depth_limit`` (32: ``ParamsTooDeepError``) and more than
  rack's ``params_limit`` fields (4,096, ``QueryLimitError``; ``create_app`` sets aiohttp's field
  limit to it). A body over the upload limit is a 413 with the same shape (``payload_too_large``).

Integers in JSON bodies are parsed with the bound of ``coerce.bounded_digits`` (no 4,300-digit
failure, no quadratic parse). :func:`scalar_paths` and :func:`drop_non_scalars` are strong
parameters for the areas that declare ``STRONG_PARAMETERS``: a value that is an array or a hash
where the route documents a flat scalar body parameter (``{"name": ["a", "b"]}``) is dropped, as
``params.permit(:name)`` drops it, instead of reaching a model as a Python repr.

Limitations: a request line or header over aiohttp's limits (8,190 bytes) is refused by aiohttp's
parser before any middleware runs, with its own text/plain 400 (Canvas's web server answers such
requests with an HTML 414 / 400, not JSON either).
"""

from __future__ import annotations

import json
import math
import re
from collections.abc import Iterable
from typing import Any
from urllib.parse import unquote_to_bytes

from aiohttp import web
from aiohttp.http_exceptions import HttpProcessingError

from ..coerce import as_list, json_int, to_bool
from ..errors import BadRequest, CanvasError

__all__ = ["as_list", "check_path", "drop_non_scalars", "flag", "parse_pairs", "query_params",
           "read_params", "scalar_paths", "str_list"]

_KEY = re.compile(r"\A([^\[\]]+)((?:\[[^\[\]]*\])*)\Z")
_PART = re.compile(r"\[([^\[\]]*)\]")
DEPTH_LIMIT = 32  # rack's Rack::Utils.param_depth_limit
PARAMS_LIMIT = 4096  # rack's QueryParser params_limit (2.2.14, 3.1.14)
_SURROGATE = re.compile("[\ud800-\udfff]")
# a %-escape of a byte >= 0x80: the only way a query or form body spells a non-ASCII byte
_HIGH_ESCAPE = re.compile(rb"%[89a-fA-F][0-9a-fA-F]")


def _assign(target: dict[str, Any], key: str, value: Any) -> None:
    m = _KEY.match(key)
    if not m:
        target[key] = value
        return
    head, rest = m.group(1), m.group(2)
    parts = _PART.findall(rest) if rest else []
    if len(parts) >= DEPTH_LIMIT:
        raise _bad_request()
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


class PayloadTooLarge(CanvasError):
    """A body over the upload limit, in the shape of Canvas's generic API error."""

    status = 413

    def body(self) -> Any:
        return {"errors": [{"message": "An error occurred.", "error_code": "payload_too_large"}]}


def _no_constant(name: str) -> Any:
    raise ValueError(f"{name} is not JSON")


def _finite_float(text: str) -> float:
    value = float(text)
    if not math.isfinite(value):
        raise ValueError(f"{text} is out of range")
    return value


def has_surrogate(value: Any) -> bool:
    """Whether a lone surrogate (text no UTF-8 encoder takes) is anywhere in ``value``: its strings,
    its keys, at any depth (walked without recursion: a JSON body nests as deep as json allows)."""
    stack = [value]
    while stack:
        v = stack.pop()
        if isinstance(v, str):
            if not v.isascii() and _SURROGATE.search(v):
                return True
        elif isinstance(v, dict):
            stack.extend(v.keys())
            stack.extend(v.values())
        elif isinstance(v, (list, tuple)):
            stack.extend(v)
    return False


def _check_escapes(raw: bytes | str) -> None:
    """400 unless every %-escape of ``raw`` (a query string or form body) decodes as UTF-8."""
    data = raw.encode("latin-1", "replace") if isinstance(raw, str) else raw
    if _HIGH_ESCAPE.search(data):
        try:
            unquote_to_bytes(data).decode("utf-8")
        except UnicodeDecodeError:
            raise _bad_request() from None


def check_path(raw_path: str) -> None:
    """400 when the %-escapes of a request's path are not UTF-8 (Rails: "Invalid path parameters").
    The raw path, not the decoded segments: a decoded ``%`` may have been sent as ``%25``."""
    if "%" in raw_path:
        _check_escapes(raw_path)


async def read_params(request: web.Request) -> dict[str, Any]:
    """All parameters of a request: query string, then the body (form, multipart or JSON); a
    request Rails would refuse before its controller is a 400 (see the module docstring)."""
    url = request.rel_url
    params = parse_pairs(url.query.items())
    if params:
        _check_escapes(url.raw_query_string)
    if request.method in ("GET", "HEAD") or not request.body_exists:
        return params
    ctype = request.content_type
    try:
        if ctype == "application/json":
            raw = await request.read()
            if raw.strip():
                try:
                    # Canvas's JSON parser takes no NaN/Infinity; numbers beyond a float, or nesting
                    # past the interpreter's limit, are as unparseable
                    body = json.loads(raw, parse_constant=_no_constant, parse_float=_finite_float,
                                      parse_int=json_int)
                except (ValueError, UnicodeDecodeError, RecursionError):
                    raise _bad_request() from None
                if isinstance(body, dict):
                    if has_surrogate(body):
                        raise _bad_request()
                    params.update(body)
            return params
        if ctype in ("application/x-www-form-urlencoded", "multipart/form-data", "application/octet-stream", ""):
            try:
                form = await request.post()
            except (ValueError, LookupError, HttpProcessingError):
                # invalid UTF-8 or an unknown charset, a multipart body without its boundary or with
                # a malformed part: Rails answers 400
                raise _bad_request() from None
            pairs = []
            for k, v in form.items():
                if isinstance(v, str):
                    pairs.append((k, v))
                elif isinstance(v, web.FileField) and has_surrogate((k, v.filename)):
                    raise _bad_request()
            if pairs:
                if has_surrogate(pairs):
                    raise _bad_request()
                if ctype != "multipart/form-data":  # a %-escape of invalid UTF-8 became U+FFFD
                    _check_escapes(await request.read())
                params.update(parse_pairs(pairs))
    except web.HTTPRequestEntityTooLarge as exc:
        if "form fields" in (exc.text or ""):  # aiohttp's field limit (PARAMS_LIMIT)
            raise _bad_request() from None
        raise PayloadTooLarge() from None
    return params


def query_params(request: web.Request) -> dict[str, Any]:
    """Only the query string (what Canvas carries into pagination links)."""
    return parse_pairs(request.rel_url.query.items())


# -- strong parameters ---------------------------------------------------------------------------
_SCALAR_TYPES = frozenset({"string", "integer", "number", "boolean", "null"})


def _is_scalar(schema: Any) -> bool:
    """Whether a documented parameter schema admits scalars only (a string, a number, a boolean,
    null, or any of these); a reference or an open schema is not known to be scalar."""
    if not isinstance(schema, dict) or "$ref" in schema:
        return False
    branches = schema.get("anyOf") or schema.get("oneOf")
    if branches:
        return all(_is_scalar(b) for b in branches)
    t = schema.get("type")
    types = t if isinstance(t, list) else [t]
    return bool(types) and all(x in _SCALAR_TYPES for x in types)


def scalar_paths(body: Iterable[Any]) -> tuple[tuple[str, ...], ...]:
    """The flat body parameters a route documents as scalars (``Param``s such as ``name``), as key
    paths (``("name",)``); a name also documented as a list or a hash (``name[]``, ``name[x]``) is
    left out: the route takes either.

    Used for the routes of an area module that declares ``STRONG_PARAMETERS = True`` (the group
    areas: GroupsController, GroupCategoriesController, GroupMembershipsController, whose actions
    ``permit`` their flat parameters). Other areas, and query parameters, keep Canvas's own answers
    to an array or a hash, which their handlers give (an array ``account[name]`` is "Name is
    required", an array ``move_assignments_to`` a 400, an array term id a filter)."""
    body = list(body)
    taken = set()
    for d in body:
        m = _KEY.match(d.name)
        if m and m.group(2):
            taken.add(m.group(1))
    out = []
    for d in body:
        m = _KEY.match(d.name)
        if m and not m.group(2) and _is_scalar(d.schema) and d.name not in taken and (d.name,) not in out:
            out.append((d.name,))
    return tuple(out)


def drop_non_scalars(params: dict[str, Any], paths: tuple[tuple[str, ...], ...]) -> None:
    """Strong parameters' ``permit`` of scalar keys: an array or a hash at a documented scalar
    path is dropped (as if not sent)."""
    for path in paths:
        node: Any = params
        for key in path[:-1]:
            node = node.get(key) if isinstance(node, dict) else None
        if isinstance(node, dict):
            value = node.get(path[-1])
            if isinstance(value, (list, dict)):
                del node[path[-1]]


def str_list(value: Any) -> list[str]:
    return [str(v) for v in as_list(value) if isinstance(v, (str, int, float))]


def flag(params: dict[str, Any], key: str, default: bool = False) -> bool:
    v = to_bool(params.get(key), default)
    return bool(v)

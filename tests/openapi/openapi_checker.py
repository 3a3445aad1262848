"""The generated document and a client that checks every answer against it (for tests/openapi).

``Checker`` drives aiohttp's TestClient (in-process, on a private event loop) over an app on a given
store; each call asserts the status it expects, then validates the answer against the document: the
status is documented for the route, the media type is, the JSON body validates against the
documented schema (jsonschema, Draft 2020-12, formats checked), and a paginated answer carries its
Link header. Every (METHOD, template, status) checked is remembered in ``checked``.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Any

from aiohttp import FormData
from aiohttp.test_utils import make_mocked_request
from jsonschema import Draft202012Validator, FormatChecker
from multidict import CIMultiDict

from mockcanvas import create_app, load_world
from mockcanvas.openapi import build_openapi

from loop_client import LoopClient

_DOC: dict[str, Any] | None = None


def document() -> dict[str, Any]:
    """The document of the app's router (built once per session)."""
    global _DOC
    if _DOC is None:
        _DOC = build_openapi(create_app(load_world()).router)
    return _DOC


def validator_for(schema: dict[str, Any], doc: dict[str, Any] | None = None) -> Draft202012Validator:
    """A validator for a schema of the document, with ``#/components/...`` references resolvable."""
    doc = doc or document()
    return Draft202012Validator({**schema, "components": doc["components"]}, format_checker=FormatChecker())


def schema_errors(schema: dict[str, Any], instance: Any) -> list[str]:
    errors = sorted(validator_for(schema).iter_errors(instance), key=lambda e: list(e.absolute_path))
    out = []
    for e in errors[:5]:
        best = e
        if e.context:  # anyOf/oneOf: the deepest reason is the useful one
            best = max(e.context, key=lambda c: len(c.absolute_path))
        out.append(f"at /{'/'.join(map(str, best.absolute_path))}: {best.message[:300]}")
    return out


@dataclass
class Answer:
    status: int
    headers: CIMultiDict
    text: str
    template: str

    def json(self) -> Any:
        return json.loads(self.text)


class Checker:
    """Calls the app and checks each answer against the document."""

    def __init__(self, store) -> None:
        self.store = store
        self.inner = LoopClient(store)
        self.app, self.base_url = self.inner.app, self.inner.base_url
        self.doc = document()
        self.checked: set[tuple[str, str, int]] = set()

    def template_of(self, method: str, path: str) -> str:
        async def resolve() -> str:
            match = await self.app.router.resolve(make_mocked_request(method, path.split("?")[0], app=self.app))
            resource = match.route.resource
            assert resource is not None and match.http_exception is None, f"{method} {path}: no route"
            return resource.canonical

        return self.inner.run(resolve())

    def call(self, method: str, path: str, *, token: str | None = "teacher-token", expect: int = 200,
             **kw: Any) -> Answer:
        """Call, assert the status is ``expect``, validate the answer against the document."""
        status, rh, text = self.raw(method, path, token=token, **kw)
        path = path.removeprefix(self.base_url)
        template = self.template_of(method, path)
        assert status == expect, f"{method} {path}: {status} (expected {expect}): {text[:500]}"
        self.validate(method, template, status, rh, text)
        self.checked.add((method, template, status))
        return Answer(status, rh, text, template)

    def raw(self, method: str, path: str, *, token: str | None = "teacher-token",
            headers: dict[str, str] | None = None, form: dict[str, Any] | None = None,
            files: dict[str, tuple[str, bytes, str]] | None = None, **kw: Any) -> tuple[int, CIMultiDict, str]:
        """``form``: a urlencoded body (list values repeat the key); ``files``: multipart fields
        (name -> (filename, bytes, content type)), with ``form`` as the other fields."""
        h = dict(headers or {})
        if token is not None:
            h.setdefault("Authorization", f"Bearer {token}")
        if files is not None:
            fd = FormData()
            for k, v in (form or {}).items():
                fd.add_field(k, str(v))
            for k, (filename, content, ctype) in files.items():
                fd.add_field(k, content, filename=filename, content_type=ctype)
            kw["data"] = fd
        elif form is not None:
            kw["data"] = [(k, str(x)) for k, v in form.items() for x in (v if isinstance(v, list) else [v])]
        return self.inner.send(method, path, headers=h, **kw)

    def validate(self, method: str, template: str, status: int, headers: CIMultiDict, text: str) -> None:
        op = self.doc["paths"][template][method.lower()]
        where = f"{method} {template} -> {status}"
        assert str(status) in op["responses"], f"{where}: status not documented ({sorted(op['responses'])})"
        resp = op["responses"][str(status)]
        media = headers.get("Content-Type", "").split(";")[0].strip()
        assert media in resp["content"] or "*/*" in resp["content"], \
            f"{where}: media type {media!r} not documented ({list(resp['content'])})"
        if media == "application/json":
            errors = schema_errors(resp["content"][media]["schema"], json.loads(text))
            assert not errors, f"{where}: body does not match the documented schema:\n  " + "\n  ".join(errors) \
                + f"\nbody: {text[:1500]}"
        for name in resp.get("headers", {}):
            if name == "WWW-Authenticate" and "unauthenticated" not in text and "access token" not in text:
                continue
            assert name in headers, f"{where}: documented header {name} missing"

    @property
    def problems(self) -> list:
        return self.inner.problems

    def close(self) -> None:
        self.inner.close()

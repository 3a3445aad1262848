"""The two clients every API test runs through (tests/api/conftest.py's ``api`` fixture): the aiohttp
app in-process and the threaded server over a socket. A module of its own so that test files can
build one directly (``from api_clients import AppApi``) without importing a ``conftest``.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Any

import requests
from aiohttp import FormData
from multidict import CIMultiDict

from loop_client import LoopClient


@dataclass
class Resp:
    status: int
    headers: CIMultiDict
    text: str

    def json(self) -> Any:
        return json.loads(self.text)

    @property
    def links(self) -> dict[str, str]:
        """rel -> URL, from the Link header."""
        out = {}
        for part in self.headers.get("Link", "").split(","):
            if not part:
                continue
            url, rel = part.split(";")
            out[rel.strip()[5:-1]] = url.strip()[1:-1]
        return out


class Api:
    """A tiny sync client; ``token`` is sent as a Bearer token unless None."""

    base_url: str

    def request(self, method: str, path: str, *, token: str | None = "teacher-token",
                headers: dict | None = None, **kw: Any) -> Resp:
        raise NotImplementedError

    def get(self, path: str, **kw: Any) -> Resp:
        return self.request("GET", path, **kw)

    def post(self, path: str, **kw: Any) -> Resp:
        return self.request("POST", path, **kw)

    def put(self, path: str, **kw: Any) -> Resp:
        return self.request("PUT", path, **kw)

    def delete(self, path: str, **kw: Any) -> Resp:
        return self.request("DELETE", path, **kw)

    def upload(self, url: str, fields: dict, filename: str, content: bytes,
               content_type: str = "application/octet-stream", *, token: str | None = None) -> Resp:
        """Step 2 of a file upload: a multipart/form-data POST of ``fields`` then ``file`` (last),
        without a token unless one is given."""
        raise NotImplementedError

    @staticmethod
    def _form(kw: dict) -> dict:
        """A dict of form fields with list values becomes repeated keys (``members[]=1&members[]=2``)."""
        data = kw.get("data")
        if isinstance(data, dict):
            kw["data"] = [(k, x) for k, v in data.items() for x in (v if isinstance(v, list) else [v])]
        return kw

    @staticmethod
    def _headers(token: str | None, headers: dict | None) -> dict:
        h = dict(headers or {})
        if token is not None:
            h.setdefault("Authorization", f"Bearer {token}")
        return h


class AppApi(Api):
    """aiohttp's TestClient on a private event loop, driven synchronously."""

    def __init__(self, store) -> None:
        self.inner = LoopClient(store)
        self.app, self.base_url = self.inner.app, self.inner.base_url

    # redirects are answers to check, not to follow: as ServerApi (allow_redirects=False)
    def request(self, method, path, *, token="teacher-token", headers=None, **kw):
        self._form(kw)
        kw.setdefault("allow_redirects", False)
        return Resp(*self.inner.send(method, path, headers=self._headers(token, headers), **kw))

    def upload(self, url, fields, filename, content, content_type="application/octet-stream", *, token=None):
        form = FormData()
        for k, v in fields.items():
            form.add_field(k, str(v))
        form.add_field("file", content, filename=filename, content_type=content_type)
        return Resp(*self.inner.send("POST", url, data=form, headers=self._headers(token, None),
                                     allow_redirects=False))

    @property
    def problems(self) -> list:
        return self.inner.problems

    def close(self) -> None:
        self.inner.close()


class ServerApi(Api):
    def __init__(self, server) -> None:
        self.server = server
        self.base_url = server.url
        self.session = requests.Session()

    def request(self, method, path, *, token="teacher-token", headers=None, **kw):
        url = path if path.startswith("http") else self.base_url + path
        self._form(kw)
        r = self.session.request(method, url, headers=self._headers(token, headers), allow_redirects=False, **kw)
        return Resp(r.status_code, CIMultiDict(r.headers), r.text)

    def upload(self, url, fields, filename, content, content_type="application/octet-stream", *, token=None):
        r = self.session.post(url, data={k: str(v) for k, v in fields.items()},
                              files={"file": (filename, content, content_type)},
                              headers=self._headers(token, None), allow_redirects=False)
        return Resp(r.status_code, CIMultiDict(r.headers), r.text)

    @property
    def problems(self) -> list:
        return self.server.problems

    def close(self) -> None:
        self.session.close()


def client_of(kind: str, store, settings, cleanup) -> Api:
    """A client of ``store``: ``"app"`` in-process, ``"server"`` over a threaded server started with
    ``settings``; ``cleanup(fn)`` registers what to run afterwards (the server's stop)."""
    if kind == "app":
        return AppApi(store)
    from mockcanvas.server import CanvasServer

    server = CanvasServer(store, settings=settings).start()
    cleanup(server.stop)
    return ServerApi(server)

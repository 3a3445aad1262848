"""The vocabulary every area documents its routes with; ``mockcanvas.openapi`` turns it into the
OpenAPI document.

Each ``mockcanvas/api/<area>.py`` documents its own routes beside its handlers (as Canvas's
controllers carry their own ``@API`` comments), at the end of the module:

``ROUTE_DOCS: dict[tuple[str, str], RouteDoc]``
    one entry per (METHOD, route template exactly as the router spells it:
    ``/api/v1/groups/{group_id}``). The generator refuses a router route without an entry and an
    entry without a route.
``SCHEMAS: dict[str, Schema]`` (optional)
    the response bodies only this area answers with, merged into ``components.schemas``; bodies
    several areas answer with stay in ``mockcanvas.openapi_schemas``. ``ref("Name")`` points at
    either.
``TAGS: dict[str, str]`` (optional)
    the tags the area's entries use -> their descriptions (shared tags: :data:`TAGS` below).
``PATH_PARAMS: dict[str, Schema]`` (optional)
    path parameters of its own. Any other ``{x_id}`` defaults to :func:`default_path_param`, so a
    new area with a new ``{something_id}`` needs none (see :func:`path_param`).

This module was ``openapi_routes.py`` while it held one central table of every route; with the
entries moved to their areas what is left is the shared vocabulary (``Param``, ``RouteDoc``, ``P``,
``array_of``, the id schemas and the parameters several areas use), hence the name.

Parameters are named as on the wire: ``include[]`` for a list, ``leader[id]`` for a hash member; body
fields are documented for form bodies as is and for JSON bodies as their nested form (``members``,
``leader: {id}``). Error keys name the failures a route can answer with (see ``ERROR_KINDS`` in
``mockcanvas.openapi``, and an area's own ``ERROR_KINDS`` in its api module); the authentication failures, a JSON body that does not parse and the paging
errors are added by the generator.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from .openapi_schemas import ID, STR, Schema, arr, enum, ref

CONTROL_TAG = "mockcanvas control plane"
PEOPLE_TAG = "Courses, users, accounts"

# tags several areas use -> their descriptions (an area's own tags are its module's TAGS)
TAGS: dict[str, str] = {
    PEOPLE_TAG: "what clients call around the group APIs",
}


# error-kind bodies that are not schemas (an area's ``ERROR_KINDS`` may name them)
REDIRECT = "redirect"  # Rails' redirect_to (302, Location, a small HTML body)
NO_BODY = "no_body"  # an answer with an empty body (``head :bad_request``)


@dataclass(frozen=True)
class Param:
    name: str
    schema: Schema
    description: str = ""
    required: bool = False


@dataclass(frozen=True)
class RouteDoc:
    summary: str
    action: str                      # Canvas's Controller#action, or what the route is for
    tag: str
    ok: Schema | str | None          # the success body: a schema, or a component name
    query: tuple[Param, ...] = ()
    body: tuple[Param, ...] = ()     # form / JSON body fields
    body_kind: str = "form"          # form (urlencoded + JSON), multipart, csv_import, none
    paginated: str | None = None     # "pages" (page numbers) or "bookmark"
    errors: tuple[str, ...] = ()
    auth: bool | str = True          # False: no token; "optional": a token or none (auth.anonymous)
    status: int = 200
    media: str = "application/json"
    headers: tuple[str, ...] = ()    # extra success headers: Location, Content-Disposition
    description: str = ""
    extra: dict[str, Any] = field(default_factory=dict)


def P(name: str, schema: Schema, description: str = "", required: bool = False) -> Param:
    return Param(name, schema, description, required)


def array_of(name: str) -> Schema:
    return arr(ref(name))


# -- path parameters ---------------------------------------------------------------------------
def id_or(*patterns: str, words: tuple[str, ...] = ()) -> Schema:
    """An integer id, or a string form: ``self`` and ``sis_*:`` (``hex:sis_*:`` also works)."""
    forms: list[Schema] = [ID]
    if words:
        forms.append(enum(*words))
    for p in patterns:
        forms.append({"type": "string", "pattern": f"^{p}:[^/?#%]+$"})
    return {"anyOf": forms, "x-canvas-id": True} if len(forms) > 1 else ID


def default_path_param(name: str) -> Schema | None:
    """``{x_id}``: an integer id or ``sis_x_id:...``, Canvas's convention (``api_find`` takes
    ``sis_course_id:``, ``sis_section_id:``, ``sis_term_id:`` ...); None for any other name."""
    return id_or(f"sis_{name}") if name.endswith("_id") else None


# path parameters several areas use; an area's own go in its module's PATH_PARAMS
PATH_PARAMS: dict[str, Schema] = {
    "group_id": id_or("sis_group_id"),
    "course_id": id_or("sis_course_id"),
    "account_id": id_or("sis_account_id", words=("self",)),
    "group_category_id": id_or("sis_group_category_id"),
    "user_id": id_or("sis_user_id", "sis_login_id", words=("self",)),
    "progress_id": ID,
}


def path_param(name: str, own: Mapping[str, Schema] | None = None) -> Schema | None:
    """The schema of ``{name}``: the area's own ``PATH_PARAMS``, then the shared ones, then
    :func:`default_path_param`."""
    if own and name in own:
        return own[name]
    if name in PATH_PARAMS:
        return PATH_PARAMS[name]
    return default_path_param(name)


# -- parameters several areas use --------------------------------------------------------------
BOOLISH: Schema = {"type": "boolean", "description": "also 1/0, yes/no, t/f as strings"}
USER_INCLUDE = ("avatar_url", "email", "locale", "uuid")
SEARCH_TERM = P("search_term", STR, "at least 2 characters (blank is no search): name, login, SIS id, "
                                    "e-mail or the full id")
USER_REF = id_or("sis_user_id", "sis_login_id", words=("self",))

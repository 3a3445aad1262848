"""preview_html's sanitizer: an allow-list in the spirit of CanvasSanitize::SANITIZE
(gems/canvas_sanitize/lib/canvas_sanitize/canvas_sanitize.rb).

Unknown tags are dropped but their text is kept (``<p><badhtml></badhtml>processed html</p>``
gives ``<p>processed html</p>``); scripts, styles and event handlers go; relative links and image
sources become absolute, as ``api_user_content`` does (lib/api.rb). The allow-list engine is nh3
(ammonia), a maintained sanitizer, rather than hand-written parsing.

URLs follow CanvasSanitize's ``protocols``: an ``a`` ``href`` may be ftp, http, https, mailto, tel,
skype or relative; the ``src`` of ``audio``, ``video``, ``source`` and ``track`` also ``data:``;
every other ``href``, ``src`` and ``cite`` http, https or relative (DEFAULT_PROTOCOLS). An attribute
with another protocol (``data:`` on an image, ``javascript:``) is removed, as Sanitize removes it.
The protocol is what comes before the first ``:`` that no ``/`` or ``#`` precedes (Sanitize's
REGEX_PROTOCOL). ``style`` keeps only the declarations whose property is in CanvasSanitize's
``css: properties`` list and whose ``url(...)`` values are http, https or relative; an
``expression(...)`` or a backslash escape (which could spell either) drops the declaration, and a
style left empty is removed.

Limitations: the style filter is a small splitter (semicolons outside quotes and parentheses), not a
CSS parser, and writes the kept declarations back as ``prop: value`` joined by ``; ``, where
Sanitize's CSS parser keeps the original spacing. Tags and attributes are the mock's smaller list (no iframe, object,
embed, MathML or data-* attributes).
"""

from __future__ import annotations

import re

import nh3

TAGS = {
    "a", "abbr", "acronym", "address", "b", "big", "blockquote", "br", "caption", "cite", "code",
    "col", "colgroup", "dd", "del", "dfn", "div", "dl", "dt", "em", "figcaption", "figure", "h1",
    "h2", "h3", "h4", "h5", "h6", "hr", "i", "img", "ins", "kbd", "li", "ol", "p", "pre", "q",
    "s", "samp", "small", "span", "strike", "strong", "sub", "sup", "table", "tbody", "td",
    "tfoot", "th", "thead", "tr", "tt", "u", "ul", "var", "video", "audio", "source", "track",
}
COMMON = {"style", "class", "title", "dir", "lang", "id", "role"}
ATTRIBUTES = {
    "*": COMMON,
    "a": {"href", "target", "name"},
    "img": {"src", "alt", "width", "height", "align"},
    "td": {"colspan", "rowspan", "align", "valign", "width"},
    "th": {"colspan", "rowspan", "align", "valign", "width", "scope"},
    "table": {"border", "cellpadding", "cellspacing", "width", "summary"},
    "ol": {"start", "type"},
    "video": {"src", "controls", "width", "height", "poster"},
    "audio": {"src", "controls"},
    "source": {"src", "type"},
    "track": {"src", "kind", "label", "srclang"},
}
URL_SCHEMES = {"http", "https", "mailto", "ftp", "data", "tel", "skype"}  # the union; per tag below
DEFAULT_PROTOCOLS = frozenset({"http", "https"})  # and relative
PROTOCOLS = {
    ("a", "href"): frozenset({"ftp", "http", "https", "mailto", "tel", "skype"}),
    **{(tag, "src"): frozenset({"data", "http", "https"}) for tag in ("audio", "video", "source", "track")},
}
URL_ATTRIBUTES = frozenset({"href", "src", "cite"})
# CanvasSanitize's ``css: properties``
CSS_PROPERTIES = frozenset(
    """align-content align-items align-self background border border-radius clear clip color
    column-gap cursor direction display flex flex-basis flex-direction flex-flow flex-grow
    flex-shrink flex-wrap float font gap grid height justify-content justify-items justify-self left
    line-height list-style margin max-height max-width min-height min-width order overflow
    overflow-x overflow-y padding position place-content place-items place-self right row-gap
    text-align table-layout text-decoration text-indent top vertical-align visibility white-space
    width z-index zoom""".split()
    + [f"grid-{i}" for i in ("area", "auto-columns", "auto-flow", "auto-rows", "column", "gap", "row", "template")]
    + [f"grid-template-{i}" for i in ("areas", "columns", "rows")]
    + [f"grid-column-{i}" for i in ("end", "gap", "start")]
    + [f"grid-row-{i}" for i in ("end", "gap", "start")]
    + [f"background-{i}" for i in ("attachment", "color", "image", "position", "repeat")]
    + [f"background-position-{i}" for i in ("x", "y")]
    + [f"border-{i}" for i in ("bottom", "collapse", "color", "left", "right", "spacing", "style", "top", "width")]
    + [f"border-{i}-{j}" for i in ("bottom", "left", "right", "top") for j in ("color", "style", "width")]
    + [f"font-{i}" for i in ("family", "size", "stretch", "style", "variant", "width")]
    + [f"list-style-{i}" for i in ("image", "position", "type")]
    + [f"margin-{i}" for i in ("bottom", "left", "right", "top", "offset")]
    + [f"padding-{i}" for i in ("bottom", "left", "right", "top")])
_PROTOCOL = re.compile(r"\A\s*([^/#]*?):")  # Sanitize's REGEX_PROTOCOL (entities are decoded here)
_DECLARATION = re.compile(r"\A\s*([-A-Za-z0-9_]+)\s*:(.*)\Z", re.S)
_CSS_URL = re.compile(r"url\(\s*(['\"]?)(.*?)\1\s*\)", re.I | re.S)


def allowed_url(tag: str, attr: str, value: str) -> bool:
    """Whether ``value`` has a protocol CanvasSanitize allows on ``tag``'s ``attr`` (none:
    relative, always allowed)."""
    m = _PROTOCOL.match(value)
    if m is None:
        return True
    return m.group(1).strip().lower() in PROTOCOLS.get((tag, attr), DEFAULT_PROTOCOLS)


def clean_style(style: str) -> str | None:
    """The declarations of ``style`` CanvasSanitize keeps (see the module docstring); None when
    none is left."""
    kept = []
    for part in _declarations(style):
        m = _DECLARATION.match(part)
        if m is None:
            continue
        prop, value = m.group(1).lower(), m.group(2).strip()
        lowered = value.lower()
        if prop not in CSS_PROPERTIES or not value or "\\" in value or "expression" in lowered:
            continue
        urls = _CSS_URL.findall(value)
        if lowered.count("url(") != len(urls) or any(not allowed_url("", "style", u.strip()) for _, u in urls):
            continue  # a url( the pattern cannot read is no url it can vouch for
        kept.append(f"{prop}: {value}")
    return "; ".join(kept) if kept else None


def _declarations(style: str) -> list[str]:
    """``style`` split at the semicolons outside quotes and parentheses (``url(data:a;b)`` is one
    value); an unbalanced parenthesis or quote ends the style there."""
    parts, start, depth, quote = [], 0, 0, ""
    for i, ch in enumerate(style):
        if quote:
            if ch == quote:
                quote = ""
        elif ch in "'\"":
            quote = ch
        elif ch == "(":
            depth += 1
        elif ch == ")":
            depth = max(depth - 1, 0)
        elif ch == ";" and depth == 0:
            parts.append(style[start:i])
            start = i + 1
    if not quote and depth == 0:
        parts.append(style[start:])
    return parts


def sanitize(raw: str, base_url: str) -> str:
    def absolutize(tag: str, attr: str, value: str) -> str | None:
        if attr == "style":
            return clean_style(value)
        if attr in URL_ATTRIBUTES:
            if not allowed_url(tag, attr, value):
                return None
            if value.startswith("/") and not value.startswith("//"):
                return base_url + value
        return value

    return nh3.clean(
        raw,
        tags=TAGS,
        attributes=ATTRIBUTES,
        url_schemes=URL_SCHEMES,
        link_rel=None,
        attribute_filter=absolutize,
        strip_comments=True,
    )

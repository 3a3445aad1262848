"""preview_html's sanitizer: an allow-list in the spirit of CanvasSanitize::SANITIZE.

Unknown tags are dropped but their text is kept (``<p><badhtml></badhtml>processed html</p>``
gives ``<p>processed html</p>``); scripts, styles and event handlers go; relative links and image
sources become absolute, as ``api_user_content`` does (lib/api.rb). The allow-list engine is nh3
(ammonia), a maintained sanitizer, rather than hand-written parsing.
"""

from __future__ import annotations

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
URL_SCHEMES = {"http", "https", "mailto", "ftp", "data", "tel", "skype"}


def sanitize(raw: str, base_url: str) -> str:
    def absolutize(tag: str, attr: str, value: str) -> str | None:
        if attr in ("href", "src") and value.startswith("/") and not value.startswith("//"):
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

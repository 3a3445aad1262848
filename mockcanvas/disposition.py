"""``Content-Disposition`` of a download, as Rails writes it (``ActionDispatch::Http::
ContentDisposition.format``, used by ``send_file`` / ``send_data``): the file download
(FilesController#send_stored_file) and the group category CSV export.

Rails writes ``attachment; filename="<ascii>"; filename*=UTF-8''<utf-8>``: the ASCII fallback is
the name transliterated (``I18n.transliterate``: accents dropped, anything else ``?``) with every
character outside ``[ A-Za-z0-9!#$+.^_`|~-]`` percent-escaped, and ``filename*`` (RFC 5987) is the
name's UTF-8 bytes with everything outside ``[A-Za-z0-9!#$&+.^_`|~-]`` percent-escaped. So a quote,
CR, LF or NUL in a name can never end the header or start another (aiohttp refuses such a header
after the handler, which dropped the connection).

Beyond Rails: path parts (anything up to the last ``/`` or ``\\``) are stripped from the name, and
control characters from the ASCII fallback, so that a client that saves under the fallback name
never writes outside its directory or a name with control characters in it.
"""

from __future__ import annotations

import re
import unicodedata

__all__ = ["content_disposition"]

_TRADITIONAL = re.compile(r"[^ A-Za-z0-9!#$+.^_`|~-]")  # Rails' TRADITIONAL_ESCAPED_CHAR
_RFC_5987 = re.compile(r"[^A-Za-z0-9!#$&+.^_`|~-]")  # Rails' RFC_5987_ESCAPED_CHAR
_CONTROL = re.compile(r"[\x00-\x1f\x7f]")


def _escape(text: str, pattern: re.Pattern[str]) -> str:
    return pattern.sub(lambda m: "".join(f"%{b:02X}" for b in m.group(0).encode("utf-8", "replace")), text)


def _transliterate(text: str) -> str:
    """``I18n.transliterate``'s default: a letter with accents becomes the letter, any other
    non-ASCII character ``?``."""
    if text.isascii():
        return text
    out = []
    for ch in text:
        if ch.isascii():
            out.append(ch)
            continue
        base = "".join(c for c in unicodedata.normalize("NFKD", ch) if not unicodedata.combining(c))
        out.append(base if base and base.isascii() else "?")
    return "".join(out)


def content_disposition(filename: str, disposition: str = "attachment") -> str:
    """The header value for a download of ``filename``."""
    name = re.split(r"[/\\]", filename)[-1]
    fallback = _CONTROL.sub("", _transliterate(name))
    return (f'{disposition}; filename="{_escape(fallback, _TRADITIONAL)}"; '
            f"filename*=UTF-8''{_escape(name, _RFC_5987)}")

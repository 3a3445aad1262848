"""Canvas's rules for the fields of a user: names, time zones, locales, pronouns, avatars.

Read from canvas-lms (no code copied; the rules restated):

* ``app/models/user.rb`` (2023-25): ``User.name_parts`` / ``User.last_name_first`` split a name into
  given name, surname and suffix (``Doe, John, Sr.``, ``John Doe Sr.``; the last word is the surname
  unless a prior surname says otherwise); ``first_name`` / ``last_name`` split the *sortable* name
  (``likely_already_surname_first``), ``""`` when a part is missing; ``infer_defaults`` before a
  save: a name of ``"User"`` is dropped, a missing name becomes ``"User"``, a blank short name
  becomes the name, a blank sortable name is derived from the name, and a sortable name that was
  derived from the old name (not set explicitly) is derived again when the name changes.
* ``lib/time_zone_helper.rb``: ``time_zone=`` keeps ``ActiveSupport::TimeZone[value]&.name``, so an
  unknown zone is silently *cleared* (no error; the root account's default applies again); the
  getter prefers the Rails name of a zone (``America/Denver`` reads back as ``Mountain Time (US &
  Canada)``), except for the aliases Canvas leaves out of its reverse map. ``user_json`` sends that
  Rails-preferred name; the profile (``lib/api/v1/user_profile.rb``) sends the IANA name.
* ``validates_locale`` on ``User#locale``: a locale Canvas does not ship is invalid.
* ``app/controllers/users_controller.rb#update`` + ``Pronouns#match_pronoun``: a pronoun must match
  (case-insensitively) one of the root account's pronouns; ``""`` clears them; anything else is
  silently ignored.
* ``User#avatar_image=``: a URL is kept only when it is a Gravatar URL or matches the
  ``avatar_external_url_patterns`` Setting (``^https://[a-zA-Z0-9.-]+\\.instructure\\.com/``), state
  ``submitted``; any other value clears the avatar (state ``approved``); a locked avatar is never
  changed.

The Rails zone table is ActiveSupport's ``TimeZone::MAPPING`` (``mockcanvas.time_zones``, shared
with the accounts area).
"""

from __future__ import annotations

import re

from ..time_zones import RAILS_ZONES, zone_name

SUFFIXES = re.compile(r"^(Sn?r\.?|Senior|Jn?r\.?|Junior|II|III|IV|V|VI|Esq\.?|Esquire)$", re.IGNORECASE)
MAX_STRING = 255  # ActiveRecord::Base.maximum_string_length


# -- names ---------------------------------------------------------------------------------------
def name_parts(name: str | None, prior_surname: str | None = None,
               surname_first: bool = False) -> tuple[str | None, str | None, str | None]:
    """(given, surname, suffix) of a name, as ``User.name_parts``."""
    if name is None:
        return None, None, None
    pieces = re.split(r"\s*,\s*", name.strip(), maxsplit=2)
    surname: str | None = pieces[0]
    given: str | None = pieces[1] if len(pieces) > 1 else None
    suffix: str | None = pieces[2] if len(pieces) > 2 else None
    if suffix is not None and not SUFFIXES.match(suffix):
        given, suffix = f"{given} {suffix}", None  # "Ho, Chi, Min" -> "Ho, Chi Min"
    if given is not None:
        if not surname_first and suffix is None and re.search(r"\s", surname or "") and SUFFIXES.match(given):
            suffix, given, surname = given, surname, None  # "John Doe, Sr."
    else:
        given, surname = name.strip(), None
    parts = (given or "").split()
    if suffix is None and len(parts) > 1 and SUFFIXES.match(parts[-1]):
        suffix = parts.pop()
    prior = prior_surname.split() if prior_surname else []
    if surname is None and prior and len(parts) >= len(prior) and parts[-len(prior):] == prior:
        surname = " ".join(parts[-len(prior):])
        del parts[-len(prior):]
    if surname is None and len(parts) > 1:
        surname = parts.pop()
    return (" ".join(parts) if parts else None), surname, suffix


def last_name_first(name: str | None, name_was: str | None = None, *, surname_first: bool) -> str:
    """``User.last_name_first``: "Sam Student" -> "Student, Sam"; one word stays as it is."""
    previous = name_parts(name_was, surname_first=surname_first)[1]
    given, surname, suffix = name_parts(name, prior_surname=previous)
    given_text = " ".join(p for p in (given, suffix) if p is not None)
    return f"{surname}, {given_text}".strip() if surname else given_text


def first_name(sortable_name: str) -> str:
    return name_parts(sortable_name, surname_first=True)[0] or ""


def last_name(sortable_name: str) -> str:
    return name_parts(sortable_name, surname_first=True)[1] or ""


def infer_names(name: str | None, short_name: str | None, sortable_name: str | None, *,
                old_name: str | None = None, old_sortable: str | None = None,
                sortable_given: bool = False, email: str | None = None) -> tuple[str, str, str]:
    """``User#infer_defaults`` for the three names of a user being saved: (name, short, sortable).
    ``old_*`` are the saved values (None for a new user); ``sortable_given`` whether the request
    set the sortable name itself."""
    if name == "User":
        name = None
    if name is None:
        name = email or "User"  # t("#user.default_user_name")
    short = short_name if short_name else name
    sortable = sortable_name if sortable_name else None
    if (old_name is not None and not sortable_given and name != old_name and sortable is not None
            and sortable == old_sortable
            and " ".join(p for p in name_parts(sortable, surname_first=True) if p is not None) == old_name):
        sortable = None  # derived from the old name: derive it again
    if sortable is None:
        sortable = last_name_first(name, old_sortable, surname_first=True)
    return name, short, sortable


# -- time zones ----------------------------------------------------------------------------------
# aliases TimeZoneHelper.rails_preferred_zone leaves out of its reverse map
_NOT_PREFERRED = frozenset({
    "International Date Line West", "Guadalajara", "Quito", "Edinburgh", "Bern", "St. Petersburg",
    "Volgograd", "Abu Dhabi", "Islamabad", "Chennai", "Mumbai", "New Delhi", "Astana", "Hanoi", "Osaka",
    "Sapporo", "Canberra", "Solomon Is.", "Wellington",
})
# later names win, as ``Hash#to_h`` of Canvas's list keeps the last pair of an IANA zone
RAILS_NAME_OF: dict[str, str] = {iana: rails for rails, iana in RAILS_ZONES.items() if rails not in _NOT_PREFERRED}


def iana_zone(value: object) -> str | None:
    """``ActiveSupport::TimeZone[value]`` as an IANA name: a Rails name or an IANA name; None for
    anything else (not a string, unknown, blank)."""
    return zone_name(value)


def rails_zone_name(iana: str) -> str:
    """The name ``user_json`` shows: the Rails name of the zone when there is one."""
    return RAILS_NAME_OF.get(iana, iana)


# -- locales -------------------------------------------------------------------------------------
# the locales Canvas ships (config/locales/*.yml, 2024-25)
LOCALES = frozenset({
    "ar", "ca", "cy", "da", "da-x-k12", "de", "el", "en", "en-AU", "en-AU-x-unimelb", "en-CA", "en-GB",
    "en-GB-x-ukhe", "en-US", "es", "es-ES", "fa", "fi", "fr", "fr-CA", "ga", "he", "hi", "ht", "hu", "hy",
    "id", "is", "it", "ja", "ko", "mi", "ms", "nb", "nb-x-k12", "nl", "nn", "pl", "pt", "pt-BR", "ru", "sl",
    "sv", "sv-x-k12", "th", "tr", "uk", "vi", "zh-Hans", "zh-Hant",
})

# -- pronouns and avatars ------------------------------------------------------------------------
DEFAULT_PRONOUNS = ("She/Her", "He/Him", "They/Them")  # Account#pronouns when the account sets none


def match_pronoun(value: str, allowed: tuple[str, ...]) -> str | None:
    """``Pronouns#match_pronoun``: the allowed pronoun equal to ``value`` ignoring case and
    surrounding spaces, else None."""
    wanted = value.strip().casefold()
    for p in allowed:
        if p.strip().casefold() == wanted:
            return p
    return None


AVATAR_STATES = ("none", "submitted", "approved", "locked", "reported", "re_reported")
_GRAVATAR = re.compile(r"^https?://[a-zA-Z0-9.-]+\.gravatar\.com/")
_EXTERNAL = re.compile(r"^https://[a-zA-Z0-9.-]+\.instructure\.com/")


def avatar_url_accepted(url: object) -> bool:
    return isinstance(url, str) and bool(_GRAVATAR.match(url) or _EXTERNAL.match(url))

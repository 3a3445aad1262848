"""Reading an ``assignment_override[...]`` hash as Canvas does (``Api::V1::AssignmentOverride#
interpret_assignment_override_data``, lib/api/v1/assignment_override.rb, modern), the looser date
parsing of overrides (``Time.zone.parse``) and the ``due_at=`` / ``lock_at=`` setters of
app/models/assignment_override.rb (fancy midnight, ``Assignment.all_day_interpretation``).

What the parameter stage does (each failure is one string of a ``{"errors": [...]}`` array, 400):

* not a hash -> ``invalid override data``; absent -> an empty hash;
* target, first match wins, only when the override has no set type yet (create): ``student_ids``
  (ADHOC: a non-empty array, else ``invalid student_ids <inspect>``; every id must be found among the
  course's students in any enrollment state but deleted, as an id, a global id, ``sis_user_id:`` or
  ``sis_login_id:`` (exactly as stored), else ``unknown student ids: ["99"]``), then ``group_id``
  (a group of the course, looked up with ``find_by!(id:)`` so deleted ones too, in the assignment's
  group category and collaborative, else ``group_id is not valid``; not found ->
  ``unknown group id "12"``), then ``course_section_id`` (an active section of the course the caller
  may read, ``api_find`` forms, else ``unknown section id "12"``), then ``course_id`` (present: an
  "Everyone" override of the course); none -> ``one of student_ids, group_id, or course_section_id is
  required`` (only when nothing else failed);
* ``title`` is taken for ADHOC overrides only; ``unassign_item`` when present and truthy (Rails'
  boolean cast then applies: ``"false"`` stores false);
* ``due_at`` / ``unlock_at`` / ``lock_at``: present and blank (``""``, null, ``[]``, JSON false) is
  "overridden to no date"; anything else must parse (``invalid due_at "abc"``); absent is "not
  overridden" (on update too: an omitted date stops being overridden).

``inspect`` values follow Ruby 3.3 (strings double-quoted, integers bare, a nested hash as the
unpermitted ``ActionController::Parameters`` it is).

Limitations: ``Time.zone.parse`` is approximated: ISO 8601 dates and times (``T`` or a space, seconds
optional, ``Z`` / ``UTC`` / ``GMT`` / ``+hh:mm`` / ``+hhmm`` / ``+hh``, am/pm), ``YYYY/MM/DD``,
English month names (``May 1, 2024 10:00pm``, ``1 May 2024``, RFC 2822 with a weekday), a bare time
(today) and 8- or 14-digit basic forms, the whole value (``Date._parse`` also finds a date inside
other words); other forms it accepts (``05/01/2024``, two-digit years, ordinal days) and an array or
hash value are refused. The ``Noop`` (mastery paths) target is not modelled.
Hex SIS forms (``hex:sis_user_id:...``) are never found, as in Canvas (its comparison list builds
them from ``unpack``'s array).
"""

from __future__ import annotations

import re
from datetime import date, datetime, time, timedelta, timezone
from typing import TYPE_CHECKING, Any

from .. import errors as E
from ..coerce import DIGITS, ruby_to_s
from .assignment_casts import zone_info
from .courses import rails_bool

if TYPE_CHECKING:
    from . import Store
    from . import records as r
    from .assignments import Assignment

TARGET_REQUIRED = "one of student_ids, group_id, or course_section_id is required"
MONTHS = {m: i for i, m in enumerate(
    ("jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec"), start=1)}
_ZONE = r"(?P<zone>z|utc|gmt|[+-]\d{2}(?::?\d{2})?)"
_TIME = (r"(?P<h>\d{1,2}):(?P<mi>\d{2})(?::(?P<s>\d{2})(?:[.,](?P<frac>\d+))?)?\s*(?P<ampm>[ap]\.?m\.?)?")
_TAIL = rf"(?:(?:t|\s+|,\s*)(?:{_TIME})?)?\s*{_ZONE}?"
_ISO = re.compile(rf"\A(?P<y>\d{{4}})[-/](?P<mo>\d{{1,2}})[-/](?P<d>\d{{1,2}}){_TAIL}\Z", re.I)
_MONTH = r"(?P<mon>jan|feb|mar|apr|may|jun|jul|aug|sep|oct|nov|dec)[a-z]*\.?"
_WEEKDAY = r"(?:(?:mon|tue|wed|thu|fri|sat|sun)[a-z]*\.?,?\s*)?"
_MDY = re.compile(rf"\A{_WEEKDAY}{_MONTH}\s+(?P<d>\d{{1,2}})(?:st|nd|rd|th)?,?\s+(?P<y>\d{{4}}){_TAIL}\Z", re.I)
_DMY = re.compile(rf"\A{_WEEKDAY}(?P<d>\d{{1,2}})(?:st|nd|rd|th)?\s+{_MONTH},?\s+(?P<y>\d{{4}}){_TAIL}\Z", re.I)
_TIME_ONLY = re.compile(rf"\A{_TIME}\s*{_ZONE}?\Z", re.I)


# -- Ruby's inspect -------------------------------------------------------------------------
def ruby_inspect(value: Any) -> str:
    """``value.inspect`` as Ruby 3.3 writes a request parameter (a hash is an unpermitted
    ``ActionController::Parameters``; JSON bodies give numbers, booleans and nil too)."""
    if isinstance(value, dict):
        return f"#<ActionController::Parameters {_hash_inspect(value)} permitted: false>"
    return _inspect(value)


def _inspect(value: Any) -> str:
    if value is None:
        return "nil"
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int):
        return str(value)
    if isinstance(value, float):
        return repr(value) if value == value and abs(value) != float("inf") else str(value)
    if isinstance(value, list):
        return "[" + ", ".join(_inspect(v) for v in value) + "]"
    if isinstance(value, dict):
        return _hash_inspect(value)
    return _string_inspect(str(value))


def _hash_inspect(value: dict) -> str:
    return "{" + ", ".join(f"{_inspect(k)}=>{_inspect(v)}" for k, v in value.items()) + "}"


_ESCAPES = {'"': '\\"', "\\": "\\\\", "\n": "\\n", "\t": "\\t", "\r": "\\r", "\f": "\\f", "\v": "\\v",
            "\a": "\\a", "\b": "\\b", "\x1b": "\\e", "#": "#"}


def _string_inspect(s: str) -> str:
    out = []
    for i, ch in enumerate(s):
        if ch == "#" and s[i + 1:i + 2] in ("{", "$", "@"):
            out.append("\\#")  # Ruby escapes what would interpolate
        elif ch in _ESCAPES:
            out.append(_ESCAPES[ch])
        elif ord(ch) < 0x20 or ord(ch) == 0x7f:
            out.append(f"\\x{ord(ch):02X}")
        else:
            out.append(ch)
    return '"' + "".join(out) + '"'


def ruby_string(value: Any) -> str:
    """A string column's cast (ActiveModel::Type::ImmutableString): true is "t", false "f"."""
    if isinstance(value, bool):
        return "t" if value else "f"
    if isinstance(value, (list, dict)):
        return _inspect(value)
    return "" if value is None else str(value)


def blank(value: Any) -> bool:
    """Rails ``blank?``: nil, false, whitespace-only strings, empty arrays and hashes."""
    if value is None or value is False:
        return True
    if isinstance(value, str):
        return not value.strip()
    if isinstance(value, (list, dict)):
        return not value
    return False


# -- time ------------------------------------------------------------------------------------
def parse_zone_time(text: str, zone: str, now: datetime) -> datetime | None:
    """``Time.zone.parse(text)`` (see the module's Limitations), as an aware UTC datetime; None when
    it does not parse or names an impossible time (Ruby raises ArgumentError)."""
    s = text.strip()
    tz = zone_info(zone)
    today = now.astimezone(tz).date()
    try:
        if DIGITS.match(s):
            if len(s) == 8:
                return _build(int(s[:4]), int(s[4:6]), int(s[6:]), 0, 0, 0, 0, None, tz)
            if len(s) == 14:
                return _build(int(s[:4]), int(s[4:6]), int(s[6:8]), int(s[8:10]), int(s[10:12]),
                              int(s[12:]), 0, None, tz)
            if len(s) <= 2:
                return _build(today.year, today.month, int(s), 0, 0, 0, 0, None, tz)
            return None
        m = _ISO.match(s) or _MDY.match(s) or _DMY.match(s)
        if m:
            g = m.groupdict()
            month = MONTHS[g["mon"][:3].lower()] if g.get("mon") else int(g["mo"])
            hour, minute, sec, usec = _clock(g)
            return _build(int(g["y"]), month, int(g["d"]), hour, minute, sec, usec, g["zone"], tz)
        m = _TIME_ONLY.match(s)
        if m:
            hour, minute, sec, usec = _clock(m.groupdict())
            return _build(today.year, today.month, today.day, hour, minute, sec, usec, m.group("zone"), tz)
    except (ValueError, OverflowError):
        return None
    return None


def _clock(g: dict[str, Any]) -> tuple[int, int, int, int]:
    if not g.get("h"):
        return 0, 0, 0, 0
    hour, minute = int(g["h"]), int(g["mi"])
    ampm = (g.get("ampm") or "").replace(".", "").lower()
    if ampm:
        if not 1 <= hour <= 12:
            raise ValueError("hour out of range for am/pm")
        hour = hour % 12 + (12 if ampm == "pm" else 0)
    frac = g.get("frac") or ""
    usec = int((frac + "000000")[:6]) if frac else 0
    return hour, minute, int(g["s"] or 0), usec


def _build(year: int, month: int, day: int, hour: int, minute: int, sec: int, usec: int,
           zone: str | None, tz: Any) -> datetime:
    """Ruby's Time.new: a day up to 31 rolls over into the next month (Feb 31 is Mar 2), a
    second of 60 into the next minute; a month or hour out of range raises."""
    if not (1 <= month <= 12 and 1 <= day <= 31 and hour <= 24 and minute <= 59 and sec <= 60):
        raise ValueError("argument out of range")
    if hour == 24 and (minute or sec or usec):
        raise ValueError("argument out of range")
    base = datetime.combine(date(year, month, 1), time(0, 0)) + timedelta(
        days=day - 1, hours=hour, minutes=minute, seconds=sec, microseconds=usec)
    if zone:
        return base.replace(tzinfo=_offset(zone)).astimezone(timezone.utc)
    return base.replace(tzinfo=tz).astimezone(timezone.utc)


def _offset(zone: str) -> timezone:
    z = zone.lower()
    if z in ("z", "utc", "gmt"):
        return timezone.utc
    sign = -1 if z[0] == "-" else 1
    digits = z[1:].replace(":", "")
    hours, minutes = int(digits[:2]), int(digits[2:4] or 0)
    if hours > 23 or minutes > 59:
        raise ValueError("utc_offset out of range")
    return timezone(sign * timedelta(hours=hours, minutes=minutes))


def all_day_for(due_at: datetime | None, zone: str, was: tuple[Any, bool, date | None]) -> tuple[bool, date | None]:
    """``Assignment.all_day_interpretation``: unchanged due_at keeps its flags; otherwise 23:59 in
    the zone that sets it is all-day, and its date there is all_day_date; no due_at is (false, nil)."""
    if due_at is None:
        return False, None
    old_due, old_all_day, old_date = was
    if old_due is not None and old_due == due_at:
        return old_all_day, old_date
    local = due_at.astimezone(zone_info(zone))
    return (local.hour, local.minute) == (23, 59), local.date()


# -- the parameter stage ----------------------------------------------------------------------
def interpret(store: Store, a: Assignment, data: Any, set_type: str | None, user: r.User | None,
              zone: str) -> tuple[dict[str, Any], list[str]]:
    """``interpret_assignment_override_data``: (override data, errors). ``set_type`` is the
    override's when updating (its target then cannot change). The data keys: ``students`` (user
    ids), ``group`` / ``section`` / ``course`` (the row), ``set_type``, ``title``,
    ``unassign_item``, ``due_at`` / ``unlock_at`` / ``lock_at`` (aware UTC or None)."""
    if data is None:
        data = {}
    if not isinstance(data, dict):
        return {}, ["invalid override data"]
    out: dict[str, Any] = {}
    errors: list[str] = []
    if set_type is None and data.get("student_ids") is not None:
        set_type = "ADHOC"
    if set_type == "ADHOC" and data.get("student_ids") is not None:
        out["students"] = _students(store, a, data["student_ids"], errors)
    course = store.get("courses", a.course_id)
    if set_type is None and not blank(data.get("group_id")):
        group = _group(store, a, data["group_id"])
        if group is None:
            errors.append(f"unknown group id {ruby_inspect(data['group_id'])}")
        elif not group.non_collaborative and group.group_category_id == a.group_category_id \
                and a.group_category_id is not None:
            set_type = "Group"
            out["group"] = group
        else:
            errors.append("group_id is not valid")
    if set_type is None and not blank(data.get("course_section_id")):
        set_type = "CourseSection"
        section = _section(store, course, data["course_section_id"], user)
        if section is None:
            errors.append(f"unknown section id {ruby_inspect(data['course_section_id'])}")
        out["section"] = section
    if set_type is None and not blank(data.get("course_id")):
        set_type = "Course"
        out["course"] = course
    if set_type is None and not errors:
        errors.append(TARGET_REQUIRED)
    out["set_type"] = set_type
    if set_type == "ADHOC" and "title" in data:
        out["title"] = data["title"]
    if "unassign_item" in data and data["unassign_item"] not in (None, False):
        out["unassign_item"] = rails_bool(data["unassign_item"])
    now = store.now()
    for field in ("due_at", "unlock_at", "lock_at"):
        if field not in data:
            continue
        raw = data[field]
        if blank(raw):
            out[field] = None
            continue
        # ``Time.zone.parse(value.to_s)``; an array's or hash's text is refused (see Limitations)
        text = None if isinstance(raw, (list, dict)) else ruby_to_s(raw)
        parsed = parse_zone_time(text, zone, now) if text is not None else None
        if parsed is None:
            errors.append(f"invalid {field} {ruby_inspect(raw)}")
        else:
            out[field] = parsed
    return out, errors


def _students(store: Store, a: Assignment, raw: Any, errors: list[str]) -> list[int]:
    """``api_find_all(course.all_students, ids)`` then the exact-string check of the ids found."""
    if not isinstance(raw, list) or not raw:
        errors.append(f"invalid student_ids {ruby_inspect(raw)}")
        return []
    found: list[int] = []
    forms: set[str] = set()
    for ref in raw:
        uid = _student_ref(store, a.course_id, ref)
        if uid is None or uid in found:
            continue
        found.append(uid)
        user = store.get("users", uid)
        forms.update((str(uid), str(store.global_id(uid))))
        if user.login_id is not None:
            forms.add(f"sis_login_id:{user.login_id}")
        if user.sis_user_id:
            forms.add(f"sis_user_id:{user.sis_user_id}")
    bad = [ruby_string(ref) for ref in raw if ruby_string(ref) not in forms]
    if bad:
        errors.append(f"unknown student ids: {_inspect(bad)}")
    return found


def _student_ref(store: Store, course_id: int, ref: Any) -> int | None:
    if isinstance(ref, bool) or not isinstance(ref, (int, str)):
        return None
    uid: int | None
    if isinstance(ref, int) or DIGITS.match(ref.strip()):
        uid = store.find_id(ref if isinstance(ref, int) else ref.strip())
    else:
        form, value = store.sis_ref(ref.strip())
        index = {"sis_user_id": "by_sis", "sis_login_id": "by_login"}.get(form or "")
        if index is None or not value:
            return None
        uid = store.idx["users"][index].get(value.casefold() if index == "by_login" else value)
    if uid is None:
        return None
    if any(e.type in ("StudentEnrollment", "StudentViewEnrollment") and e.workflow_state != "deleted"
           for e in store.courses.enrollments_of(uid, course_id)):
        return uid
    return None


def _group(store: Store, a: Assignment, ref: Any) -> r.Group | None:
    """``Group.find_by!(id:, context: course)``: any state, ids only."""
    gid = store.find_id(ref) if isinstance(ref, (int, str)) and not isinstance(ref, bool) else None
    group = store.get("groups", gid) if gid is not None else None
    if group is None or group.context_type != "Course" or group.context_id != a.course_id:
        return None
    return group


def _section(store: Store, course: r.Course, ref: Any, user: r.User | None) -> r.Section | None:
    """``find_section(course, id)``: an active section of the course (``api_find`` forms) the
    caller may read (any, without a caller)."""
    if not isinstance(ref, (int, str)) or isinstance(ref, bool):
        return None
    try:
        section = store.sections.find_in_course(course, ref)
    except E.NotFound:  # Canvas rescues RecordNotFound into the message
        return None
    # no user: a caller of the store (world files, the assignments area) that sees every section
    return section if user is None or store.sections.can_read(user, section) else None

"""Assignment groups (app/models/assignment_group.rb, app/controllers/assignment_groups_api_controller.rb,
app/controllers/assignment_groups_controller.rb#index, lib/api/v1/assignment_group.rb): the table,
its index, who may do what, create / update / delete, the drop rules and the live events.

Read from canvas-lms beyond canvas-facts-assignments.md section 8 (modern copies unless said):

* ``Api::V1::AssignmentGroup#update_assignment_group``: ``params.permit(name position group_weight
  rules sis_source_id, integration_data: anything)`` at the top level; ``integration_data`` ``""``
  is dropped, a hash is merged into the stored one (``to_h.merge``); ``rules`` is taken out of the
  params and, when truthy, goes through ``rules_hash=`` with ``validate_rules = true``; the
  permitted scalars are then assigned as attributes, so a *scalar* ``rules`` ends up stored as the
  raw text it is (JSON ``null`` clears the rules without validation).
* ``rules_hash=`` (spec/models/assignment_group_spec.rb): ``drop_lowest`` / ``drop_highest`` when
  Ruby-truthy (``""`` and ``0`` too) as ``to_i`` (``1.1`` -> 1, ``"123abc"`` -> 123), then one
  ``never_drop:<value>`` line per element as given; ``rules_hash`` reads the text back line by line
  (``key:value``, ``to_i``; ``never_drop`` as the raw text under ``stringify_json_ids``), so a
  newline inside a value is a rule line of its own, as in Canvas.
* ``validate_rules``: ``Drop rules must be a positive number`` when either drop rule is negative,
  else ``Drop rules cannot be higher than the number of assignments`` when either is above the
  group's active assignment count (one message; INFERRED: the spec shows one message per case);
  ``rules`` at most 65,535 characters (``maximum_text_length``), ``name`` at most 255.
* ``generate_default_values`` (before every save): a blank name is "Assignments", a missing or NaN
  weight 0 (``default_assignment_name``, the name singularized, is the assignments area's,
  in ``mockcanvas.store.assignments``).
* ``AssignmentGroup#destroy``: ``workflow_state = "deleted"``, each active assignment destroyed
  (their ``assignment_updated`` events come first), then the group saved. ``move_assignments_to``
  (only when the group has active assignments): ``assignment_groups.active.find`` (404), the
  assignments appended to the target in their order (``update_all`` + ``update_order``: no events),
  the target touched.
* ``set_policy``: read = course read, view_all_grades or manage_grades; create / update / delete =
  manage_assignments_add / _edit / _delete (no closed grading periods in the mock).
* ``AssignmentGroup.visible_assignments``: callers with manage_grades, read_as_admin or a
  manage-assignments right see every active assignment; others the published ones visible to them
  (the assignments area's ``store.assignments.visible_to``).
* ``get_assignment_group_data`` (lib/canvas/live_events.rb): local ids, stringified
  (``post_event_stringified``), ``rules`` the raw text (null until rules were set). The
  data-services examples (doc/api/data_services/json/canvas/event-types/assignment_group_created.json,
  _updated.json) show ``"group_weight": 0`` and ``"integration_data": null``; the code sends the
  attributes as they are: ``group_weight`` is a float column (db/migrate, ``t.float :group_weight``;
  ``generate_default_values`` makes a missing weight 0, cast to ``0.0``), so ``0.0``; and
  ``integration_data`` is ``serialize :integration_data, type: Hash`` (app/models/assignment_group.rb),
  which reads a NULL column as ``{}``, so ``{}`` until data is set. The mock follows the code.

Limitations: no grading periods (``grading_period_id`` and ``scope_assignments_to_student`` filter
nothing, ``any_assignment_in_closed_grading_period`` is false), no assignment-freezer plugin (the
"locked assignment" 400 cannot happen), no score recomputation. Where Canvas answers a 500 the mock
keeps the request harmless: a ``rules`` array is read as no rules, drop values that are hashes or
arrays and non-scalar ``never_drop`` entries are skipped, a scalar or array ``integration_data`` is
ignored, a ``position`` outside a 4-byte integer is a 400 ``An error occurred.`` An array or hash
``move_assignments_to`` is a 400 with nothing deleted (Canvas: a 500). A blank
``position`` leaves the position as it is (Canvas: null, or the end of the list on create).
"""

from __future__ import annotations

import json
import math
from dataclasses import dataclass
from datetime import datetime
from typing import TYPE_CHECKING, Any

from .. import errors as E
from ..coerce import as_list, ruby_to_i, stringify_ids
from .assignment_input import int_cast, ruby_to_f, string_cast
from .base import SortedIndex, fold
from .live import simple_events
from .policy import MANAGE_ASSIGNMENTS

if TYPE_CHECKING:
    from . import Store
    from .assignments import Assignment
    from .records import Course, User


@dataclass(slots=True)
class AssignmentGroup:
    id: int
    course_id: int
    name: str = "Assignments"
    position: int = 1
    group_weight: float = 0.0
    sis_source_id: str | None = None
    integration_data: str = "{}"  # the JSON text of the hash: immutable, a shallow copy is a snapshot
    rules: str | None = None  # Canvas's stored text: "drop_lowest:1\ndrop_highest:1\nnever_drop:33\n"
    workflow_state: str = "available"  # available | deleted
    created_at: datetime | None = None
    updated_at: datetime | None = None


RECORDS = {"assignment_groups": AssignmentGroup}
MAX_NAME = 255
MAX_RULES = 65535  # ActiveRecord::Base.maximum_text_length (64 KB - 1)
INT4 = 2**31  # the position column: a 4-byte integer
DROP_RULES = ("drop_lowest", "drop_highest")
MSG_DROP_NEGATIVE = "Drop rules must be a positive number"
MSG_DROP_TOO_HIGH = "Drop rules cannot be higher than the number of assignments"
READ_RIGHTS = frozenset({"view_all_grades", "manage_grades"})
# AssignmentGroup.visible_assignments: these callers see unpublished and invisible assignments too
SEE_ALL = frozenset({"manage_grades", "read_as_admin"}) | MANAGE_ASSIGNMENTS
ACTION_RIGHTS = {"create": "manage_assignments_add", "update": "manage_assignments_edit",
                 "delete": "manage_assignments_delete"}
TOO_LONG = "is too long (maximum is {} characters)"


def _live(g: AssignmentGroup) -> bool:
    return g.workflow_state != "deleted"


def _order(g: AssignmentGroup) -> tuple:
    return (g.position, fold(g.name), g.id)


def INDEXES() -> dict:
    return {
        "assignment_groups": {
            # a course's active groups in Canvas's order: position, then name, then id
            "by_course": SortedIndex(lambda g: g.course_id if _live(g) else None, _order),
        },
    }


# -- Canvas's casts (the assignments area's: ActiveModel's Float, Integer and String types) ------------
def float_cast(value: Any) -> float | None:
    """ActiveModel's Float cast of a parameter: blank is nil, else ``to_f`` ("NaN"/"Infinity" too)."""
    if value is None or isinstance(value, (dict, list)) or (isinstance(value, str) and not value.strip()):
        return None
    return ruby_to_f(value)


def truthy(value: Any) -> bool:
    """Ruby truthiness: everything but nil and false (``""`` and 0 are true)."""
    return value is not None and value is not False


def rules_text(incoming: dict[str, Any]) -> str:
    """``rules_hash=``: the stored text of a rules hash."""
    out = []
    for key in DROP_RULES:
        value = incoming.get(key)
        if truthy(value) and not isinstance(value, (dict, list)):
            out.append(f"{key}:{ruby_to_i(value)}\n")
    never = incoming.get("never_drop")
    if truthy(never):
        for r in (never if isinstance(never, list) else as_list(never)):
            if r is not None and not isinstance(r, (dict, list)):
                out.append(f"never_drop:{string_cast(r)}\n")
    return "".join(out)


def rules_hash(text: str | None, *, stringify: bool = False) -> dict[str, Any]:
    """``rules_hash``: ``key:value`` lines as ints; ``never_drop`` a list (raw strings when
    ``stringify``: ``application/json+canvas-string-ids``)."""
    out: dict[str, Any] = {}
    for line in (text or "").split("\n"):
        key, sep, value = line.partition(":")
        if not sep:
            continue
        if key == "never_drop":
            out.setdefault("never_drop", []).append(value if stringify else ruby_to_i(value))
        else:
            out[key] = ruby_to_i(value)
    return out


class AssignmentGroupOps:
    def __init__(self, store: Store) -> None:
        self.s = store

    # -- lookups ---------------------------------------------------------------------------
    def active(self, course_id: int) -> list[AssignmentGroup]:
        get = self.s.rows["assignment_groups"].get
        return [get(i) for i in self.s.idx["assignment_groups"]["by_course"].ids(course_id)]

    def listed(self, course_id: int) -> Any:
        """The course's active groups in Canvas's order as an O(1) view of ids (paged in O(page))."""
        return self.s.idx["assignment_groups"]["by_course"].id_view(course_id)

    def find_in_course(self, course_id: int, ref: Any) -> AssignmentGroup:
        """``@context.assignment_groups.active.find(id)``: deleted, foreign or unknown -> 404."""
        group = self.s.find("assignment_groups", ref)
        if group.course_id != course_id:
            raise E.NotFound()
        return group

    def require_default(self, course_id: int) -> AssignmentGroup:
        """``Course#require_assignment_group``: the first active group by position, made
        ("Assignments") when the course has none."""
        groups = self.s.idx["assignment_groups"]["by_course"].ids(course_id)
        if groups:
            return self.s.get("assignment_groups", groups[0])
        now = self.s.now()
        return self.s.insert("assignment_groups", course_id=course_id, name="Assignments", position=1,
                             created_at=now, updated_at=now)

    def assignment_ids(self, group_id: int) -> list[int]:
        """The group's active assignments, in their order (position, then id)."""
        return self.s.idx["assignments"]["by_group"].ids(group_id)

    def assignment_count(self, group_id: int) -> int:
        return len(self.s.idx["assignments"]["by_group"].keys(group_id))

    # -- who may do what -------------------------------------------------------------------
    def rights(self, user: User | None, course: Course) -> frozenset[str]:
        return self.s.policy.course_rights(user, course)

    def can_read(self, user: User | None, course: Course) -> bool:
        return self.s.courses.can_read(user, course) or bool(self.rights(user, course) & READ_RIGHTS)

    def require(self, user: User | None, course: Course, action: str) -> None:
        """``read``, or ``create`` / ``update`` / ``delete`` (manage_assignments_add / _edit / _delete)."""
        ok = self.can_read(user, course) if action == "read" else ACTION_RIGHTS[action] in self.rights(user, course)
        if not ok:
            raise E.Unauthorized()

    def sees_all(self, user: User | None, course: Course) -> bool:
        """Who sees unpublished and invisible assignments (``visible_assignments``)."""
        return bool(self.rights(user, course) & SEE_ALL)

    def visible_assignments(self, user: User | None, course: Course, group: AssignmentGroup) -> list[Assignment]:
        """``AssignmentGroup#visible_assignments``: the group's active assignments in order; for
        students and observers only the published ones visible to them."""
        get = self.s.rows["assignments"].get
        return self.s.assignments.visible_to(user, course, [get(i) for i in self.assignment_ids(group.id)])

    # -- create / update -------------------------------------------------------------------
    def create(self, actor: User | None, course: Course, params: dict[str, Any]) -> AssignmentGroup:
        with self.s.lock:
            self.require(actor, course, "create")
            fields, validate = self._fields(params, None)
            if fields.get("position") is None:
                keys = self.s.idx["assignment_groups"]["by_course"].keys(course.id)
                fields["position"] = max((k[0] for k in keys), default=0) + 1  # acts_as_list: the bottom
            fields.setdefault("name", None)
            fields.setdefault("group_weight", None)
            fields.setdefault("integration_data", "{}")
            self._defaults(fields)
            self._validate(None, fields, validate)
            now = self.s.now()
            return self.s.insert("assignment_groups", course_id=course.id, created_at=now, updated_at=now, **fields)

    def update(self, actor: User | None, group: AssignmentGroup, params: dict[str, Any]) -> AssignmentGroup:
        with self.s.lock:
            course = self.s.get("courses", group.course_id)
            self.require(actor, course, "update")
            fields, validate = self._fields(params, group)
            self._defaults(fields)
            self._validate(group, fields, validate)
            changes = {k: v for k, v in fields.items() if not _same(getattr(group, k), v)}
            if changes:
                changes["updated_at"] = self.s.now()
                self.s._update("assignment_groups", group, **changes)
            return group

    def _fields(self, params: dict[str, Any], group: AssignmentGroup | None) -> tuple[dict[str, Any], bool]:
        """``update_assignment_group``: the permitted top-level parameters, cast as Rails casts
        them; (fields, whether the rules are validated)."""
        out: dict[str, Any] = {}
        validate = False
        if "name" in params and _scalar(params["name"]):
            out["name"] = string_cast(params["name"])
        if "group_weight" in params and _scalar(params["group_weight"]):
            out["group_weight"] = float_cast(params["group_weight"])
        if "sis_source_id" in params and _scalar(params["sis_source_id"]):
            out["sis_source_id"] = string_cast(params["sis_source_id"])
        if "position" in params and _scalar(params["position"]):
            position = int_cast(params["position"])
            if position is not None:
                if not -INT4 <= position < INT4:
                    raise E.BadRequest({"errors": [{"message": "An error occurred.", "error_code": "bad_request"}]})
                out["position"] = position
        if "integration_data" in params and isinstance(params["integration_data"], dict):
            current = json.loads(group.integration_data) if group is not None else {}
            out["integration_data"] = json.dumps({**current, **params["integration_data"]}, ensure_ascii=False)
        if "rules" in params:
            rules = params["rules"]
            if isinstance(rules, dict):
                out["rules"] = rules_text(rules)
            elif isinstance(rules, list):
                out["rules"] = ""
            else:  # a scalar is assigned as the raw text (permitted), after rules_hash= found no rules
                out["rules"] = string_cast(rules)
            validate = truthy(rules)
        return out, validate

    @staticmethod
    def _defaults(fields: dict[str, Any]) -> None:
        """generate_default_values: a blank name "Assignments", a missing or NaN weight 0."""
        if "name" in fields and not (fields["name"] or "").strip():
            fields["name"] = "Assignments"
        if "group_weight" in fields and (fields["group_weight"] is None or math.isnan(fields["group_weight"])):
            fields["group_weight"] = 0.0

    def _validate(self, group: AssignmentGroup | None, fields: dict[str, Any], validate_rules: bool) -> None:
        errs = E.Invalid()
        rules = fields.get("rules", group.rules if group is not None else None)
        name = fields.get("name", group.name if group is not None else "")
        if rules is not None and len(rules) > MAX_RULES:
            errs.add("rules", ("too_long", TOO_LONG.format(MAX_RULES)))
        if name is not None and len(name) > MAX_NAME:
            errs.add("name", ("too_long", TOO_LONG.format(MAX_NAME)))
        if validate_rules:
            parsed = rules_hash(rules)
            drops = [parsed[k] for k in DROP_RULES if k in parsed]
            if any(v < 0 for v in drops):
                errs.add("rules", MSG_DROP_NEGATIVE)
            elif drops:
                count = self.assignment_count(group.id) if group is not None else 0
                if any(v > count for v in drops):
                    errs.add("rules", MSG_DROP_TOO_HIGH)
        if errs.errors:
            raise errs

    # -- delete ----------------------------------------------------------------------------
    def delete(self, actor: User | None, group: AssignmentGroup, move_to: Any = None) -> AssignmentGroup:
        """``DELETE``: with ``move_to`` (the ``move_assignments_to`` parameter, None when not sent)
        the active assignments go to the end of that group first; the others are deleted."""
        with self.s.lock:
            course = self.s.get("courses", group.course_id)
            self.require(actor, course, "delete")
            ids = self.assignment_ids(group.id)
            target = None
            if ids and move_to is not None:
                target = self.find_in_course(group.course_id, move_to)
            now = self.s.now()
            with self.s.atomic():
                if target is not None:
                    with self.s.bulk("assignments"):  # update_all + update_order: no events
                        self.s.assignments.move_to_group(list(ids), target)
                    self.s._update("assignment_groups", target, updated_at=now)  # touch: no event
                get = self.s.rows["assignments"].get
                for a in [get(i) for i in self.assignment_ids(group.id)]:
                    self.s.assignments.delete(a)
                self.s._update("assignment_groups", group, workflow_state="deleted", updated_at=now)
            return group


def _scalar(value: Any) -> bool:
    """Rails ``permit`` keeps scalars only (a hash or an array is dropped)."""
    return not isinstance(value, (dict, list))


def _same(a: Any, b: Any) -> bool:
    """Equal, NaN-safe for floats (a weight is never NaN once saved)."""
    return a == b or (isinstance(a, float) and isinstance(b, float) and math.isnan(a) and math.isnan(b))


def finite(value: float) -> float | None:
    """A float as JSON shows it: ActiveSupport renders Infinity as null."""
    return float(value) if math.isfinite(value) else None


def group_event_body(store: Store, g: AssignmentGroup) -> dict[str, Any]:
    """get_assignment_group_data (lib/canvas/live_events.rb): local ids, stringified."""
    return stringify_ids({
        "assignment_group_id": g.id,
        "context_id": g.course_id,
        "context_type": "Course",
        "name": g.name,
        "position": g.position,
        "group_weight": finite(g.group_weight),
        "sis_source_id": g.sis_source_id,
        "integration_data": json.loads(g.integration_data),
        "rules": g.rules,
        "workflow_state": g.workflow_state,
    })


OPS = ("assignment_groups", AssignmentGroupOps)
LIVE_EVENTS = {"assignment_groups": simple_events("assignment_group", group_event_body)}

"""Who may do what: Canvas's roles reduced to the rights the group APIs check.

Mirrors ``Group#set_policy`` (app/models/group.rb), the default role permissions of
``RoleOverride`` for course enrollments, and account-admin inheritance down the account chain
(canvas-facts section 4). Pure functions of the store's rows: no HTTP here.

Limitations: custom roles and role overrides are not modelled; every admin is a full AccountAdmin.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from . import records as r
from .base import WriteMemo

if TYPE_CHECKING:
    from . import Store

MANAGE_GROUPS = frozenset({"manage_groups_add", "manage_groups_manage", "manage_groups_delete"})
# manage_sections_add / _edit / _delete (permissions_registry.rb): teachers, designers and admins, not TAs
MANAGE_SECTIONS = frozenset({"manage_sections_add", "manage_sections_edit", "manage_sections_delete"})
# manage_assignments_add / _edit / _delete (role_override.rb, modern): teachers, TAs, designers, admins
MANAGE_ASSIGNMENTS = frozenset({"manage_assignments_add", "manage_assignments_edit", "manage_assignments_delete"})
# Course permissions of the 2024+ permissions registry (BASE_PERMISSIONS ``true_for``), see
# canvas-facts-courses-users section 1. ``update`` is ``update_course_details``.
COURSE_ADMIN = frozenset({"manage_courses_publish", "manage_courses_conclude", "update",
                          "manage_course_visibility"})
ACCOUNT_ONLY = frozenset({
    "manage_courses_delete", "manage_courses_reset", "manage_courses_admin", "manage_courses_add",
    "manage_account_settings", "read_course_list", "manage_user_logins", "manage_storage_quotas",
    "manage_students", "read_terms", "manage_grades", "view_all_grades",
})
ADMIN_RIGHTS = frozenset(
    {
        "read",
        "read_as_admin",
        "read_roster",
        "view_group_pages",
        "read_sis",
        "manage_sis",
        "view_user_logins",
        "read_email_addresses",
        "send_messages",
        "create_student_groups",
    }
    | MANAGE_GROUPS | COURSE_ADMIN | ACCOUNT_ONLY | MANAGE_SECTIONS | MANAGE_ASSIGNMENTS
)
_STAFF = frozenset(
    {"read", "read_as_admin", "read_roster", "view_group_pages", "read_sis", "view_user_logins",
     "read_email_addresses", "send_messages", "manage_grades", "view_all_grades", "manage_students"}
    | MANAGE_GROUPS | MANAGE_ASSIGNMENTS
)
ENROLLMENT_RIGHTS: dict[str, frozenset[str]] = {
    "TeacherEnrollment": _STAFF | COURSE_ADMIN | MANAGE_SECTIONS,
    # TAs: no publish/conclude (manage_courses_publish/conclude are not true_for TaEnrollment)
    "TaEnrollment": _STAFF | {"update", "manage_course_visibility"},
    "DesignerEnrollment": frozenset({"read", "read_as_admin", "read_roster", "view_group_pages"}
                                    | MANAGE_GROUPS | COURSE_ADMIN | MANAGE_SECTIONS | MANAGE_ASSIGNMENTS),
    "StudentEnrollment": frozenset({"read", "read_roster", "send_messages", "create_student_groups"}),
    "ObserverEnrollment": frozenset({"read", "read_roster"}),
}
GROUP_PERMISSIONS = (
    "read", "read_roster", "join", "leave", "update", "manage", "delete", "create_discussion_topic",
    "create_announcement", "send_messages", "manage_files", "read_sis", "manage_sis",
)


class Policy:
    def __init__(self, store: Store) -> None:
        self.s = store
        self._memo = WriteMemo(store)  # rights depend only on rows

    # -- accounts --------------------------------------------------------------------------
    def account_chain(self, account_id: int) -> list[int]:
        chain: list[int] = []
        acc = self.s.get("accounts", account_id)
        while acc is not None and acc.id not in chain:
            chain.append(acc.id)
            acc = self.s.get("accounts", acc.parent_account_id) if acc.parent_account_id else None
        return chain

    def is_admin_of(self, user: r.User | None, account_id: int) -> bool:
        if user is None:
            return False
        admin_of = self.admin_accounts(user)
        return bool(admin_of) and any(a in admin_of for a in self.account_chain(account_id))

    def account_rights(self, user: r.User | None, account: r.Account) -> frozenset[str]:
        if self.is_admin_of(user, account.id):
            return ADMIN_RIGHTS
        return frozenset()

    def admin_accounts(self, user: r.User) -> set[int]:
        get = self.s.rows["admins"].get
        return {a.account_id for a in (get(i) for i in self.s.idx["admins"]["by_user"].ids(user.id))
                if a is not None and a.workflow_state == "active"}

    def can_masquerade(self, real: r.User, target: r.User) -> bool:
        """User#can_masquerade?: oneself always; otherwise ``become_user`` on the target's root
        account (its admins) and at least the target's own admin rights (an admin of every
        account the target administers, or of a parent of it)."""
        if real.id == target.id:
            return True
        root = self.s.people.root_account_id(target.account_id)
        if not self.is_admin_of(real, root):
            return False
        return all(self.is_admin_of(real, acc) for acc in self.admin_accounts(target))

    # -- users -----------------------------------------------------------------------------
    def user_rights(self, viewer: r.User, user: r.User) -> frozenset[str]:
        """``GET /users/:id`` (UsersController#api_show, 2025): the viewer's rights in the user's
        root account, the context the user is shown in (an admin sees SIS id, login and e-mail;
        a teacher or the user themself does not). Only who holds ``api_show_user`` on the user
        may see them: the user themself and admins of an account the user is associated with
        (``User#set_policy``, see ``store/users.py``); anyone else gets NotFound, as Canvas raises
        RecordNotFound (older copies answered 401)."""
        self.s.users.show(viewer, user)
        return self.s.users.context_rights(viewer, user)

    def active_enrollments(self, user_id: int) -> list[r.Enrollment]:
        get = self.s.rows["enrollments"].get
        return [e for e in (get(i) for i in self.s.idx["enrollments"]["by_user"].ids(user_id))
                if e.workflow_state == "active"]

    # -- courses ---------------------------------------------------------------------------
    def enrollments(self, user_id: int, course_id: int) -> list[r.Enrollment]:
        """The user's active enrollments in one course (through the (user, course) index of
        store/courses.py: a user with many courses costs no more)."""
        get = self.s.rows["enrollments"].get
        ids = self.s.idx["enrollments"]["by_user_course"].ids((user_id, course_id))
        return [e for e in (get(i) for i in ids) if e is not None and e.workflow_state == "active"]

    def course_rights(self, user: r.User | None, course: r.Course) -> frozenset[str]:
        if user is None or course.workflow_state == "deleted":
            return frozenset()
        key = ("course", user.id, course.id)
        found = self._memo.hit(key)  # asked on every request: a hit builds no closure
        return found if found is not None else self._memo.get(key, lambda: self._course_rights(user, course))

    def _course_rights(self, user: r.User, course: r.Course) -> frozenset[str]:
        if self.is_admin_of(user, course.account_id):
            return ADMIN_RIGHTS
        rights: set[str] = set()
        for e in self.enrollments(user.id, course.id):
            rights |= ENROLLMENT_RIGHTS.get(e.type, frozenset())
        return frozenset(rights)

    def context_rights(self, user: r.User | None, context_type: str, context_id: int) -> frozenset[str]:
        if context_type == "Course":
            course = self.s.get("courses", context_id)
            return self.course_rights(user, course) if course else frozenset()
        account = self.s.get("accounts", context_id)
        return self.account_rights(user, account) if account else frozenset()

    def can_participate(self, user: r.User | None, context_type: str, context_id: int) -> bool:
        """Course: an active enrollment. Account: a login under the account's root."""
        if user is None:
            return False
        if context_type == "Course":
            return bool(self.enrollments(user.id, context_id))
        account = self.s.get("accounts", context_id)
        root = (account.root_account_id or account.id) if account else None
        return root is not None and user.account_id == root

    def is_student(self, user: r.User | None, course_id: int) -> bool:
        return user is not None and any(
            e.type == "StudentEnrollment" for e in self.enrollments(user.id, course_id)
        )

    def section_ids(self, user_id: int, course_id: int) -> set[int]:
        return {e.course_section_id for e in self.enrollments(user_id, course_id)}

    # -- groups ----------------------------------------------------------------------------
    def membership(self, group: r.Group, user: r.User | None) -> r.GroupMembership | None:
        if user is None:
            return None
        mid = self.s.idx["memberships"]["by_pair"].get((group.id, user.id))
        m = self.s.get("memberships", mid) if mid is not None else None
        return m if m is not None and m.workflow_state != "deleted" else None

    def self_signup_allowed(self, user: r.User | None, group: r.Group) -> bool:
        """GroupCategory self-signup: 'enabled' for anyone who can participate; 'restricted' only
        when the user shares a section with every current member (Group#allow_self_signup?).
        Never in communities: Canvas makes their category without self-signup
        (GroupCategory.communities_for), so only a group's join level opens it (Group#free_association?,
        canvas-facts Corrections 11), whatever a world file says of the category."""
        cat = self.s.get("group_categories", group.group_category_id) if group.group_category_id else None
        if cat is None or cat.self_signup not in ("enabled", "restricted") or user is None:
            return False
        if cat.is_communities:
            return False
        if not self.can_participate(user, group.context_type, group.context_id):
            return False
        if cat.self_signup == "restricted" and group.context_type == "Course":
            mine = self.section_ids(user.id, group.context_id)
            for mid in self.s.idx["memberships"]["by_group"].ids(group.id):
                other = self.s.get("memberships", mid)
                if other.user_id != user.id and not (mine & self.section_ids(other.user_id, group.context_id)):
                    return False
        return True

    def group_rights(self, user: r.User | None, group: r.Group) -> frozenset[str]:
        if user is None:
            return frozenset()
        key = ("group", user.id, group.id)
        found = self._memo.hit(key)  # asked on every request: a hit builds no closure
        return found if found is not None else self._memo.get(key, lambda: self._group_rights(user, group))

    def _group_rights(self, user: r.User, group: r.Group) -> frozenset[str]:
        ctx = self.context_rights(user, group.context_type, group.context_id)
        if group.context_type == "Course" and "read" not in ctx:
            # Group#set_policy wraps every right but :participate in ``context.grants_right?(user,
            # :read)``: a member whose course enrollment is no longer active has no member rights
            return frozenset()
        m = self.membership(group, user)
        member = m is not None and m.workflow_state == "accepted"
        moderator = member and m.moderator
        staff = bool(ctx & (MANAGE_GROUPS | {"view_group_pages"}))
        cat = self.s.get("group_categories", group.group_category_id) if group.group_category_id else None
        multi = cat is not None and cat.allows_multiple_memberships
        rights: set[str] = set()
        if member or staff:
            rights |= {"read", "read_roster", "manage_files", "create_discussion_topic",
                       "create_announcement", "send_messages"}
        if moderator or "manage_groups_manage" in ctx:
            rights |= {"manage", "update", "delete"}
        if "manage_groups_delete" in ctx:
            rights.add("delete")
        if member and group.leader_id == user.id:
            rights.add("update")
        self_signup = self.self_signup_allowed(user, group)
        if self.can_participate(user, group.context_type, group.context_id) and (
            (multi and group.join_level in ("parent_context_auto_join", "parent_context_request"))
            or self_signup
        ):
            rights.add("join")
        if "join" in rights:
            rights.add("read_roster")  # who may join a group may see who is in it (Group#set_policy)
        if m is not None and (multi or self_signup):
            rights.add("leave")
        if "read_sis" in ctx:
            rights.add("read_sis")
        if "manage_sis" in ctx:
            rights.add("manage_sis")
        return frozenset(rights)

    def can_create_in(self, user: r.User | None, cat: r.GroupCategory) -> bool:
        """Group :create (app/models/group.rb): communities for anyone; student-organized groups
        for students of a course that allows them; otherwise manage_groups_add on the context."""
        if user is None:
            return False
        if cat.role == "communities":
            return True
        ctx = self.context_rights(user, cat.context_type, cat.context_id)
        if cat.role == "student_organized" and cat.context_type == "Course":
            course = self.s.get("courses", cat.context_id)
            if course and course.allow_student_organized_groups and "create_student_groups" in ctx:
                return True
        return "manage_groups_add" in ctx

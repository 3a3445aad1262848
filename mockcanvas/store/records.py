"""Plain records of the first areas (accounts, users, courses, sections, enrollments, groups and
their neighbours), which nearly every module reads. An area added later declares its records in its
own store module (``RECORDS``, see ``mockcanvas.store.registry``); which table a record belongs to
is said there too.

Records carry state only. Domain rules live in the store's operation modules; JSON shapes live in
``mockcanvas.views``. Every field is a scalar (or an immutable value), so a shallow ``copy`` of a
record is a full snapshot of it: that is what makes rollback cheap.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

ENROLLMENT_TYPES = (
    "StudentEnrollment",
    "TeacherEnrollment",
    "TaEnrollment",
    "DesignerEnrollment",
    "ObserverEnrollment",
)
ENROLLMENT_STATES = ("active", "invited", "creation_pending", "completed", "inactive", "deleted")
MEMBERSHIP_STATES = ("accepted", "invited", "requested", "deleted")
JOIN_LEVELS = ("invitation_only", "parent_context_auto_join", "parent_context_request")
CATEGORY_ROLES = (None, "student_organized", "communities", "imported", "uncategorized")


@dataclass(slots=True)
class Account:
    id: int
    name: str
    parent_account_id: int | None = None
    root_account_id: int | None = None  # None for a root account itself
    uuid: str = ""
    lti_guid: str = ""
    sis_account_id: str | None = None
    integration_id: str | None = None
    lti_context_id: str | None = None  # set by Canvas at the first LTI launch; the lti_context_id: path form
    default_time_zone: str = "Etc/UTC"
    default_locale: str | None = None
    # None: Canvas's defaults (500 MB per course, 50 per user, the group default of Settings)
    default_storage_quota_mb: int | None = None
    default_user_storage_quota_mb: int | None = None
    default_group_storage_quota_mb: int | None = None
    course_template_id: int | None = None
    # account settings Canvas keeps in its ``settings`` hash, as ((name, value), ...): immutable,
    # so that a shallow copy of the row is a full snapshot
    settings: tuple = ()
    workflow_state: str = "active"
    created_at: datetime | None = None
    updated_at: datetime | None = None


@dataclass(slots=True)
class User:
    id: int
    name: str
    sortable_name: str
    short_name: str
    login_id: str | None = None
    email: str | None = None
    sis_user_id: str | None = None
    integration_id: str | None = None
    time_zone: str = "Etc/UTC"
    account_id: int = 1  # the root account the user's login belongs to
    uuid: str = ""
    pronouns: str | None = None
    locale: str | None = None
    avatar_url: str | None = None
    bio: str | None = None
    title: str | None = None
    pronunciation: str | None = None
    last_login: datetime | None = None
    terms_of_use: bool = False
    workflow_state: str = "registered"  # registered | pre_registered | deleted
    # Users API: avatar_state (none submitted approved locked reported re_reported), the boolean UI
    # preferences that are on as ((name, True), ...), Canvas's lti_context_id (None until set) and
    # the state of the user's login (active | suspended: PUT /users/:id event=suspend)
    avatar_state: str = "none"
    preferences: tuple = ()
    lti_context_id: str | None = None
    login_state: str = "active"
    created_at: datetime | None = None
    updated_at: datetime | None = None


@dataclass(slots=True)
class AccessToken:
    token: str
    user_id: int
    expires_at: datetime | None = None
    revoked: bool = False


@dataclass(slots=True)
class AccountAdmin:
    id: int
    account_id: int
    user_id: int
    role: str = "AccountAdmin"
    workflow_state: str = "active"


@dataclass(slots=True)
class Course:
    id: int
    name: str
    course_code: str
    account_id: int
    root_account_id: int
    sis_course_id: str | None = None
    integration_id: str | None = None
    uuid: str = ""
    workflow_state: str = "available"  # Canvas's raw states: created claimed available completed deleted
    time_zone: str = "Etc/UTC"
    start_at: datetime | None = None
    end_at: datetime | None = None  # Canvas's conclude_at
    enrollment_term_id: int | None = None  # None: the root account's default term
    restrict_enrollments_to_course_dates: bool = False
    allow_student_organized_groups: bool = True
    syllabus_body: str | None = None
    public_description: str | None = None
    is_public: bool = False
    is_public_to_auth_users: bool = False
    public_syllabus: bool = False
    public_syllabus_to_auth: bool = False
    license: str = "private"
    default_view: str = "modules"
    course_format: str | None = None
    grading_standard_id: int | None = None
    grade_passback_setting: str | None = None
    storage_quota_mb: int | None = None  # None: the account's default
    hide_final_grades: bool = False
    apply_assignment_group_weights: bool = False
    course_color: str | None = None
    locale: str | None = None
    # course settings (CoursesController#update_settings) that differ from Canvas's defaults, as
    # ((name, value), ...): immutable, so that a shallow copy of the row is a full snapshot
    settings: tuple = ()
    created_at: datetime | None = None
    updated_at: datetime | None = None
    deleted_at: datetime | None = None


@dataclass(slots=True)
class Section:
    id: int
    course_id: int  # the current course (the cross-listed-to one while cross-listed)
    name: str
    sis_section_id: str | None = None
    created_at: datetime | None = None
    # the Sections API (store/sections.py): CourseSection's columns
    integration_id: str | None = None
    start_at: datetime | None = None
    end_at: datetime | None = None
    restrict_enrollments_to_section_dates: bool | None = None  # null until set, as Canvas
    nonxlist_course_id: int | None = None  # the original course while cross-listed
    default_section: bool = False
    sis_import_id: int | None = None
    stuck_sis_fields: tuple = ()  # sticky fields changed outside SIS, sorted
    workflow_state: str = "active"  # active | deleted
    updated_at: datetime | None = None


@dataclass(slots=True)
class Enrollment:
    id: int
    user_id: int
    course_id: int
    course_section_id: int
    type: str = "StudentEnrollment"
    workflow_state: str = "active"
    created_at: datetime | None = None
    # the enrollments area (store/enrollments.py): a custom role's id (None: the type's built-in
    # role), Canvas's enrollment columns, and when the enrollment left ``active``/``invited``
    role_id: int | None = None
    limit_privileges_to_course_section: bool = False
    start_at: datetime | None = None
    end_at: datetime | None = None
    associated_user_id: int | None = None  # observers: the student observed
    self_enrolled: bool = False
    updated_at: datetime | None = None
    completed_at: datetime | None = None
    last_activity_at: datetime | None = None
    last_attended_at: datetime | None = None
    total_activity_time: int = 0
    sis_import_id: int | None = None

    @property
    def role(self) -> str:
        return self.type


@dataclass(slots=True)
class GroupCategory:
    id: int
    name: str
    context_type: str  # "Course" | "Account"
    context_id: int
    root_account_id: int
    role: str | None = None
    self_signup: str | None = None  # None | "enabled" | "restricted"
    group_limit: int | None = None
    auto_leader: str | None = None  # None | "first" | "random"
    sis_group_category_id: str | None = None
    sis_import_id: int | None = None
    non_collaborative: bool = False
    self_signup_end_at: datetime | None = None  # the self-signup deadline (null unless set)
    created_at: datetime | None = None
    deleted_at: datetime | None = None

    @property
    def allows_multiple_memberships(self) -> bool:
        return self.role in ("student_organized", "communities")

    @property
    def protected(self) -> bool:
        return self.role is not None and self.role != "imported"

    @property
    def is_communities(self) -> bool:
        return self.role == "communities"


@dataclass(slots=True)
class Group:
    id: int
    name: str
    context_type: str  # "Course" | "Account"
    context_id: int
    root_account_id: int
    group_category_id: int | None = None
    description: str | None = None
    is_public: bool = False
    join_level: str = "invitation_only"
    max_membership: int | None = None
    storage_quota_mb: int = 50
    sis_group_id: str | None = None
    sis_import_id: int | None = None
    leader_id: int | None = None
    avatar_attachment_id: int | None = None
    non_collaborative: bool = False
    uuid: str = ""
    workflow_state: str = "available"
    created_at: datetime | None = None
    updated_at: datetime | None = None
    deleted_at: datetime | None = None


@dataclass(slots=True)
class GroupMembership:
    id: int
    group_id: int
    user_id: int
    workflow_state: str = "accepted"
    moderator: bool = False
    sis_import_id: int | None = None
    uuid: str = ""
    created_at: datetime | None = None
    updated_at: datetime | None = None


@dataclass(slots=True)
class Attachment:
    """A file in a group's files, kept in memory (``data``) once the upload step has run."""

    id: int
    context_type: str
    context_id: int
    user_id: int | None
    display_name: str
    filename: str
    content_type: str
    size: int
    folder_path: str = "group files"
    folder_id: int | None = None  # the folder the file landed in (store/files.py: Folder)
    uuid: str = ""
    upload_token: str = ""
    data: bytes | None = None
    file_state: str = "deleted"  # "deleted" while pending upload (as Canvas), then "available"
    workflow_state: str = "unattached"  # "unattached" -> "processed"
    created_at: datetime | None = None
    updated_at: datetime | None = None


@dataclass(slots=True)
class StreamItem:
    """An activity-stream entry in a group (seeded only: the mock has no discussions of its own)."""

    id: int
    group_id: int
    type: str  # "DiscussionTopic" | "Announcement" | "Message" | "Conversation" | ...
    title: str
    message: str = ""
    notification_category: str | None = None
    read_by: frozenset[int] = field(default_factory=frozenset)
    created_at: datetime | None = None
    updated_at: datetime | None = None


@dataclass(slots=True)
class Progress:
    """An asynchronous job's progress (app/models/progress.rb)."""

    id: int
    context_type: str
    context_id: int
    tag: str
    user_id: int | None = None
    completion: float = 0.0
    workflow_state: str = "queued"  # queued -> running -> completed | failed; queued -> canceled
    message: str | None = None
    results: Any = None
    polls: int = 0
    created_at: datetime | None = None
    updated_at: datetime | None = None

    @property
    def pending(self) -> bool:
        return self.workflow_state in ("queued", "running", "waiting_for_external_tool")

"""The shape of a Canvas live event, taken from Canvas's own documentation at test time.

The seed file is the data-services page for groups (``data_service_canvas_group.md``): for each of
the six events a "Payload Example:" followed by one JSON object. :func:`seed_examples` parses those
objects; :func:`check_shape` compares one recorded :class:`mockcanvas.events.LiveEvent` with the
example of its name (canvas-facts section 6):

* the body has exactly the keys of the example, with the same value types (ids are digit strings,
  ``group_limit`` / ``max_membership`` an int or null), except where Canvas's code
  (lib/canvas/live_events.rb) and the example disagree: the tables below say which keys the code
  adds, sends only sometimes, or sends with another type than the example shows;
* the metadata of an HTTP request has the example's keys, plus only the documented context keys
  (and every request that writes has a context); the metadata of a job has the job's keys; the
  metadata of a plain Python call on the store has producer, event name and time only.
"""

from __future__ import annotations

import json
import os
import re
from functools import cache
from pathlib import Path
from typing import Any

# the "Payload Example:" objects of Canvas's data-services pages (doc/api/data_services), by event name
EXAMPLES_PATH = Path(__file__).parent.parent / "data" / "canvas_live_event_examples.json"
# the page itself, when at hand: the examples file is checked against it
SEED_PATH = Path(os.environ.get("MOCKCANVAS_LIVE_EVENTS_SEED", EXAMPLES_PATH.parent / "missing-seed.txt"))

EVENT_NAMES = frozenset({
    "group_category_created", "group_category_updated", "group_created", "group_updated",
    "group_membership_created", "group_membership_updated",
    # doc/api/data_services/json/canvas/event-types/<name>.json (Courses API)
    "course_created", "course_updated", "syllabus_updated",
    # the same docs (Accounts API): their examples show ids as numbers, which Canvas's
    # post_event_stringified sends as strings (NUMBER_IDS_IN_DOCS)
    "account_created", "account_updated",
    # the same docs (Users API)
    "user_created", "user_updated",
    # the same docs (Enrollments API)
    "enrollment_created", "enrollment_updated", "enrollment_state_created", "enrollment_state_updated",
    # the same docs (Assignments, Assignment Groups, Assignment Overrides and Submissions APIs)
    "assignment_created", "assignment_updated", "assignment_group_created", "assignment_group_updated",
    "assignment_override_created", "assignment_override_updated",
    "submission_created", "submission_updated", "grade_change",
})
NUMBER_IDS_IN_DOCS = frozenset({"account_created", "account_updated",
                                # get_assignment_override_data goes through post_event_stringified too
                                "assignment_override_created", "assignment_override_updated"})
# body keys newer code adds to a documented example: get_course_data has account_uuid in 2025
# (lib/canvas/live_events.rb); the docs' examples predate it
BODY_ADDED = {"course_created": frozenset({"account_uuid"}), "course_updated": frozenset({"account_uuid"}),
              # get_enrollment_data has course_uuid and user_uuid in 2025
              "enrollment_created": frozenset({"course_uuid", "user_uuid"}),
              "enrollment_updated": frozenset({"course_uuid", "user_uuid"}),
              # get_assignment_data has anonymous_grading, lti_assignment_description and resource_map
              "assignment_created": frozenset({"anonymous_grading", "lti_assignment_description", "resource_map"}),
              "assignment_updated": frozenset({"anonymous_grading", "lti_assignment_description", "resource_map"}),
              # get_submission_data has posted_at; grade_changed has assignment_name
              "submission_created": frozenset({"posted_at"}), "submission_updated": frozenset({"posted_at"}),
              "grade_change": frozenset({"assignment_name"})}
# keys an example shows under a name the code does not use: the assignment_updated page spells
# assignment_id_duplicated_from with two underscores (get_assignment_data has one)
BODY_RENAMED = {"assignment_updated": {"assignment_id_duplicated__from": "assignment_id_duplicated_from"}}
# body keys an example shows that the code sends only sometimes: associated_user_id only on observer
# enrollments (the docs' example shows it on a student)
BODY_SOMETIMES = {"enrollment_created": frozenset({"associated_user_id"}),
                  "enrollment_updated": frozenset({"associated_user_id"}),
                  # domain when the root account's domain is known (the mock knows it from a request),
                  # domain_duplicated_from only on a duplicate (the mock duplicates nothing)
                  "assignment_created": frozenset({"domain", "domain_duplicated_from"}),
                  "assignment_updated": frozenset({"domain", "domain_duplicated_from"}),
                  # the set's id under the key of its type: course_section_id or group_id (ADHOC: neither)
                  "assignment_override_created": frozenset({"course_section_id", "group_id"}),
                  "assignment_override_updated": frozenset({"course_section_id", "group_id"})}
OVERRIDE_SET_KEYS = {"CourseSection": "course_section_id", "Group": "group_id"}
# the type Canvas sends where an example shows another: float columns (assignments.points_possible,
# submissions.score, assignment_groups.group_weight) written as integers in the docs, and
# AssignmentGroup's ``serialize :integration_data, type: Hash`` ({} when never set; the docs show null)
CODE_TYPES: dict[str, type] = {"points_possible": float, "old_points_possible": float, "score": float,
                               "old_score": float, "group_weight": float, "integration_data": dict}
# metadata keys an example shows that the mock never sends: developer_key_id (a request made with a
# developer key's token; the mock's tokens have none)
METADATA_NOT_SENT = frozenset({"developer_key_id"})
# the example whose metadata is a plain request's, for events documented with a job's (course_updated)
# or with a user-less request's (USERLESS_REQUEST_IN_DOCS)
REQUEST_EXAMPLE = "group_created"
# examples documented with an LTI tool's request (grade passback: no user, no context): a request
# made with a user's token has the usual request keys
USERLESS_REQUEST_IN_DOCS = frozenset({"submission_created"})
# Canvas::LiveEvents context of @context; only some examples show them
CONTEXT_KEYS = frozenset({"context_type", "context_id", "context_account_id", "context_role",
                          "context_sis_source_id"})
CONTEXT_REQUIRED = frozenset({"context_type", "context_id", "context_account_id"})
JOB_METADATA_KEYS = frozenset({"job_id", "job_tag", "root_account_id", "producer", "event_name", "event_time"})
BARE_METADATA_KEYS = frozenset({"producer", "event_name", "event_time"})

EVENT_TIME = re.compile(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z")
DIGITS = re.compile(r"[1-9]\d*")
UUID = re.compile(r"[A-Za-z0-9]{40}")
# ids of records (global ids as strings); SIS ids, request and session ids are other strings
BODY_ID_KEYS = frozenset({"group_category_id", "group_id", "group_membership_id", "user_id", "context_id",
                          "account_id", "course_id", "root_account_id", "parent_account_id",
                          "enrollment_id", "course_section_id", "associated_user_id",
                          "assignment_group_id", "assignment_id", "assignment_id_duplicated_from",
                          "assignment_override_id", "submission_id", "grader_id", "student_id"})
METADATA_ID_KEYS = frozenset({"user_id", "user_account_id", "root_account_id", "context_id",
                              "context_account_id", "real_user_id", "job_id"})
NULLABLE_BODY = frozenset({"group_limit", "max_membership", "syllabus_body", "old_syllabus_body",
                           # account events: a root account has no parent; raw columns, null when inherited
                           "parent_account_id", "external_status", "domain", "default_time_zone",
                           "default_locale",
                           # user events: a user without a login or SIS id (get_user_data's primary_pseudonym)
                           "user_login", "user_sis_id",
                           # enrollment events: an observer observing nobody; a state valid for ever
                           "associated_user_id", "state_valid_until"})
# nullable keys of one event's body (a date not set, a row not graded, ...)
_ASSIGNMENT_NULLABLE = frozenset({"description", "due_at", "lock_at", "unlock_at", "points_possible",
                                  "lti_resource_link_id", "lti_resource_link_id_duplicated_from",
                                  "assignment_id_duplicated_from"})
_OVERRIDE_NULLABLE = frozenset({"due_at", "all_day", "all_day_date", "unlock_at", "lock_at"})
_SUBMISSION_NULLABLE = frozenset({"submitted_at", "graded_at", "score", "grade", "submission_type", "body", "url",
                                  "attempt", "lti_user_id", "group_id", "lti_assignment_id"})
# rules are null until set; an infinite weight is shown as null (ActiveSupport's JSON of Infinity)
_GROUP_NULLABLE = frozenset({"sis_source_id", "rules", "group_weight"})
NULLABLE_BY_EVENT = {
    "assignment_created": _ASSIGNMENT_NULLABLE, "assignment_updated": _ASSIGNMENT_NULLABLE,
    "assignment_group_created": _GROUP_NULLABLE, "assignment_group_updated": _GROUP_NULLABLE,
    "assignment_override_created": _OVERRIDE_NULLABLE, "assignment_override_updated": _OVERRIDE_NULLABLE,
    "submission_created": _SUBMISSION_NULLABLE, "submission_updated": _SUBMISSION_NULLABLE,
    # old_* null on a first grade; grader_id null when autograded
    "grade_change": frozenset({"grade", "old_grade", "score", "old_score", "points_possible",
                               "old_points_possible", "grader_id", "student_sis_id"}),
}
NULLABLE_METADATA = frozenset({"referrer", "user_agent", "user_sis_id", "user_login", "client_ip"})
WORKFLOW_STATES = {
    "group": {"available", "deleted"},
    "group_membership": {"accepted", "invited", "requested", "deleted"},
    "course": {"created", "claimed", "available", "completed", "deleted"},  # raw states
    "account": {"active", "deleted"},
    "user": {"creation_pending", "pre_registered", "pending_approval", "registered", "deleted"},
    "enrollment": {"active", "invited", "creation_pending", "completed", "inactive", "deleted", "rejected"},
    # the example of assignment_created shows "created", which no assignment has (AbstractAssignment's
    # workflow); the mock's are these
    "assignment": {"published", "unpublished", "deleted"},
    "assignment_group": {"available", "deleted"},
    "assignment_override": {"active", "deleted"},
    "submission": {"submitted", "unsubmitted", "graded", "pending_review", "deleted"},
}


def parse_examples(text: str) -> dict[str, dict[str, Any]]:
    """Every JSON object that follows a "Payload Example:" line, by its metadata's event_name."""
    decoder = json.JSONDecoder()
    out: dict[str, dict[str, Any]] = {}
    for match in re.finditer(r"Payload Example:\s*", text):
        example, _ = decoder.raw_decode(text, match.end())
        out[example["metadata"]["event_name"]] = example
    return out


@cache
def seed_examples() -> dict[str, dict[str, Any]]:
    return json.loads(EXAMPLES_PATH.read_text(encoding="utf-8"))


def _same_type(key: str, value: Any, example: Any, nullable: frozenset[str]) -> bool:
    if value is None:
        return key in nullable
    if key in CODE_TYPES:
        return type(value) is CODE_TYPES[key]
    return type(value) is type(example)


def _problems_of_body(name: str, body: dict[str, Any], example: dict[str, Any]) -> list[str]:
    problems = []
    renamed = BODY_RENAMED.get(name, {})
    example = {renamed.get(key, key): value for key, value in example.items()}
    nullable = NULLABLE_BODY | NULLABLE_BY_EVENT.get(name, frozenset())
    sometimes = BODY_SOMETIMES.get(name, frozenset())
    expected = set(example) | BODY_ADDED.get(name, frozenset())
    if not expected - sometimes <= set(body) <= expected | sometimes:
        problems.append(f"body keys {sorted(body)} are not the example's {sorted(expected)}"
                        + (f" (some of {sorted(sometimes)} may be absent)" if sometimes else ""))
    for key, value in body.items():
        number_id = name in NUMBER_IDS_IN_DOCS and key in BODY_ID_KEYS  # checked as an id string below
        if key in example and not number_id and not _same_type(key, value, example[key], nullable):
            want = CODE_TYPES.get(key, type(example[key])).__name__
            problems.append(f"body {key}={value!r} is not a {want} (the example shows {example[key]!r})")
        if key in BODY_ID_KEYS and not (value is None and key in nullable) and not (
                isinstance(value, str) and DIGITS.fullmatch(value)):
            problems.append(f"body {key}={value!r} is not an id string")
    if name.startswith("assignment_override_"):
        want = OVERRIDE_SET_KEYS.get(body.get("type"))
        present = [k for k in OVERRIDE_SET_KEYS.values() if k in body]
        if present != ([want] if want else []):
            problems.append(f"an override of type {body.get('type')!r} has {present}, not {want or 'no set key'}")
    for key in ("uuid", "account_uuid", "root_account_uuid", "course_uuid", "user_uuid", "context_uuid"):
        if key in body and not (isinstance(body[key], str) and UUID.fullmatch(body[key])):
            problems.append(f"body {key}={body[key]!r} is not 40 letters and digits")
    kind = name.rsplit("_", 1)[0]
    if kind in WORKFLOW_STATES and body.get("workflow_state") not in WORKFLOW_STATES[kind]:
        problems.append(f"body workflow_state={body.get('workflow_state')!r} is not one of "
                        f"{sorted(WORKFLOW_STATES[kind])}")
    return problems


def _expected_context_type(metadata: dict[str, Any]) -> str | None:
    """The context a write route implies (None: the category's own context, Course or Account)."""
    path = metadata["url"].split("?", 1)[0]
    if re.search(r"/api/v1/groups/\d+", path):
        return "Group"
    if re.search(r"/api/v1/courses/", path):
        return "Course"
    if re.search(r"/api/v1/accounts/", path) or re.search(r"/api/v1/groups/?$", path):
        return "Account"  # a community lives in the domain's root account
    return None


def _problems_of_metadata(name: str, metadata: dict[str, Any]) -> list[str]:
    seed_meta = seed_examples()["group_category_created"]["metadata"]  # the one with context keys
    problems = []
    keys = set(metadata)
    if "request_id" in metadata:
        documented = seed_examples()[name]["metadata"]
        if "request_id" not in documented or name in USERLESS_REQUEST_IN_DOCS:
            # documented with a job's metadata or a tool's request: a user's request is the usual
            documented = {**seed_examples()[REQUEST_EXAMPLE]["metadata"], "event_name": name}
        own = set(documented) - CONTEXT_KEYS - METADATA_NOT_SENT
        if keys - CONTEXT_KEYS != own:
            problems.append(f"request metadata keys {sorted(keys - CONTEXT_KEYS)} (without context keys) "
                            f"are not the example's {sorted(own)}")
        if not CONTEXT_REQUIRED <= keys:
            problems.append(f"request metadata lacks context keys {sorted(CONTEXT_REQUIRED - keys)}")
        want_type = _expected_context_type(metadata) if "url" in metadata else None
        if metadata.get("context_type") not in ({want_type} if want_type else {"Course", "Account"}):
            problems.append(f"context_type {metadata.get('context_type')!r} does not fit {metadata.get('url')}")
    elif "job_id" in metadata:
        if keys != JOB_METADATA_KEYS:
            problems.append(f"job metadata keys {sorted(keys)} are not {sorted(JOB_METADATA_KEYS)}")
    elif keys != BARE_METADATA_KEYS:
        problems.append(f"metadata keys {sorted(keys)} of a call outside any request are not "
                        f"{sorted(BARE_METADATA_KEYS)}")
    for key, value in metadata.items():
        if key in seed_meta and not _same_type(key, value, seed_meta[key], NULLABLE_METADATA):
            problems.append(f"metadata {key}={value!r} is not a {type(seed_meta[key]).__name__}")
        if key in METADATA_ID_KEYS and not (isinstance(value, str) and DIGITS.fullmatch(value)):
            problems.append(f"metadata {key}={value!r} is not an id string")
    if metadata.get("job_tag") is not None and not isinstance(metadata["job_tag"], str):
        problems.append(f"job_tag {metadata['job_tag']!r} is not a string")
    if metadata.get("producer") != "canvas":
        problems.append(f"producer {metadata.get('producer')!r} is not 'canvas'")
    if metadata.get("event_name") != name:
        problems.append(f"event_name {metadata.get('event_name')!r} is not {name!r}")
    if not EVENT_TIME.fullmatch(str(metadata.get("event_time"))):
        problems.append(f"event_time {metadata.get('event_time')!r} is not UTC with milliseconds")
    return problems


def check_shape(event: Any) -> None:
    """Assert that a LiveEvent (or a ``{"metadata", "body"}`` dict) has the documented shape."""
    metadata, body = (event["metadata"], event["body"]) if isinstance(event, dict) else (event.metadata, event.body)
    name = metadata.get("event_name")
    if name not in EVENT_NAMES:
        raise AssertionError(f"unknown live event name {name!r}")
    problems = _problems_of_body(name, body, seed_examples()[name]["body"]) + _problems_of_metadata(name, metadata)
    if problems:
        raise AssertionError(f"{name} does not have the documented shape:\n  " + "\n  ".join(problems)
                             + f"\nmetadata: {metadata}\nbody: {body}")

"""World files read per area (mockcanvas.seed.<area>): terms, the course/account/user fields the
Courses, Accounts, Terms and Users APIs need, default terms, and the default world's terms file."""

from __future__ import annotations

from datetime import datetime, timezone
from pathlib import Path

import pytest
import yaml

from mockcanvas import areas
from mockcanvas.clock import FrozenClock
from mockcanvas.seed import DEFAULT_WORLD, DEFAULT_WORLDS, SECTIONS, WorldError, load_world
from mockcanvas.seed.fields import S, req
from mockcanvas.seed.loader import Section, register
from mockcanvas.store import Store

ROOT = Path(__file__).parents[2]


def utc(*args: int) -> datetime:
    return datetime(*args, tzinfo=timezone.utc)


def write(tmp_path: Path, data, name: str = "world.yaml") -> Path:
    path = tmp_path / name
    path.write_text(data if isinstance(data, str) else yaml.safe_dump(data, sort_keys=False))
    return path


def base() -> dict:
    """Two root accounts (root with a sub-account, other), terms of each, courses, users."""
    return {
        "accounts": [{"key": "root", "name": "Root"}, {"key": "sub", "name": "Sub", "parent": "root"},
                     {"key": "other", "name": "Other U"}],
        "users": [{"key": "alice", "name": "Alice Able"}],
        "terms": [{"key": "fall", "name": "Fall", "sis_term_id": "FA"},
                  {"key": "other_fall", "name": "Other Fall", "account": "other", "sis_term_id": "FA"}],
        "courses": [{"key": "c1", "name": "Course", "account": "root", "term": "fall"},
                    {"key": "c2", "name": "Sub course", "account": "sub"},
                    {"key": "c3", "name": "Other course", "account": "other", "term": "other_fall"}],
    }


def problems(tmp_path: Path, data) -> list[str]:
    store = Store()
    with pytest.raises(WorldError) as e:
        load_world(write(tmp_path, data), store=store)
    assert not store.tokens and not any(store.rows[t] for t in store.rows)  # nothing inserted
    return e.value.problems


# -- the sections, per area ---------------------------------------------------------------------


def test_sections_come_from_the_area_modules_in_area_order():
    names = [s.name for s in SECTIONS]
    assert names == ["accounts", "admins", "users", "generate", "tokens", "terms", "courses", "sections",
                     "roles", "enrollments", "group_categories", "groups", "stream_items", "assignment_groups",
                     "assignments", "assignment_overrides", "submissions"]
    owners = [m.__name__.rsplit(".", 1)[1] for m in areas.modules("seed") for _ in m.SECTIONS]
    assert owners == sorted(owners, key=areas.AREAS.index)
    assert {s.table for s in SECTIONS if s.table} == {
        "accounts", "admins", "users", "terms", "courses", "sections", "roles", "enrollments", "group_categories",
        "groups", "stream_items", "assignment_groups", "assignments", "assignment_overrides"}


def test_a_section_declared_twice_is_refused():
    class Area:
        __name__ = "mockcanvas.seed.elsewhere"
        SECTIONS = (Section("courses", {"name": req(S)}, noun="course", table="courses"),)

    with pytest.raises(RuntimeError, match="'courses' declared twice"):
        register([*areas.modules("seed"), Area])


# -- the new section and fields -----------------------------------------------------------------


def test_terms_load_into_rows(tmp_path):
    data = base()
    data["terms"][0].update(id=7, start_at="2026-08-17", end_at="2026-12-18T23:59:59Z", integration_id="INT-FA",
                            created_at="2026-01-01T00:00:00Z",
                            overrides={"TeacherEnrollment": {"start_at": "2026-08-10"},
                                       "StudentEnrollment": {"start_at": "2026-08-17", "end_at": "2026-12-20"}})
    data["terms"].append({"key": "gone", "name": "Gone", "workflow_state": "deleted"})
    store = load_world(write(tmp_path, data), clock=FrozenClock())
    fall = store.get("terms", 7)
    assert (fall.root_account_id, fall.name, fall.start_at, fall.end_at, fall.sis_term_id, fall.integration_id,
            fall.workflow_state, fall.default, fall.created_at) == (
        1, "Fall", utc(2026, 8, 17), utc(2026, 12, 18, 23, 59, 59), "FA", "INT-FA", "active", False, utc(2026, 1, 1))
    # stored in the order of the types, whatever the file's
    assert fall.overrides == (("StudentEnrollment", utc(2026, 8, 17), utc(2026, 12, 20)),
                              ("TeacherEnrollment", utc(2026, 8, 10), None))
    other_fall, gone = store.get("terms", 8), store.get("terms", 9)
    assert (other_fall.root_account_id, other_fall.sis_term_id) == (3, "FA")  # SIS ids: per root account
    assert (gone.workflow_state, gone.overrides) == ("deleted", ())


def test_courses_get_their_term(tmp_path):
    store = load_world(write(tmp_path, base()))
    terms = {t.id: (t.root_account_id, t.name, t.default) for t in store.all("terms")}
    # the listed terms 1-2, then a default term for each root account, in file order
    assert terms == {1: (1, "Fall", False), 2: (3, "Other Fall", False),
                     3: (1, "Default Term", True), 4: (3, "Default Term", True)}
    assert {c.id: c.enrollment_term_id for c in store.all("courses")} == {1: 1, 2: 3, 3: 2}


def test_course_fields_load_into_rows(tmp_path):
    data = base()
    data["courses"][0].update(
        syllabus_body="<p>Hi</p>", public_description="About", is_public=True, is_public_to_auth_users=True,
        public_syllabus=True, public_syllabus_to_auth=True, license="cc_by", default_view="syllabus",
        course_format="online", restrict_enrollments_to_course_dates=True, storage_quota_mb=2000,
        integration_id="C-INT", hide_final_grades=True, apply_assignment_group_weights=True,
        course_color="#3366aa", locale="fr", settings={"lock_all_announcements": True, "a_number": 3, "b": "x"},
        updated_at="2026-02-01T00:00:00Z", created_at="2026-01-01T00:00:00Z")
    store = load_world(write(tmp_path, data))
    c = store.get("courses", 1)
    assert (c.syllabus_body, c.public_description, c.is_public, c.is_public_to_auth_users, c.public_syllabus,
            c.public_syllabus_to_auth, c.license, c.default_view, c.course_format,
            c.restrict_enrollments_to_course_dates, c.storage_quota_mb, c.integration_id, c.hide_final_grades,
            c.apply_assignment_group_weights, c.course_color, c.locale) == (
        "<p>Hi</p>", "About", True, True, True, True, "cc_by", "syllabus", "online", True, 2000, "C-INT", True,
        True, "#3366aa", "fr")
    assert c.settings == (("a_number", 3), ("b", "x"), ("lock_all_announcements", True))
    assert (c.created_at, c.updated_at) == (utc(2026, 1, 1), utc(2026, 2, 1))
    plain = store.get("courses", 2)  # Canvas's defaults
    assert (plain.license, plain.default_view, plain.course_format, plain.settings, plain.storage_quota_mb,
            plain.updated_at) == ("private", "modules", None, (), None, plain.created_at)


@pytest.mark.parametrize(("given", "stored"), [("unpublished", "claimed"), ("concluded", "completed"),
                                               ("claimed", "claimed"), ("available", "available")])
def test_course_state_aliases(tmp_path, given, stored):
    data = base()
    data["courses"][0]["workflow_state"] = given
    assert load_world(write(tmp_path, data)).get("courses", 1).workflow_state == stored


def test_account_fields_load_into_rows(tmp_path):
    data = base()
    data["accounts"][1].update(integration_id="A-INT", default_locale="de", default_storage_quota_mb=1000,
                               default_user_storage_quota_mb=100, default_group_storage_quota_mb=75,
                               settings={"restrict_student_future_view": False, "zeta": None},
                               updated_at="2026-03-01T00:00:00Z")
    store = load_world(write(tmp_path, data))
    a = store.get("accounts", 2)
    assert (a.integration_id, a.default_locale, a.default_storage_quota_mb, a.default_user_storage_quota_mb,
            a.default_group_storage_quota_mb, a.settings, a.updated_at) == (
        "A-INT", "de", 1000, 100, 75, (("restrict_student_future_view", False), ("zeta", None)), utc(2026, 3, 1))


def test_user_fields_load_into_rows(tmp_path):
    data = base()
    data["users"][0].update(bio="Hello", title="Dr.", pronunciation="AL-iss", last_login="2026-04-01T09:00:00Z",
                            updated_at="2026-04-02T00:00:00Z")
    u = load_world(write(tmp_path, data)).get("users", 1)
    assert (u.bio, u.title, u.pronunciation, u.last_login, u.updated_at) == (
        "Hello", "Dr.", "AL-iss", utc(2026, 4, 1, 9), utc(2026, 4, 2))


# -- default terms --------------------------------------------------------------------------------


def test_a_world_without_terms_has_a_default_term_per_root_account(tmp_path):
    data = {"accounts": [{"key": "a", "id": 5, "name": "A"}, {"key": "b", "id": 2, "name": "B"},
                         {"key": "a1", "name": "A1", "parent": "a"}],
            "courses": [{"name": "In A1", "account": "a1"}, {"name": "In B", "account": "b"}]}
    store = load_world(write(tmp_path, data), clock=FrozenClock())
    # root accounts in file order: term 1 is the first one's
    assert [(t.id, t.root_account_id, t.name, t.start_at, t.end_at, t.default, t.workflow_state)
            for t in store.all("terms")] == [(1, 5, "Default Term", None, None, True, "active"),
                                             (2, 2, "Default Term", None, None, True, "active")]
    assert [c.enrollment_term_id for c in store.all("courses")] == [1, 2]
    assert store.get("terms", 1).created_at == FrozenClock().now()


def test_made_default_terms_take_the_lowest_free_ids(tmp_path):
    data = {"accounts": [{"key": "root", "name": "Root"}],
            "terms": [{"id": 2, "name": "Two"}, {"name": "Three"}, {"id": 5, "name": "Five"}]}
    store = load_world(write(tmp_path, data))
    # listed terms first (explicit ids, then the next after the largest), the default term after
    assert {t.id: t.name for t in store.all("terms")} == {1: "Default Term", 2: "Two", 5: "Five", 6: "Three"}


def test_a_listed_default_term_replaces_the_made_one(tmp_path):
    data = base()
    data["terms"].append({"key": "dflt", "name": "Always", "default": True})
    data["courses"].append({"name": "Defaulted", "account": "root"})
    store = load_world(write(tmp_path, data))
    assert [(t.id, t.name, t.root_account_id) for t in store.all("terms") if t.default] == [
        (3, "Always", 1), (4, "Default Term", 3)]
    assert store.get("courses", 4).enrollment_term_id == 3


def test_a_made_default_term_is_named_by_id(tmp_path):
    data = base()
    data["courses"][0]["term"] = 3  # the root account's made default term
    assert load_world(write(tmp_path, data)).get("courses", 1).enrollment_term_id == 3


# -- errors name the file and the path ------------------------------------------------------------

OVERRIDE_TYPES = "StudentEnrollment, TeacherEnrollment, TaEnrollment or DesignerEnrollment"

ERRORS = {
    "unknown term": (lambda d: d["courses"][0].update(term="winter"), ["courses[0].term: no term 'winter'"]),
    "unknown term id": (lambda d: d["courses"][0].update(term=42), ["courses[0].term: no term 42"]),
    "term of another root account": (
        lambda d: d["courses"][1].update(term="other_fall"),
        ["courses[1].term: term 'other_fall' belongs to account 'other', not to account 'root', "
         "the course's root account"]),
    "term in a deleted term": (
        lambda d: d["terms"][0].update(workflow_state="deleted"), ["courses[0].term: term 'fall' is deleted"]),
    "overrides type": (
        lambda d: d["terms"][0].update(overrides={"ObserverEnrollment": {"start_at": "2026-01-01"}}),
        [f"terms[0].overrides.ObserverEnrollment: unknown enrollment type (use {OVERRIDE_TYPES})"]),
    "overrides short type": (
        lambda d: d["terms"][0].update(overrides={"student": {"start_at": "2026-01-01"}}),
        [f"terms[0].overrides.student: unknown enrollment type (use {OVERRIDE_TYPES})"]),
    "overrides not a mapping": (lambda d: d["terms"][0].update(overrides=["StudentEnrollment"]),
                                ["terms[0].overrides: expected a mapping"]),
    "override dates not a mapping": (lambda d: d["terms"][0].update(overrides={"TaEnrollment": "2026-01-01"}),
                                     ["terms[0].overrides.TaEnrollment: expected a mapping"]),
    "override field": (lambda d: d["terms"][0].update(overrides={"TaEnrollment": {"starts": "2026-01-01"}}),
                       ["terms[0].overrides.TaEnrollment.starts: unknown field"]),
    "override date": (lambda d: d["terms"][0].update(overrides={"TaEnrollment": {"end_at": "soon"}}),
                      ["terms[0].overrides.TaEnrollment.end_at: expected an ISO 8601 date-time"]),
    "override end before start": (
        lambda d: d["terms"][0].update(overrides={"TaEnrollment": {"start_at": "2026-02-01", "end_at": "2026-01-01"}}),
        ["terms[0].overrides.TaEnrollment.end_at: must not be before start_at"]),
    "term end before start": (lambda d: d["terms"][0].update(start_at="2026-02-01", end_at="2026-01-01"),
                              ["terms[0].end_at: must not be before start_at"]),
    "duplicate sis_term_id": (lambda d: d["terms"].append({"name": "Again", "sis_term_id": "FA"}),
                              ["terms[2].sis_term_id: duplicate sis_term_id 'FA'"]),
    "term name": (lambda d: d["terms"].append({"sis_term_id": "X"}), ["terms[2].name: required"]),
    "term of a sub-account": (lambda d: d["terms"][0].update(account="sub"),
                              ["terms[0].account: account 'sub' is not a root account"]),
    "term account": (lambda d: d["terms"][0].update(account="nowhere"), ["terms[0].account: no account 'nowhere'"]),
    "term state": (lambda d: d["terms"][0].update(workflow_state="open"),
                   ["terms[0].workflow_state: must be one of: active, deleted"]),
    "two default terms": (
        lambda d: d["terms"].extend([{"key": "d1", "name": "D1", "default": True},
                                     {"key": "d2", "name": "D2", "default": True}]),
        ["terms[3].default: account 'root' already has a default term (term 'd1')"]),
    "deleted default term": (
        lambda d: d["terms"].append({"name": "D", "default": True, "workflow_state": "deleted"}),
        ["terms[2].workflow_state: the default term cannot be deleted"]),
    "default_view": (lambda d: d["courses"][0].update(default_view="home"),
                     ["courses[0].default_view: must be one of: feed, wiki, modules, assignments, syllabus"]),
    "course_format": (lambda d: d["courses"][0].update(course_format="hybrid"),
                      ["courses[0].course_format: must be one of: on_campus, online, blended"]),
    "license": (lambda d: d["courses"][0].update(license="mit"),
                ["courses[0].license: must be one of: private, cc_by_nc_nd, cc_by_nc_sa, cc_by_nc, cc_by_nd, "
                 "cc_by_sa, cc_by, public_domain"]),
    "course state": (lambda d: d["courses"][0].update(workflow_state="published"),
                     ["courses[0].workflow_state: must be one of: created, claimed, available, completed, deleted"]),
    "course settings not a mapping": (lambda d: d["courses"][0].update(settings=["a"]),
                                      ["courses[0].settings: expected a mapping of setting names to values"]),
    "account settings not a mapping": (lambda d: d["accounts"][0].update(settings="on"),
                                       ["accounts[0].settings: expected a mapping of setting names to values"]),
    "setting value": (lambda d: d["courses"][0].update(settings={"nested": {"a": 1}}),
                      ["courses[0].settings.nested: expected a string, a number, true/false or null"]),
    "course storage quota": (lambda d: d["courses"][0].update(storage_quota_mb=-1),
                             ["courses[0].storage_quota_mb: must be at least 0"]),
    "account quota": (lambda d: d["accounts"][0].update(default_group_storage_quota_mb="big"),
                      ["accounts[0].default_group_storage_quota_mb: expected an integer"]),
    "course integration_id": (lambda d: [c.update(integration_id="I") for c in d["courses"][:2]],
                              ["courses[1].integration_id: duplicate integration_id 'I'"]),
    "account integration_id": (lambda d: [a.update(integration_id="I") for a in d["accounts"][1:]],
                               ["accounts[2].integration_id: duplicate integration_id 'I'"]),
    "user integration_id": (lambda d: d["users"].extend([{"name": "B", "integration_id": "I"},
                                                         {"name": "C", "integration_id": "I"}]),
                            ["users[2].integration_id: duplicate integration_id 'I'"]),
    "course flag": (lambda d: d["courses"][0].update(public_syllabus="yes"),
                    ["courses[0].public_syllabus: expected true or false"]),
    "user last_login": (lambda d: d["users"][0].update(last_login="yesterday"),
                        ["users[0].last_login: expected an ISO 8601 date-time"]),
    "user bio": (lambda d: d["users"][0].update(bio=["x"]), ["users[0].bio: expected a string"]),
    "term unknown field": (lambda d: d["terms"][0].update(term_code="x"), ["terms[0].term_code: unknown field"]),
}


@pytest.mark.parametrize("case", ERRORS, ids=list(ERRORS))
def test_errors(tmp_path, case):
    mutate, expected = ERRORS[case]
    data = base()
    mutate(data)
    assert problems(tmp_path, data) == [f"world.yaml: {e}" for e in expected]


def test_a_term_needs_a_root_account(tmp_path):
    data = {"terms": [{"name": "Lonely"}]}
    assert problems(tmp_path, data) == ["world.yaml: terms[0].account: required (the world has no root account)"]


def test_errors_of_a_second_file_name_it(tmp_path):
    first = write(tmp_path, base(), "first.yaml")
    second = write(tmp_path, {"terms": [{"name": "Dup", "sis_term_id": "FA"}],
                              "courses": [{"name": "X", "account": "root", "term": "other_fall"}]}, "second.yaml")
    with pytest.raises(WorldError) as e:
        load_world([first, second])
    assert e.value.problems == [
        "second.yaml: terms[0].sis_term_id: duplicate sis_term_id 'FA'",
        "second.yaml: courses[0].term: term 'other_fall' belongs to account 'other', not to account 'root', "
        "the course's root account"]


def test_the_terms_example_in_the_docs_loads(tmp_path):
    text = (ROOT / "docs" / "worlds.md").read_text()
    example = text.split("### `terms`", 1)[1].split("```yaml\n", 1)[1].split("```", 1)[0]
    store = load_world(write(tmp_path, "accounts: [{key: root, name: Root}]\n" + example))
    bio, chem = store.get("courses", 1), store.get("courses", 2)
    assert (bio.workflow_state, bio.enrollment_term_id, bio.settings) == (
        "claimed", 1, (("hide_distribution_graphs", True),))
    assert store.get("terms", chem.enrollment_term_id).name == "Default Term"
    assert store.get("terms", 1).overrides == (("TeacherEnrollment", utc(2026, 8, 10), utc(2026, 12, 31)),)


# -- the default world -----------------------------------------------------------------------------


@pytest.fixture(scope="module")
def world() -> Store:
    return load_world(clock=FrozenClock())


def test_the_default_world_is_two_shipped_files():
    assert DEFAULT_WORLDS[0] == DEFAULT_WORLD
    assert [p.name for p in DEFAULT_WORLDS] == ["default.yaml", "default-terms.yaml"]
    assert all(p.is_file() and p.parent == DEFAULT_WORLD.parent for p in DEFAULT_WORLDS)
    # shipped: package-data takes every .yaml file of datasets/
    assert '"datasets/*.yaml"' in (ROOT / "pyproject.toml").read_text()


def test_default_world_terms(world):
    assert [(t.id, t.name, t.sis_term_id, t.start_at, t.end_at, t.default, t.root_account_id)
            for t in world.all("terms")] == [
        (1, "Default Term", None, None, None, True, 1),
        (2, "Fall 2026", "2026-FA", utc(2026, 8, 17), utc(2026, 12, 18), False, 1),
        (3, "Spring 2026", "2026-SP", utc(2026, 1, 12), utc(2026, 5, 8), False, 1)]


def test_default_world_courses_in_terms(world):
    got = {c.id: (c.name, c.course_code, c.sis_course_id, c.workflow_state, c.account_id, c.enrollment_term_id)
           for c in world.all("courses")}
    assert got == {
        1: ("Introduction to Mocking", "MOCK101", "MOCK101-2024", "available", 1, 1),
        2: ("Advanced Mocking", "MOCK201", None, "available", 2, 1),
        3: ("Mocking Drafts", "MOCK301", None, "claimed", 1, 2),
        4: ("History of Mocking", "MOCK090", "MOCK090-2026SP", "completed", 2, 3)}
    assert world.get("courses", 3).syllabus_body == "<p>Draft syllabus</p>"
    assert [(s.id, s.course_id, s.name) for s in world.all("sections") if s.course_id > 2] == [
        (4, 3, "Mocking Drafts"), (5, 4, "History of Mocking")]
    assert [(e.id, e.user_id, e.course_id, e.course_section_id, e.type, e.workflow_state)
            for e in world.all("enrollments") if e.course_id > 2] == [
        (22, 2, 3, 4, "TeacherEnrollment", "active"), (23, 6, 3, 4, "StudentEnrollment", "active"),
        (24, 2, 4, 5, "TeacherEnrollment", "completed"), (25, 6, 4, 5, "StudentEnrollment", "completed")]


def test_default_world_first_file_alone(world):
    alone = load_world(DEFAULT_WORLD, clock=FrozenClock())
    assert [t.id for t in alone.all("terms")] == [1]
    assert [c.id for c in alone.all("courses")] == [1, 2]
    # the second file adds records and changes none of the first file's
    for table in alone.rows:
        for rid, row in alone.rows[table].items():
            assert world.rows[table][rid] == row, (table, rid)
    assert len(world.rows["enrollments"]) == len(alone.rows["enrollments"]) + 4 == 25

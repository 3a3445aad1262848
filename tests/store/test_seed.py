"""The world loader (mockcanvas.seed): the default world, the example fixtures, and every error."""

from __future__ import annotations

from datetime import datetime, timezone
from pathlib import Path

import pytest
import yaml

from mockcanvas.clock import FrozenClock
from mockcanvas.seed import DEFAULT_WORLD, WorldError, load_world, world_summary
from mockcanvas.store import Store

ROOT = Path(__file__).parents[2]
FIXTURES = ROOT / "fixtures"
EXTRA = FIXTURES / "extra_course.yaml"


def write(tmp_path: Path, data, name: str = "world.yaml") -> Path:
    path = tmp_path / name
    path.write_text(data if isinstance(data, str) else yaml.safe_dump(data, sort_keys=False))
    return path


def empty(store: Store) -> bool:
    return not store.tokens and not any(store.rows[t] for t in store.rows)


def names(store: Store) -> dict[int, str]:
    return {u.id: u.name for u in store.all("users")}


def member_ids(store: Store, group_id: int) -> list[int]:
    return [m.user_id for m in store.memberships.live(group_id)]


@pytest.fixture(scope="module")
def world() -> Store:
    return load_world(clock=FrozenClock())


# -- the default world -------------------------------------------------------------------------


def test_default_world_file_ships_in_the_package():
    assert DEFAULT_WORLD.name == "default.yaml"
    assert DEFAULT_WORLD.parent.name == "datasets"
    assert DEFAULT_WORLD.is_file()


def test_default_world_accounts_and_admin(world):
    root, sci = world.get("accounts", 1), world.get("accounts", 2)
    assert (root.name, root.sis_account_id, root.parent_account_id, root.root_account_id) == (
        "Mock University", "MOCKU", None, None)
    assert (sci.name, sci.sis_account_id, sci.parent_account_id, sci.root_account_id) == (
        "School of Science", "SCI", 1, 1)
    [admin] = world.all("admins")
    assert (admin.account_id, admin.user_id, admin.role) == (1, 1, "AccountAdmin")


def test_default_world_people_and_tokens(world):
    got = names(world)
    assert len(got) == 20
    assert {i: got[i] for i in (1, 2, 3, 4, 5, 6, 7, 20)} == {
        1: "Ada Admin", 2: "Terry Teacher", 3: "Tara Assistant", 4: "Dee Designer",
        5: "Oscar Observer", 6: "Sam Student", 7: "Stella Student", 20: "Ulysses Outsider"}
    teacher, sam, stella = world.get("users", 2), world.get("users", 6), world.get("users", 7)
    assert (teacher.login_id, teacher.sis_user_id, teacher.sortable_name) == ("teacher", "T-002", "Teacher, Terry")
    assert (sam.login_id, sam.sis_user_id) == ("student", "S-006")
    assert stella.login_id == "student2"
    assert {t: tok.user_id for t, tok in world.tokens.items()} == {
        "admin-token": 1, "teacher-token": 2, "ta-token": 3, "student-token": 6,
        "student2-token": 7, "outsider-token": 20}
    assert all(u.account_id == 1 for u in world.all("users"))


def test_default_world_generated_students(world):
    for uid in range(8, 20):
        u = world.get("users", uid)
        first, last = u.name.split(" ", 1)
        assert u.sortable_name == f"{last}, {first}"
        assert (u.login_id, u.email, u.sis_user_id) == (
            f"student{uid}", f"student{uid}@example.edu", f"S-{uid:03d}")
    assert world.find("users", "sis_login_id:student8").id == 8


def test_default_world_courses_sections_enrollments(world):
    c1, c2 = world.get("courses", 1), world.get("courses", 2)
    assert (c1.name, c1.course_code, c1.sis_course_id, c1.account_id, c1.root_account_id) == (
        "Introduction to Mocking", "MOCK101", "MOCK101-2024", 1, 1)
    assert (c2.name, c2.course_code, c2.account_id, c2.root_account_id) == ("Advanced Mocking", "MOCK201", 2, 1)
    # default.yaml's courses 1-2 (courses 3-4 of default-terms.yaml: tests/store/test_seed_areas.py)
    assert [(s.id, s.course_id, s.name, s.sis_section_id) for s in world.all("sections") if s.course_id <= 2] == [
        (1, 1, "Section A", "MOCK101-A"), (2, 1, "Section B", "MOCK101-B"), (3, 2, "Advanced Mocking", None)]

    def of(course_id, etype):
        return {e.user_id: e.course_section_id for e in world.all("enrollments")
                if e.course_id == course_id and e.type == etype}

    students = of(1, "StudentEnrollment")
    assert sorted(students) == list(range(6, 20))
    assert all(section == (1 if uid % 2 == 0 else 2) for uid, section in students.items())
    assert of(1, "TeacherEnrollment") == {2: 1}
    assert of(1, "TaEnrollment") == {3: 1}
    assert of(1, "DesignerEnrollment") == {4: 1}
    assert of(1, "ObserverEnrollment") == {5: 1}
    assert of(2, "TeacherEnrollment") == {2: 3}
    assert of(2, "StudentEnrollment") == {6: 3, 8: 3}
    assert all(e.workflow_state == "active" for e in world.all("enrollments") if e.course_id <= 2)
    assert not [e for e in world.all("enrollments") if e.user_id in (1, 20)]


def test_default_world_categories(world):
    cats = {c.id: c for c in world.all("group_categories")}
    assert {i: (c.name, c.context_type, c.context_id, c.role, c.self_signup, c.group_limit, c.auto_leader)
            for i, c in cats.items()} == {
        1: ("Project Groups", "Course", 1, None, None, None, None),
        2: ("Student Groups", "Course", 1, "student_organized", "enabled", None, None),
        3: ("Self Sign-up Teams", "Course", 1, None, "enabled", 3, "first"),
        4: ("Communities", "Account", 1, "communities", "enabled", None, None),
        5: ("Faculty Committees", "Account", 1, None, None, None, None),
    }
    assert cats[1].sis_group_category_id == "PG-2024"
    assert all(c.root_account_id == 1 for c in cats.values())


def test_default_world_groups_and_memberships(world):
    groups = {g.id: g for g in world.all("groups")}
    assert {i: (g.name, g.group_category_id, g.context_type, g.context_id) for i, g in groups.items()} == {
        1: ("Project Group 1", 1, "Course", 1), 2: ("Project Group 2", 1, "Course", 1),
        3: ("Project Group 3", 1, "Course", 1), 4: ("Study Buddies", 2, "Course", 1),
        5: ("Team 1", 3, "Course", 1), 6: ("Team 2", 3, "Course", 1),
        7: ("Mock Enthusiasts", 4, "Account", 1), 8: ("Curriculum Committee", 5, "Account", 1),
    }
    assert {i: member_ids(world, i) for i in groups} == {
        1: [6, 8, 9], 2: [7, 10, 11], 3: [12, 13], 4: [7], 5: [14], 6: [], 7: [1, 20], 8: [1, 2]}
    assert groups[1].sis_group_id == "PG-1" and groups[1].leader_id == 6
    assert groups[3].max_membership == 4
    assert groups[5].leader_id == 14  # auto_leader first, as if user 14 had joined
    assert groups[7].is_public and groups[7].join_level == "parent_context_auto_join"
    assert groups[4].join_level == "parent_context_auto_join"
    assert all(g.storage_quota_mb == 50 and g.workflow_state == "available" for g in groups.values())
    moderators = {(m.group_id, m.user_id) for m in world.all("memberships") if m.moderator}
    assert moderators == {(4, 7), (7, 1)}
    assert all(m.workflow_state == "accepted" for m in world.all("memberships"))
    placed = {m.user_id for m in world.all("memberships") if m.group_id in (1, 2, 3)}
    assert placed.isdisjoint(range(14, 20))


def test_default_world_stream_items(world):
    items = sorted(world.all("stream_items"), key=lambda s: s.id)
    assert [(s.group_id, s.type) for s in items] == [(1, "Announcement"), (1, "DiscussionTopic")]
    assert items[0].read_by == frozenset({6}) and items[1].read_by == frozenset()


def test_default_world_timestamps_come_from_the_clock(world):
    start = datetime(2024, 1, 1, 12, tzinfo=timezone.utc)
    assert world.get("users", 1).created_at == start
    assert world.get("groups", 1).created_at == start == world.get("groups", 1).updated_at


def test_world_summary(world):
    summary = world_summary(world)
    assert [(s["token"], s["user_id"], s["name"], s["role"]) for s in summary] == [
        ("admin-token", 1, "Ada Admin", "admin"),
        ("teacher-token", 2, "Terry Teacher", "teacher"),
        ("ta-token", 3, "Tara Assistant", "ta"),
        ("student-token", 6, "Sam Student", "student"),
        ("student2-token", 7, "Stella Student", "student"),
        ("outsider-token", 20, "Ulysses Outsider", "user"),
    ]


def test_no_paths_means_the_default_world():
    assert names(load_world([])) == names(load_world(None)) == names(load_world(DEFAULT_WORLD))


def test_load_snapshots_so_rollback_returns_to_the_world():
    store = load_world()
    store.insert("users", name="Temp", sortable_name="Temp", short_name="Temp")
    store.rollback()
    assert len(store.rows["users"]) == 20 and store.next_id("users") == 21


def test_store_argument_is_filled_and_must_be_empty():
    store = Store(clock=FrozenClock())
    assert load_world(FIXTURES / "small.yaml", store=store) is store
    assert len(store.rows["users"]) == 3
    with pytest.raises(ValueError, match="must be empty"):
        load_world(FIXTURES / "small.yaml", store=store)


# -- determinism and generated people -----------------------------------------------------------


def generating(seed: int, **extra) -> dict:
    return {"seed": seed, "accounts": [{"key": "root", "name": "Root"}],
            "generate": [{"prefix": "kid", "count": 8, **extra}]}


def test_same_file_gives_the_same_world():
    a, b = load_world(), load_world()
    assert names(a) == names(b)
    assert [u.uuid for u in a.all("users")] == [u.uuid for u in b.all("users")]
    assert names(load_world(FIXTURES / "big_course.yaml")) == names(load_world(FIXTURES / "big_course.yaml"))


def test_a_different_seed_gives_different_names(tmp_path):
    one = load_world(write(tmp_path, generating(1), "one.yaml"))
    two = load_world(write(tmp_path, generating(2), "two.yaml"))
    assert names(one) != names(two)
    assert one.seed == 1 and two.seed == 2


def test_generated_people_defaults(tmp_path):
    store = load_world(write(tmp_path, generating(0, tokens=["k1", "k2"])))
    u = store.get("users", 3)
    assert (u.login_id, u.email, u.sis_user_id) == ("kid3", "kid3@example.edu", "SIS-KID-3")
    assert len(set(names(store).values())) == 8  # no repeated names within a file
    assert {t: tok.user_id for t, tok in store.tokens.items()} == {"k1": 1, "k2": 2}


def test_generated_ids_follow_explicit_ones(tmp_path):
    data = generating(0)
    data["users"] = [{"key": "a", "id": 5, "name": "Al A"}, {"key": "b", "name": "Bo B"}]
    data["generate"][0]["count"] = 3
    store = load_world(write(tmp_path, data))
    # explicit id 5; then the ones without ids in document order: users, then generated people
    assert sorted(names(store)) == [5, 6, 7, 8, 9]
    assert store.get("users", 6).name == "Bo B"
    assert [store.get("users", i).login_id for i in (7, 8, 9)] == ["kid1", "kid2", "kid3"]


def test_generated_first_id_and_round_robin_sections(tmp_path):
    data = {
        "accounts": [{"key": "root", "name": "Root"}],
        "users": [{"key": "t", "id": 1, "name": "Tea Cher"}, {"key": "z", "id": 50, "name": "Zed Z"}],
        "generate": [{"prefix": "p", "count": 5, "first_id": 10, "key_pattern": "p{id}",
                      "enroll": {"course": "c", "sections": ["x", "y"]}}],
        "courses": [{"key": "c", "name": "C", "account": "root"}],
        "sections": [{"key": "x", "course": "c", "name": "X"}, {"key": "y", "course": "c", "name": "Y"}],
        "groups": [{"name": "G", "category": "cat", "members": ["p10", "p14"]}],
        "group_categories": [{"key": "cat", "name": "Cat", "course": "c"}],
    }
    store = load_world(write(tmp_path, data))
    assert sorted(names(store)) == [1, 10, 11, 12, 13, 14, 50]
    assert {e.user_id: e.course_section_id for e in store.all("enrollments")} == {
        10: 1, 11: 2, 12: 1, 13: 2, 14: 1}
    assert member_ids(store, 1) == [10, 14]


def test_generated_people_enroll_in_a_list_of_courses(tmp_path):
    """``enroll`` takes a mapping or a list of them (docs/worlds.md)."""
    data = {
        "accounts": [{"key": "root", "name": "Root"}],
        "courses": [{"key": "c", "name": "C", "account": "root"}, {"key": "d", "name": "D", "account": "root"}],
        "generate": [{"prefix": "p", "count": 2, "enroll": [{"course": "c"}, {"course": "d", "type": "ta"}]}],
    }
    store = load_world(write(tmp_path, data))
    got = sorted((e.user_id, e.course_id, e.type) for e in store.all("enrollments"))
    assert got == [(1, 1, "StudentEnrollment"), (1, 2, "TaEnrollment"),
                   (2, 1, "StudentEnrollment"), (2, 2, "TaEnrollment")]


# -- several files ------------------------------------------------------------------------------


def test_extra_course_on_top_of_the_default_world():
    store = load_world([DEFAULT_WORLD, str(EXTRA)])
    lab = store.get("courses", 3)
    assert (lab.name, lab.account_id, lab.root_account_id) == ("Mocking Lab", 2, 1)
    assert store.get("sections", 4).course_id == 3
    guest = store.get("users", 21)
    assert guest.name == "Gina Guest" and store.tokens["guest-token"].user_id == 21
    in_lab = {e.user_id: (e.type, e.workflow_state) for e in store.all("enrollments") if e.course_id == 3}
    assert in_lab == {2: ("TeacherEnrollment", "active"), 21: ("TaEnrollment", "active"),
                      6: ("StudentEnrollment", "active"), 7: ("StudentEnrollment", "active"),
                      15: ("StudentEnrollment", "active"), 16: ("StudentEnrollment", "invited")}
    assert store.get("group_categories", 6).name == "Lab Pairs"
    assert member_ids(store, 9) == [6, 15]
    visiting = store.get("groups", 11)
    assert visiting.group_category_id == 4 and visiting.context_type == "Account"
    assert [(m.user_id, m.workflow_state) for m in store.memberships.live(11)] == [(21, "accepted"), (6, "requested")]
    # the default world is unchanged underneath
    assert names(store) == {**names(load_world()), 21: "Gina Guest"}


def test_ids_must_not_clash_across_files(tmp_path):
    a = write(tmp_path, {"accounts": [{"key": "root", "id": 1, "name": "Root"}],
                         "users": [{"id": 1, "name": "Al A"}]}, "a.yaml")
    b = write(tmp_path, {"users": [{"id": 1, "name": "Bo B"}]}, "b.yaml")
    with pytest.raises(WorldError) as e:
        load_world([a, b])
    assert e.value.problems == ["b.yaml: users[0].id: duplicate id 1"]


def test_keys_must_not_clash_across_files(tmp_path):
    a = write(tmp_path, {"accounts": [{"key": "root", "name": "Root"}],
                         "users": [{"key": "al", "name": "Al A"}]}, "a.yaml")
    b = write(tmp_path, {"users": [{"key": "al", "name": "Al B"}]}, "b.yaml")
    with pytest.raises(WorldError) as e:
        load_world([a, b])
    assert e.value.problems == ["b.yaml: users[0].key: duplicate key 'al'"]


def test_the_default_world_twice_clashes():
    with pytest.raises(WorldError) as e:
        load_world([DEFAULT_WORLD, DEFAULT_WORLD])
    assert str(e.value).splitlines()[0] == "default.yaml: accounts[0].id: duplicate id 1"


def test_later_files_may_use_ids_of_earlier_ones(tmp_path):
    extra = write(tmp_path, {"enrollments": [{"user": 20, "course": 2, "type": "observer"}]}, "extra.yaml")
    store = load_world([DEFAULT_WORLD, extra])
    [e] = [e for e in store.all("enrollments") if e.user_id == 20]
    assert (e.id, e.course_id, e.course_section_id, e.type) == (22, 2, 3, "ObserverEnrollment")


# -- the example fixtures -----------------------------------------------------------------------


@pytest.mark.parametrize("name", ["small.yaml", "big_course.yaml"])
def test_standalone_fixtures_load(name):
    store = load_world(FIXTURES / name)
    assert store.rows["users"] and store.tokens


def test_every_fixture_is_covered():
    assert {p.name for p in FIXTURES.glob("*.yaml")} == {
        "small.yaml", "big_course.yaml", "extra_course.yaml", "broken.yaml"}


def test_small_fixture():
    store = load_world(FIXTURES / "small.yaml")
    [section] = store.all("sections")
    assert section.name == "Tiny Course"  # the default section, named after the course
    assert {e.course_section_id for e in store.all("enrollments")} == {section.id}
    assert store.tokens["alice-expired"].expires_at == datetime(2020, 1, 1, tzinfo=timezone.utc)
    assert store.tokens["bob-revoked"].revoked
    assert store.get("groups", 1).leader_id == 2


def test_big_course_fixture():
    store = load_world(FIXTURES / "big_course.yaml")
    students = [e for e in store.all("enrollments") if e.type == "StudentEnrollment"]
    assert len(students) == 60
    per_section = {s: sum(1 for e in students if e.course_section_id == s) for s in (1, 2, 3)}
    assert per_section == {1: 20, 2: 20, 3: 20}
    [cat] = store.all("group_categories")
    assert (cat.self_signup, cat.auto_leader) == ("restricted", "first")
    assert store.get("groups", 1).leader_id == member_ids(store, 1)[0]
    assert store.get("groups", 3).leader_id is None


def test_broken_fixture():
    store = Store()
    with pytest.raises(WorldError) as e:
        load_world(FIXTURES / "broken.yaml", store=store)
    assert str(e.value) == "broken.yaml: enrollments[1].user: no user 'bob'"
    assert empty(store)


# -- errors -------------------------------------------------------------------------------------


def base() -> dict:
    return {
        "accounts": [{"key": "root", "name": "Root"}, {"key": "sub", "name": "Sub", "parent": "root"}],
        "users": [{"key": "alice", "name": "Alice Able"}, {"key": "bob", "name": "Bob Baker"},
                  {"key": "carol", "name": "Carol Cole"}],
        "courses": [{"key": "c1", "name": "Course", "account": "root"},
                    {"key": "c2", "name": "Other", "account": "sub"}],
        "sections": [{"key": "s1", "course": "c1", "name": "S1"}, {"key": "s2", "course": "c1", "name": "S2"},
                     {"key": "o1", "course": "c2", "name": "O1"}],
        "enrollments": [{"user": "alice", "course": "c1", "section": "s1"},
                        {"user": "bob", "course": "c1", "section": "s2"}],
        "group_categories": [{"key": "cat", "name": "Cat", "course": "c1"}],
        "groups": [{"key": "g1", "name": "G1", "category": "cat", "members": ["alice"]}],
    }


def test_the_error_base_world_loads(tmp_path):
    store = load_world(write(tmp_path, base()))
    assert len(store.rows["users"]) == 3


TYPES = ("student, teacher, ta, designer, observer, StudentEnrollment, TeacherEnrollment, TaEnrollment, "
         "DesignerEnrollment, ObserverEnrollment")

ERRORS = {
    "unknown field": (lambda d: d["users"][2].update(nmae="x"), "users[2].nmae: unknown field"),
    "unknown section": (lambda d: d.update(colours=[]), "colours: unknown section"),
    "section not a list": (lambda d: d.update(admins={"user": "alice"}), "admins: expected a list"),
    "record not a mapping": (lambda d: d["users"].append("dave"), "users[3]: expected a mapping"),
    "integer": (lambda d: d["accounts"][0].update(id="one"), "accounts[0].id: expected an integer"),
    "positive id": (lambda d: d["users"][0].update(id=0), "users[0].id: must be at least 1"),
    "string": (lambda d: d["users"][0].update(sis_user_id=123), "users[0].sis_user_id: expected a string"),
    "boolean": (lambda d: d["courses"][0].update(allow_student_organized_groups="yes"),
                "courses[0].allow_student_organized_groups: expected true or false"),
    "date-time": (lambda d: d.update(tokens=[{"token": "t", "user": "alice", "expires_at": "soon"}]),
                  "tokens[0].expires_at: expected an ISO 8601 date-time"),
    "reference type": (lambda d: d["enrollments"][0].update(user=["alice"]),
                       "enrollments[0].user: expected a key or an id"),
    "required": (lambda d: d["users"].append({"login_id": "x"}), "users[3].name: required"),
    "seed": (lambda d: d.update(seed="abc"), "seed: expected an integer"),
    "enum": (lambda d: d["enrollments"][0].update(type="pupil"), f"enrollments[0].type: must be one of: {TYPES}"),
    "nullable enum": (lambda d: d["group_categories"][0].update(self_signup="open"),
                      "group_categories[0].self_signup: must be one of: null, enabled, restricted"),
    "group_limit": (lambda d: d["group_categories"][0].update(group_limit=1),
                    "group_categories[0].group_limit: must be at least 2"),
    "duplicate key": (lambda d: d["users"][1].update(key="alice"), "users[1].key: duplicate key 'alice'"),
    "duplicate id": (lambda d: [u.update(id=3) for u in d["users"][:2]], "users[1].id: duplicate id 3"),
    "no user by key": (lambda d: d["enrollments"].append({"user": "dave", "course": "c1"}),
                       "enrollments[2].user: no user 'dave'"),
    "no user by id": (lambda d: d["enrollments"].append({"user": 42, "course": "c1"}),
                      "enrollments[2].user: no user 42"),
    "no group category": (lambda d: d["groups"][0].update(category="nope"),
                          "groups[0].category: no group category 'nope'"),
    "section of another course": (lambda d: d["enrollments"].append({"user": "carol", "course": "c1", "section": "o1"}),
                                  "enrollments[2].section: section 'o1' is not in course 'c1'"),
    "duplicate enrollment": (lambda d: d["enrollments"].append({"user": "alice", "section": "s1", "type": "StudentEnrollment"}),
                             "enrollments[2]: user 'alice' is already enrolled as StudentEnrollment in section 's1'"),
    "user account not root": (lambda d: d["users"][0].update(account="sub"),
                              "users[0].account: account 'sub' is not a root account"),
    "parent loop": (lambda d: d["accounts"][0].update(parent="sub"), "accounts[0].parent: the parent chain loops"),
    "category context": (lambda d: d["group_categories"][0].update(account="root"),
                         "group_categories[0]: needs exactly one of course, account"),
    "two groups of one category": (
        lambda d: d["groups"].append({"key": "g2", "name": "G2", "category": "cat", "members": ["bob", "alice"]}),
        "groups[1].members[1]: user 'alice' is already in group 'g1' of group category 'cat', "
        "which allows one group per user"),
    "not enrolled": (lambda d: d["groups"][0]["members"].append("carol"),
                     "groups[0].members[1]: user 'carol' is not enrolled in course 'c1'"),
    "member mapping": (lambda d: d["groups"][0]["members"].append({"user": "bob", "role": "x"}),
                       "groups[0].members[1].role: unknown field"),
    "member state": (lambda d: d["groups"][0]["members"].append({"user": "bob", "state": "deleted"}),
                     "groups[0].members[1].state: must be one of: accepted, invited, requested"),
    "member twice": (lambda d: d["groups"][0]["members"].append("alice"),
                     "groups[0].members[1]: user 'alice' is listed twice"),
    "leader not a member": (lambda d: d["groups"][0].update(leader="bob"),
                            "groups[0].leader: user 'bob' is not a member of this group"),
    "group full": (lambda d: d["groups"][0].update(max_membership=1, members=["alice", "bob"]),
                   "groups[0].members: 2 accepted members, more than the limit of 1"),
    "restricted self sign-up": (
        lambda d: d["group_categories"][0].update(self_signup="restricted") or d["groups"][0]["members"].append("bob"),
        "groups[0].members[1]: user 'bob' shares no section with the other members (self_signup is restricted)"),
    "duplicate token": (lambda d: [u.update(tokens=["t"]) for u in d["users"][:2]], "users[1].tokens[0]: duplicate token 't'"),
    "duplicate login": (lambda d: [u.update(login_id="Same") for u in d["users"][:2]],
                        "users[1].login_id: duplicate login_id 'Same'"),
    "duplicate sis id": (lambda d: [s.update(sis_section_id="X") for s in d["sections"][:2]],
                         "sections[1].sis_section_id: duplicate sis_section_id 'X'"),
    "stream item type": (lambda d: d.update(stream_items=[{"group": "g1", "type": "Memo", "title": "t"}]),
                         "stream_items[0].type: must be one of: Announcement, DiscussionTopic, DiscussionEntry, "
                         "Message, Conversation, Submission, WebConference, Collaboration, AssessmentRequest"),
    "read_by": (lambda d: d.update(stream_items=[{"group": "g1", "type": "Message", "title": "t", "read_by": ["zed"]}]),
                "stream_items[0].read_by[0]: no user 'zed'"),
    "generate pattern": (lambda d: d.update(generate=[{"prefix": "p", "count": 1, "login_pattern": "{nn}"}]),
                         "generate[0].login_pattern: unknown placeholder {nn} (use {prefix}, {PREFIX}, {n} or {id})"),
    "generate tokens": (lambda d: d.update(generate=[{"prefix": "p", "count": 1, "tokens": ["a", "b"]}]),
                        "generate[0].tokens: more tokens than people (count is 1)"),
    "generate course": (lambda d: d.update(generate=[{"prefix": "p", "count": 2, "enroll": {"course": "c9"}}]),
                        "generate[0].enroll.course: no course 'c9'"),
    "generate section": (lambda d: d.update(generate=[{"prefix": "p", "count": 2,
                                                       "enroll": {"course": "c1", "sections": ["s1", "s9"]}}]),
                         "generate[0].enroll.sections[1]: no section 's9'"),
    "generate enroll list of keys": (lambda d: d.update(generate=[{"prefix": "p", "count": 1, "enroll": ["c1"]}]),
                                     "generate[0].enroll[0]: expected a mapping"),
    "generate enroll list course": (lambda d: d.update(generate=[{"prefix": "p", "count": 1,
                                                                  "enroll": [{"course": "c1"}, {"course": "c9"}]}]),
                                    "generate[0].enroll[1].course: no course 'c9'"),
    "generated key clash": (lambda d: d.update(generate=[{"prefix": "alice", "count": 1, "key_pattern": "{prefix}"}]),
                            "generate[0].key_pattern: duplicate key 'alice'"),
    "generated id clash": (lambda d: d["users"][0].update(id=2) or d.update(generate=[{"prefix": "p", "count": 2, "first_id": 1}]),
                           "generate[0].first_id: duplicate id 2"),
}


@pytest.mark.parametrize("case", ERRORS, ids=list(ERRORS))
def test_errors(tmp_path, case):
    mutate, expected = ERRORS[case]
    data = base()
    mutate(data)
    store = Store()
    with pytest.raises(WorldError) as e:
        load_world(write(tmp_path, data), store=store)
    assert e.value.problems == [f"world.yaml: {expected}"]
    assert str(e.value) == f"world.yaml: {expected}"
    assert empty(store)


def test_several_problems_are_reported_together(tmp_path):
    data = base()
    data["users"][0]["nmae"] = "x"
    data["courses"][0]["workflow_state"] = "open"
    with pytest.raises(WorldError) as e:
        load_world(write(tmp_path, data))
    assert str(e.value).splitlines() == [
        "world.yaml: users[0].nmae: unknown field",
        "world.yaml: courses[0].workflow_state: must be one of: created, claimed, available, completed, deleted",
    ]


def test_late_error_inserts_nothing(tmp_path):
    # everything but the last stream item is valid: the check runs before any insert
    data = base()
    data["stream_items"] = [{"group": "g1", "type": "Message", "title": "t", "read_by": ["nobody"]}]
    store = Store()
    with pytest.raises(WorldError):
        load_world(write(tmp_path, data), store=store)
    assert empty(store)


def test_yaml_syntax_error(tmp_path):
    path = write(tmp_path, "users:\n  - {name: Al\n  - name: Bo\n")
    with pytest.raises(WorldError) as e:
        load_world(path)
    assert str(e.value) == "world.yaml: invalid YAML: line 3, column 9: expected ',' or '}', but got ':'"


def test_top_level_must_be_a_mapping(tmp_path):
    with pytest.raises(WorldError) as e:
        load_world(write(tmp_path, "- a\n- b\n"))
    assert str(e.value) == "world.yaml: expected a mapping of sections at the top level"


def test_empty_file_is_an_empty_world(tmp_path):
    store = load_world(write(tmp_path, ""))
    assert empty(store)


def test_missing_file(tmp_path):
    with pytest.raises(WorldError) as e:
        load_world([DEFAULT_WORLD, tmp_path / "nope.yaml"])
    assert str(e.value) == "nope.yaml: cannot read: No such file or directory"


# -- values -------------------------------------------------------------------------------------


def test_datetimes_are_aware_utc(tmp_path):
    data = base()
    data["users"][0]["created_at"] = "2024-03-01T10:00:00+02:00"
    data["users"][1]["created_at"] = "2024-03-01T10:00:00"
    data["courses"][0]["start_at"] = datetime(2024, 9, 1, 8, 0)  # a YAML timestamp, unquoted
    store = load_world(write(tmp_path, data))
    assert store.get("users", 1).created_at == datetime(2024, 3, 1, 8, tzinfo=timezone.utc)
    assert store.get("users", 2).created_at == datetime(2024, 3, 1, 10, tzinfo=timezone.utc)
    assert store.get("courses", 1).start_at == datetime(2024, 9, 1, 8, tzinfo=timezone.utc)
    assert store.get("users", 1).created_at.tzinfo is timezone.utc


def test_defaults_and_derived_fields(tmp_path):
    data = base()
    data["users"][0].update(sortable_name="Able, A.", short_name="Al")
    store = load_world(write(tmp_path, data))
    alice, bob = store.get("users", 1), store.get("users", 2)
    assert (alice.sortable_name, alice.short_name) == ("Able, A.", "Al")
    assert (bob.sortable_name, bob.short_name, bob.account_id) == ("Baker, Bob", "Bob Baker", 1)
    other = store.get("courses", 2)
    assert (other.course_code, other.account_id, other.root_account_id) == ("Other", 2, 1)
    assert store.get("accounts", 2).root_account_id == 1
    assert store.get("groups", 1).root_account_id == 1


def test_the_example_in_the_docs_loads(tmp_path):
    text = (ROOT / "docs" / "worlds.md").read_text()
    example = text.split("## A short example", 1)[1].split("```yaml\n", 1)[1].split("```", 1)[0]
    store = load_world(write(tmp_path, example))
    assert store.get("users", 2).login_id == "student1"
    assert store.tokens["student-token"].user_id == 2
    assert [(m.user_id, m.workflow_state) for m in store.memberships.live(2)] == [(3, "accepted"), (5, "invited")]

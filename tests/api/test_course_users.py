"""The users of a course: GET /courses/:id/users and /search_users (CoursesController#users),
GET /courses/:id/users/:id (#user), GET /courses/:id/students (#students).

Default world, course 1: teacher 2, TA 3, designer 4, observer 5 (section A), students 6-19
(even ids in section A, odd in B).
"""

from __future__ import annotations

from urllib.parse import parse_qsl, urlsplit

import pytest

from canvas_bodies import (NOT_FOUND, SEARCH_TERM_TOO_SHORT, STUDENT_IDS, UNAUTHENTICATED, UNAUTHORIZED, by_sortable,
                           ids)

EVERYONE = STUDENT_IDS | {2, 3, 4, 5}


@pytest.fixture
def tokens(store):
    store.add_token("designer-token", 4)
    store.add_token("observer-token", 5)


@pytest.mark.parametrize("route", ["users", "search_users"])
def test_course_students(api, store, route):
    r = api.get(f"/api/v1/courses/1/{route}?enrollment_type[]=student&per_page=100")
    assert r.status == 200
    assert ids(r) == by_sortable(store, STUDENT_IDS)


def test_default_lists_everyone_by_sortable_name(api, store):
    r = api.get("/api/v1/courses/1/users?per_page=100")
    assert ids(r) == by_sortable(store, EVERYONE)
    teachers = api.get("/api/v1/courses/1/users?enrollment_type[]=teacher&enrollment_type[]=ta")
    assert ids(teachers) == by_sortable(store, [2, 3])


# -- what each caller sees --------------------------------------------------------------------------

def test_teacher_sees_forced_email_sis_and_login(api):
    sam = next(u for u in api.get("/api/v1/courses/1/users?per_page=100").json() if u["id"] == 6)
    assert list(sam) == ["id", "name", "created_at", "sortable_name", "short_name", "sis_user_id",
                         "integration_id", "login_id", "email"]
    assert (sam["sis_user_id"], sam["login_id"], sam["email"]) == ("S-006", "student", "student@example.edu")


@pytest.mark.parametrize("token,keys", [
    ("ta-token", ["login_id", "email"]),                  # TAs: no read_sis
    ("designer-token", []),
    ("student-token", []),
    ("admin-token", ["sis_user_id", "integration_id", "sis_import_id", "login_id", "email"]),
])
def test_fields_by_role(api, tokens, token, keys):
    [sam] = [u for u in api.get("/api/v1/courses/1/users?per_page=100", token=token).json() if u["id"] == 6]
    assert list(sam) == ["id", "name", "created_at", "sortable_name", "short_name", *keys]


@pytest.mark.parametrize("token", ["observer-token", "outsider-token"])
def test_observers_and_outsiders_are_refused(api, tokens, token):
    for route in ("users", "search_users", "users/6", "students"):
        r = api.get(f"/api/v1/courses/1/{route}", token=token)
        assert r.status == 401 and r.json() == UNAUTHORIZED


def test_needs_a_token(api):
    assert api.get("/api/v1/courses/1/users", token=None).json() == UNAUTHENTICATED


def test_unknown_course(api):
    for ref in ("999", "sis_course_id:NOPE", str(2**63)):
        assert api.get(f"/api/v1/courses/{ref}/users").json() == NOT_FOUND


def test_unconfirmed_users_show_no_login_or_email(api, store):
    store.insert("enrollments", user_id=20, course_id=1, course_section_id=1, workflow_state="invited")
    [u] = [u for u in api.get("/api/v1/courses/1/users?per_page=100").json() if u["id"] == 20]
    assert list(u) == ["id", "name", "created_at", "sortable_name", "short_name"]


# -- filters ------------------------------------------------------------------------------------

def test_enrollment_states(api, store):
    store.insert("enrollments", user_id=20, course_id=1, course_section_id=1, workflow_state="completed")
    assert 20 not in ids(api.get("/api/v1/courses/1/users?per_page=100"))
    assert ids(api.get("/api/v1/courses/1/users?enrollment_state[]=completed")) == [20]
    store.insert("enrollments", user_id=20, course_id=2, course_section_id=3, workflow_state="inactive")
    assert ids(api.get("/api/v1/courses/2/users?include_inactive=true")) == by_sortable(store, [2, 6, 8, 20])
    assert 20 not in ids(api.get("/api/v1/courses/2/users?include_inactive=true", token="student-token"))


def test_bad_enrollment_type_is_400(api):
    r = api.get("/api/v1/courses/1/users?enrollment_type[]=bogus")
    assert r.status == 400 and r.json() == {"errors": [{"message": "Invalid enrollment type: bogus"}]}


def test_enrollment_role_and_role_id(api, store):
    assert ids(api.get("/api/v1/courses/1/users?enrollment_role=TaEnrollment")) == [3]
    assert ids(api.get("/api/v1/courses/1/users?enrollment_role_id=5")) == [2]
    assert ids(api.get("/api/v1/courses/1/users?enrollment_role_id=999")) == []


def test_search_term(api):
    assert ids(api.get("/api/v1/courses/1/search_users?search_term=stella")) == [7]
    assert ids(api.get("/api/v1/courses/1/users?search_term=S-011")) == [11]  # SIS id: teachers
    assert ids(api.get("/api/v1/courses/1/users?search_term=S-011", token="student-token")) == []
    assert ids(api.get("/api/v1/courses/1/users?search_term=11", token="student-token")) == [11]  # full id
    assert ids(api.get("/api/v1/courses/1/users?search_term=terry&enrollment_type[]=student")) == []
    short = api.get("/api/v1/courses/1/search_users?search_term=s")
    assert short.status == 400 and short.json() == SEARCH_TERM_TOO_SHORT
    assert len(api.get("/api/v1/courses/1/users?search_term=%20&per_page=100").json()) == 18


@pytest.mark.parametrize("term", ["<script>alert(1)</script>", "x" * 5000, "\u00e9l\u00e8ve", "a\x01b"])
def test_hostile_search_terms_find_nobody(api, term):
    r = api.get("/api/v1/courses/1/users", params={"search_term": term})
    assert r.status == 200 and r.json() == []


def test_user_ids_section_ids_and_uuids(api, store):
    assert ids(api.get("/api/v1/courses/1/users?user_ids[]=7&user_ids[]=6&user_ids[]=999")) == by_sortable(
        store, [6, 7])
    assert ids(api.get("/api/v1/courses/1/users?user_ids=6,7")) == by_sortable(store, [6, 7])
    assert ids(api.get("/api/v1/courses/1/users", params={"user_ids[]": "\u00b2"})) == []
    section_b = api.get("/api/v1/courses/1/users?section_ids[]=2&per_page=100")
    assert ids(section_b) == by_sortable(store, [i for i in STUDENT_IDS if i % 2])
    uuid = store.get("users", 7).uuid
    assert ids(api.get(f"/api/v1/courses/1/users?user_uuids={uuid}")) == [7]


def test_sort_and_order(api, store):
    by_id = api.get("/api/v1/courses/1/users?sort=id&per_page=100")
    assert ids(by_id) == sorted(EVERYONE)
    desc = api.get("/api/v1/courses/1/users?order=desc&per_page=100")
    assert ids(desc) == list(reversed(by_sortable(store, EVERYONE)))
    email = api.get("/api/v1/courses/1/users?sort=email&enrollment_type[]=ta&enrollment_type[]=teacher")
    assert ids(email) == [3, 2]  # ta@ before teacher@


def test_test_student_only_on_request(api, store):
    fake = store.insert("users", name="Test Student", sortable_name="Student, Test", short_name="Test Student")
    store.insert("enrollments", user_id=fake.id, course_id=1, course_section_id=1, type="StudentViewEnrollment")
    assert fake.id not in ids(api.get("/api/v1/courses/1/users?per_page=100"))
    assert fake.id in ids(api.get("/api/v1/courses/1/users?per_page=100&include[]=test_student"))
    assert ids(api.get("/api/v1/courses/1/users?enrollment_type[]=student_view")) == [fake.id]


# -- include[] ----------------------------------------------------------------------------------

def test_include_enrollments_full_enrollment_json(api, store):
    by_id = {u["id"]: u for u in api.get("/api/v1/courses/1/users?include[]=enrollments&per_page=100").json()}
    [e] = by_id[6]["enrollments"]
    assert list(e) == ["id", "user_id", "course_id", "type", "created_at", "updated_at", "associated_user_id",
                       "start_at", "end_at", "course_section_id", "root_account_id",
                       "limit_privileges_to_course_section", "enrollment_state", "role", "role_id",
                       "last_activity_at", "last_attended_at", "total_activity_time", "grades", "sis_account_id",
                       "sis_course_id", "course_integration_id", "sis_section_id", "section_integration_id",
                       "sis_user_id", "html_url"]
    assert (e["type"], e["role"], e["role_id"], e["course_section_id"]) == ("StudentEnrollment",
                                                                           "StudentEnrollment", 4, 1)
    assert e["grades"]["html_url"] == f"{api.base_url}/courses/1/grades/6" and e["grades"]["current_score"] is None
    assert e["sis_section_id"] == "MOCK101-A" and e["html_url"] == f"{api.base_url}/courses/1/users/6"
    assert list(by_id[6]).index("enrollments") < list(by_id[6]).index("email")
    assert "grades" not in by_id[3]["enrollments"][0]
    # a student sees a classmate's enrollment without activity, SIS or grade values
    mine = {u["id"]: u for u in api.get("/api/v1/courses/1/users?include[]=enrollments&per_page=100",
                                        token="student-token").json()}
    other = mine[8]["enrollments"][0]
    assert "last_activity_at" not in other and "sis_course_id" not in other
    assert other["grades"] == {"html_url": f"{api.base_url}/courses/1/grades/8"}
    own = mine[6]["enrollments"][0]
    assert own["total_activity_time"] == 0 and set(own["grades"]) == {
        "html_url", "current_grade", "current_score", "final_grade", "final_score"}


def test_include_other_fields(api, store):
    store._update("users", store.get("users", 6), bio="Likes mocks")
    r = api.get("/api/v1/courses/1/users?user_ids[]=6&include[]=bio&include[]=uuid&include[]=last_login"
                "&include[]=group_ids&include[]=avatar_url&include[]=enrollments&include[]=locked")
    [sam] = r.json()
    assert sam["bio"] == "Likes mocks" and sam["uuid"] == store.get("users", 6).uuid
    assert sam["last_login"] is None and sam["group_ids"] == [1]
    assert "avatar_url" not in sam  # the avatars service is off
    assert sam["enrollments"][0]["locked"] is False


def test_avatar_url_when_the_account_has_avatars(api, store):
    store._update("accounts", store.get("accounts", 1), settings=(("enable_avatars", True),))
    [sam] = api.get("/api/v1/courses/1/users?user_ids[]=6&include[]=avatar_url").json()
    assert sam["avatar_url"].endswith("/images/messages/avatar-50.png")


# -- pagination without a total ----------------------------------------------------------------------

def test_pages_have_no_last_until_a_partial_page(api, store):
    url = "/api/v1/courses/1/search_users?enrollment_type[]=student&per_page=5"
    seen, pages = [], []
    while url:
        r = api.get(url)
        assert r.status == 200
        pages.append(r.links)
        seen += ids(r)
        url = r.links.get("next")
    assert seen == by_sortable(store, STUDENT_IDS)
    assert len(pages) == 3
    assert "last" not in pages[0] and "last" not in pages[1]
    assert pages[2]["last"] == pages[2]["current"] and "next" not in pages[2]
    for links in pages:
        for link in links.values():  # search_users links name the action's route, /users
            assert link.startswith(f"{api.base_url}/api/v1/courses/1/users?")
            q = parse_qsl(urlsplit(link).query)
            assert ("enrollment_type[]", "student") in q and ("per_page", "5") in q


def test_a_full_last_page_still_links_next_to_an_empty_page(api):
    r = api.get("/api/v1/courses/1/users?enrollment_type[]=student&per_page=7&page=2")
    assert len(r.json()) == 7 and "next" in r.links and "last" not in r.links
    empty = api.get(r.links["next"])
    assert empty.status == 200 and empty.json() == []
    assert set(empty.links) == {"current", "prev", "first"}


def test_legacy_limit_and_user_id_jump(api, store):
    order = by_sortable(store, EVERYONE)
    r = api.get("/api/v1/courses/1/users?limit=3")
    assert ids(r) == order[:3] and r.links["current"].endswith("page=1&per_page=3")
    target = order[7]
    jump = api.get(f"/api/v1/courses/1/users?per_page=3&user_id={target}&page=1")
    assert target in ids(jump) and ids(jump) == order[6:9]
    assert "user_id=" in jump.links["current"] and "page=3" in jump.links["current"]


# -- GET /courses/:id/users/:id and /students --------------------------------------------------------

def test_one_user(api):
    r = api.get("/api/v1/courses/1/users/6")
    assert r.status == 200
    assert list(r.json()) == ["id", "name", "created_at", "sortable_name", "short_name", "sis_user_id",
                              "integration_id", "login_id"]  # includes are not forced here
    withs = api.get("/api/v1/courses/1/users/sis_user_id:S-006?include[]=enrollments&include[]=email").json()
    assert [e["id"] for e in withs["enrollments"]] == [5] and withs["email"] == "student@example.edu"
    assert api.get("/api/v1/courses/1/users/self", token="student-token").json()["id"] == 6


def test_one_user_not_in_the_course_is_404(api, store):
    for ref in ("20", "999", str(2**64), "sis_user_id:NOPE"):
        r = api.get(f"/api/v1/courses/1/users/{ref}")
        assert r.status == 404 and r.json() == NOT_FOUND
    store.insert("enrollments", user_id=20, course_id=1, course_section_id=1, workflow_state="inactive")
    assert api.get("/api/v1/courses/1/users/20").status == 404
    assert api.get("/api/v1/courses/1/users/20?include[]=inactive_enrollments").status == 200


def test_students_unpaginated(api, store):
    for k in range(12):
        u = store.insert("users", name=f"Extra {k}", sortable_name=f"Extra, {k:02d}", short_name=f"Extra {k}")
        store.insert("enrollments", user_id=u.id, course_id=1, course_section_id=1)
    r = api.get("/api/v1/courses/1/students")
    assert r.status == 200 and "Link" not in r.headers
    assert len(r.json()) == 26 and ids(r) == by_sortable(store, [u["id"] for u in r.json()])
    assert all("email" not in u for u in r.json())
    [sam] = [u for u in r.json() if u["id"] == 6]
    assert (sam["sis_user_id"], sam["login_id"]) == ("S-006", "student")  # the teacher's rights
    student_view = api.get("/api/v1/courses/1/students", token="student-token").json()
    assert all(set(u) == {"id", "name", "created_at", "sortable_name", "short_name"} for u in student_view)

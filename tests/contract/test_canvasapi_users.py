"""The Users API as canvasapi 3.6.0 drives it: real client, real HTTP, the mock's threaded server.

Covered canvasapi calls (and the requests they make):

* ``Canvas.get_current_user`` (a ``CurrentUser``: ``GET /users/self``), ``Canvas.get_user`` with an id,
  ``"self"``, ``id_type="sis_user_id"`` and ``"sis_login_id"`` (``GET /users/<type>:X``);
* ``User.edit(user={...})`` (``PUT /users/:id``), ``User.get_profile`` (``GET /users/:id/profile``),
  ``User.update_settings`` (``PUT /users/:id/settings``; canvasapi 3.6 has no ``get_settings``);
* ``Account.get_users`` (``GET /accounts/:id/users``, ``search_term``, pages without a total) and
  ``Account.create_user(pseudonym={...}, user={...})`` (``POST /accounts/:id/users``);
* the exceptions canvasapi maps: ``ResourceDoesNotExist`` (a user one may not see is 404 in 2025
  Canvas), ``Unauthorized`` (401 without WWW-Authenticate), ``Forbidden`` (the 403 ``{}`` of
  create), ``BadRequest`` (the nested create errors).

Against a real Canvas (see ``conftest.py``) the tests that rely on the default world, the admin
token or create users are skipped.
"""

from __future__ import annotations

import pytest
from canvasapi.account import Account
from canvasapi.current_user import CurrentUser
from canvasapi.exceptions import BadRequest, Forbidden, ResourceDoesNotExist, Unauthorized
from canvasapi.paginated_list import PaginatedList
from canvasapi.user import User

STUDENT_ID = 6
TEACHER_ID = 2


def test_current_user(student, http_log):
    log = http_log(student)
    me = student.get_current_user()
    assert isinstance(me, CurrentUser)
    assert [(e.method, e.path, e.status) for e in log] == [("GET", "/api/v1/users/self", 200)]
    assert isinstance(me.id, int) and me.name and me.sortable_name
    assert me.permissions["can_update_name"] in (True, False)
    assert str(me) == f"{me.name} ({me.id})"


def test_get_user_by_every_id_type(admin, mock_only):
    by_id = admin.get_user(STUDENT_ID)
    assert isinstance(by_id, User) and (by_id.id, by_id.name) == (STUDENT_ID, "Sam Student")
    assert admin.get_user("S-006", "sis_user_id").id == STUDENT_ID
    assert admin.get_user("student", "sis_login_id").id == STUDENT_ID
    assert admin.get_user(by_id).login_id == "student"


def test_a_user_one_may_not_see_does_not_exist(teacher, student, mock_only):
    with pytest.raises(ResourceDoesNotExist):
        teacher.get_user(STUDENT_ID)  # teachers hold no account right over students
    with pytest.raises(ResourceDoesNotExist):
        student.get_user(TEACHER_ID)
    with pytest.raises(ResourceDoesNotExist):
        student.get_user("NOPE", "sis_user_id")


def test_edit_oneself(student, mock_store):
    me = student.get_current_user()
    old = me.short_name
    edited = me.edit(user={"short_name": "Sammy", "time_zone": "America/Denver"})
    assert edited is me and me.short_name == "Sammy" and me.time_zone == "Mountain Time (US & Canada)"
    assert student.get_current_user().short_name == "Sammy"
    with mock_store.lock:
        assert mock_store.get("users", STUDENT_ID).short_name == "Sammy" != old


def test_edit_refused_as_a_whole(student, admin, mock_store):
    other = admin.get_user(7)
    other._requester = student._Canvas__requester  # the same User object, driven with the student's token
    with pytest.raises(Unauthorized):
        other.edit(user={"name": "Hacked"})
    with mock_store.lock:
        assert mock_store.get("users", 7).name == "Stella Student"


def test_profile(student, teacher, mock_only):
    me = student.get_current_user()
    profile = me.get_profile()
    assert isinstance(profile, dict)
    assert (profile["id"], profile["login_id"], profile["primary_email"]) == (STUDENT_ID, "student",
                                                                             "student@example.edu")
    assert profile["calendar"]["ics"].endswith(".ics")
    sam_as_teacher = User(teacher._Canvas__requester, {"id": STUDENT_ID})
    assert "calendar" not in sam_as_teacher.get_profile()


def test_update_settings(student, mock_store):
    me = student.get_current_user()
    answer = me.update_settings(manual_mark_as_read=True, collapse_global_nav=False)
    assert answer["manual_mark_as_read"] is True and answer["collapse_global_nav"] is False
    assert len(answer) == 8
    with mock_store.lock:
        assert dict(mock_store.get("users", STUDENT_ID).preferences) == {"manual_mark_as_read": True}


def test_account_get_users(admin, account_id, http_log):
    log = http_log(admin)
    account = admin.get_account(account_id)
    found = list(account.get_users(search_term="student"))
    assert found and all(isinstance(u, User) for u in found)
    assert all(e.status == 200 for e in log)
    small = list(PaginatedList(User, admin._Canvas__requester, "GET", f"accounts/{account_id}/users",
                               {"per_page": 3}))
    everyone = list(account.get_users())
    assert [u.id for u in small] == [u.id for u in everyone]
    assert len({u.id for u in everyone}) == len(everyone)


def test_account_get_users_in_the_mock(admin, mock_store):
    everyone = [u.id for u in admin.get_account(1).get_users(per_page=4)]
    with mock_store.lock:
        assert sorted(everyone) == sorted(u.id for u in mock_store.all("users") if u.workflow_state != "deleted")
    assert [u.id for u in admin.get_account(1).get_users(search_term="Terry")] == [TEACHER_ID]


def test_account_get_users_refused(teacher, account_id):
    account = Account(teacher._Canvas__requester, {"id": account_id})  # teachers may not read the account
    with pytest.raises(Unauthorized):
        list(account.get_users())


def test_create_user(admin, mock_store):
    account = admin.get_account(1)
    user = account.create_user(pseudonym={"unique_id": "contract@example.edu", "sis_user_id": "C-1"},
                               user={"name": "Connie Contract", "skip_registration": True})
    assert isinstance(user, User)
    assert (user.name, user.sortable_name, user.login_id, user.sis_user_id) == \
        ("Connie Contract", "Contract, Connie", "contract@example.edu", "C-1")
    assert admin.get_user("contract@example.edu", "sis_login_id").id == user.id
    with mock_store.lock:
        assert mock_store.get("users", user.id).workflow_state == "registered"
    with pytest.raises(BadRequest) as taken:
        account.create_user(pseudonym={"unique_id": "CONTRACT@example.edu"})
    assert "ID already in use" in str(taken.value)


def test_create_user_refused(teacher, mock_only):
    account = Account(teacher._Canvas__requester, {"id": 1})
    with pytest.raises(Forbidden):
        account.create_user(pseudonym={"unique_id": "nope@example.edu"})

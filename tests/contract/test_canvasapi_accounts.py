"""The Accounts and Enrollment Terms APIs as canvasapi 3.6.0 drives them: real client, real HTTP,
the mock's threaded server (canvas-facts-courses-users section 11).

Covered canvasapi calls (and the requests they make):

* ``Canvas.get_account`` (``GET /accounts/:id``, ``use_sis_id`` -> ``sis_account_id:X``),
  ``Canvas.get_accounts`` (``GET /accounts``: bookmark pages through ``PaginatedList``),
  ``Canvas.get_course_accounts`` (``GET /course_accounts``), ``Canvas.create_account``
  (``POST /accounts``: no such route in open-source Canvas, so ``ResourceDoesNotExist``);
* ``Account.update`` (``PUT /accounts/:id``: True when the answer has ``name``),
  ``Account.get_subaccounts`` (``recursive``), ``Account.create_subaccount``,
  ``Account.delete`` (``DELETE /accounts/<parent_account_id>/sub_accounts/<id>``: True when the
  answer's ``workflow_state`` is ``deleted``);
* ``Account.get_enrollment_terms`` (the wrapped ``enrollment_terms`` list, ``_root``),
  ``Account.get_enrollment_term``, ``Account.create_enrollment_term`` (canvasapi adds
  ``account_id`` to the term), ``EnrollmentTerm.edit``, ``EnrollmentTerm.delete``.

Every test relies on the default world (ids, names, SIS ids), so against a real Canvas they are
skipped (fixture ``mock_only``).
"""

from __future__ import annotations

from datetime import datetime

import pytest
from canvasapi.account import Account
from canvasapi.enrollment_term import EnrollmentTerm
from canvasapi.exceptions import BadRequest, Conflict, ResourceDoesNotExist, Unauthorized
from canvasapi.paginated_list import PaginatedList

pytestmark = pytest.mark.usefixtures("mock_only")


def test_get_account_by_id_and_sis_id(admin, mock_store):
    account = admin.get_account(1)
    assert isinstance(account, Account)
    assert (account.id, account.name, account.parent_account_id, account.root_account_id) == (
        1, "Mock University", None, None)
    assert account.default_time_zone == "Etc/UTC" and account.default_storage_quota_mb == 500
    sub = admin.get_account("SCI", use_sis_id=True)
    assert (sub.id, sub.sis_account_id, sub.parent_account_id) == (2, "SCI", 1)
    assert admin.get_account("MOCKU", use_sis_id=True).id == 1


def test_teacher_reads_the_read_only_form(teacher):
    account = teacher.get_account(1)
    assert account.name == "Mock University"
    assert not hasattr(account, "default_storage_quota_mb")


def test_student_may_not_read_an_account(student):
    with pytest.raises(Unauthorized):
        student.get_account(1)
    with pytest.raises(ResourceDoesNotExist):
        student.get_account(999)


def test_get_accounts_follows_bookmark_pages(admin, mock_store, http_log):
    with mock_store.lock:
        for n in range(3):
            made = mock_store.insert("accounts", name=f"Dept {n}", parent_account_id=1, root_account_id=1)
            mock_store.insert("admins", account_id=made.id, user_id=1)
    log = http_log(admin)
    # built with per_page itself: canvasapi's own methods add per_page=100 after any per_page kwarg
    accounts = PaginatedList(Account, admin._Canvas__requester, "GET", "accounts", per_page=2)
    assert [a.name for a in accounts] == ["Dept 0", "Dept 1", "Dept 2", "Mock University"]
    assert len(log) == 2 and "page" not in log[0].query
    assert log[1].query["page"][0].startswith("bookmark:")
    assert [a.id for a in admin.get_accounts()] == [3, 4, 5, 1]


def test_get_accounts_of_a_teacher_is_empty(teacher):
    assert list(teacher.get_accounts()) == []


def test_get_course_accounts(teacher, student):
    accounts = list(teacher.get_course_accounts())
    assert [(a.id, a.name) for a in accounts] == [(1, "Mock University"), (2, "School of Science")]
    assert set(vars(accounts[0])) - {"_requester"} == {"id", "name", "workflow_state", "parent_account_id",
                                                      "root_account_id", "uuid", "default_time_zone",
                                                      "default_time_zone_friendly_name"}
    assert list(student.get_course_accounts()) == []


def test_update_an_account(admin, mock_store):
    account = admin.get_account(1)
    assert account.update(account={"name": "Mock State", "default_time_zone": "Mountain Time (US & Canada)"}) is True
    assert (account.name, account.default_time_zone) == ("Mock State", "America/Denver")
    with mock_store.lock:
        assert mock_store.get("accounts", 1).name == "Mock State"
    with pytest.raises(BadRequest):
        account.update(account={"default_storage_quota_mb": "lots"})
    with pytest.raises(Unauthorized):
        account.update(account={"sis_account_id": "ROOT"})


def test_subaccounts_create_list_delete(admin, mock_store):
    root = admin.get_account(1)
    arts = root.create_subaccount(account={"name": "School of Arts", "sis_account_id": "ARTS"})
    assert isinstance(arts, Account)
    assert (arts.name, arts.parent_account_id, arts.root_account_id, arts.sis_account_id) == (
        "School of Arts", 1, 1, "ARTS")
    painting = admin.get_account(arts.id).create_subaccount(account={"name": "Painting"})
    assert [a.id for a in root.get_subaccounts()] == [2, arts.id]
    assert [a.id for a in root.get_subaccounts(recursive=True)] == [2, arts.id, painting.id]
    with pytest.raises(Conflict):
        arts.delete()  # it has a sub-account
    assert painting.delete() is True
    assert arts.delete() is True
    with mock_store.lock:
        assert mock_store.get("accounts", arts.id).workflow_state == "deleted"
    assert [a.id for a in root.get_subaccounts(recursive=True)] == [2]
    with pytest.raises(Conflict):
        admin.get_account(2).delete()  # School of Science has courses


def test_create_account_is_not_a_route(admin, target):
    with pytest.raises(ResourceDoesNotExist):
        admin.create_account(account={"name": "New Root"})
    # the mock records an unknown route as a problem (it would fail the test); this one is expected
    recorded = [(p["kind"], p["method"], p["path"]) for p in target.server.problems]
    assert recorded == [("unknown route", "POST", "/api/v1/accounts")]
    target.server.problems.clear()


def test_enrollment_terms(admin, teacher):
    account = admin.get_account(1)
    terms = list(account.get_enrollment_terms())
    assert all(isinstance(t, EnrollmentTerm) for t in terms)
    assert [(t.id, t.name) for t in terms] == [(1, "Default Term"), (2, "Fall 2026"), (3, "Spring 2026")]
    assert terms[1].sis_term_id == "2026-FA" and terms[1].account_id == 1
    fall = account.get_enrollment_term(2)
    assert (fall.name, fall.course_count, fall.overrides) == ("Fall 2026", 1, {})
    assert [t.id for t in account.get_enrollment_terms(workflow_state=["all"], term_name="2026")] == [2, 3]
    assert not hasattr(list(teacher.get_account(1).get_enrollment_terms())[0], "sis_term_id")


def test_create_edit_delete_a_term(admin, mock_store):
    account = admin.get_account(1)
    term = account.create_enrollment_term(enrollment_term={
        "name": "Summer 2026", "start_at": datetime(2026, 6, 1, 8, 0), "end_at": "2026-08-01T00:00:00Z",
        "sis_term_id": "2026-SU", "overrides": {"StudentEnrollment": {"end_at": "2026-08-10T00:00:00Z"}}})
    assert isinstance(term, EnrollmentTerm) and term.account_id == 1
    assert (term.name, term.start_at, term.sis_term_id) == ("Summer 2026", "2026-06-01T08:00:00Z", "2026-SU")
    assert term.overrides == {"StudentEnrollment": {"start_at": None, "end_at": "2026-08-10T00:00:00Z"}}
    edited = term.edit(enrollment_term={"name": "Summer Session"})
    assert edited.name == "Summer Session" and edited.id == term.id
    with pytest.raises(BadRequest):
        term.edit(enrollment_term={"start_at": "2026-09-01T00:00:00Z", "end_at": "2026-08-01T00:00:00Z"})
    deleted = term.delete()
    assert deleted.workflow_state == "deleted"
    with mock_store.lock:
        assert mock_store.get("terms", term.id).workflow_state == "deleted"
    # canvasapi's get_enrollment_term does not set account_id: a term to delete comes from the list
    assert not hasattr(account.get_enrollment_term(1), "account_id")
    default = next(t for t in account.get_enrollment_terms() if t.id == 1)
    with pytest.raises(BadRequest):
        default.delete()


def test_term_writes_need_an_admin(teacher):
    with pytest.raises(Unauthorized):
        teacher.get_account(1).create_enrollment_term(enrollment_term={"name": "Nope"})

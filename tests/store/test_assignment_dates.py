"""The dates and visibility rules of mockcanvas/store/assignment_dates.py, without HTTP: which
overrides apply to whom, how their dates combine (AssignmentOverrideApplicator), what teachers see,
differentiated assignments, the students an assignment is assigned to and ``all_dates``
(canvas-facts-assignments 5.4 and 5.5).

Default world: course 1 has Section A (1: users 6, 8, 10, ... and the teacher, TA, designer,
observer 5) and Section B (2: users 7, 9, ...); group category 1 (Project Groups) has group 1
(6, 8, 9), group 2 (7, 10, 11), group 3 (12, 13).
"""

from __future__ import annotations

from datetime import datetime, timedelta, timezone

import pytest

from mockcanvas.store import assignment_dates as d

COURSE_STUDENTS = list(range(6, 20))


def T(day: int, hour: int = 12) -> datetime:
    return datetime(2030, 5, day, hour, tzinfo=timezone.utc)


@pytest.fixture
def store(canvas_store):
    return canvas_store


def user(store, uid):
    return store.get("users", uid)


def assignment(store, **kw):
    kw.setdefault("course_id", 1)
    kw.setdefault("workflow_state", "published")
    group = store.assignment_groups.require_default(kw["course_id"])
    return store.insert("assignments", assignment_group_id=group.id, **kw)


def override(store, a, set_type, set_id=None, students=(), title="x", **dates):
    """An active override; every date given (even None) is overridden."""
    fields = {}
    for name, value in dates.items():
        if name in ("due_at", "unlock_at", "lock_at"):
            fields[name] = value
            fields[f"{name}_overridden"] = True
        else:
            fields[name] = value
    return store.insert("assignment_overrides", assignment_id=a.id, course_id=a.course_id, set_type=set_type,
                        set_id=set_id, student_ids=tuple(students), title=title, **fields)


def observe(store, observer_id, student_id, course_id=1):
    store.insert("enrollments", user_id=observer_id, course_id=course_id, course_section_id=1,
                 type="ObserverEnrollment", associated_user_id=student_id)


def dates(store, a, uid):
    return d.dates_for(store, a, user(store, uid) if uid is not None else None)


# -- which overrides apply ---------------------------------------------------------------------
def test_no_overrides_gives_the_base_dates_to_everyone(store):
    a = assignment(store, due_at=T(10), unlock_at=T(1), lock_at=T(20))
    for uid in (6, 2, 5, 20, None):
        assert dates(store, a, uid) == (T(10), T(1), T(20))


def test_a_section_override_applies_to_its_students_only(store):
    a = assignment(store, due_at=T(10))
    override(store, a, "CourseSection", 1, due_at=T(3))
    assert dates(store, a, 6)[0] == T(3)  # Section A
    assert dates(store, a, 8)[0] == T(3)
    assert dates(store, a, 7)[0] == T(10)  # Section B: the base
    assert dates(store, a, 20)[0] == T(10)  # not enrolled


def test_a_section_override_of_a_completed_enrollment_still_applies_but_not_a_deleted_one(store):
    a = assignment(store, due_at=T(10))
    override(store, a, "CourseSection", 2, due_at=T(3))
    e = next(x for x in store.courses.enrollments_of(7, 1))
    store._update("enrollments", e, workflow_state="completed")
    assert dates(store, a, 7)[0] == T(3)
    store._update("enrollments", e, workflow_state="deleted")
    assert dates(store, a, 7)[0] == T(10)


def test_adhoc_override_applies_to_its_students(store):
    a = assignment(store, due_at=T(10))
    override(store, a, "ADHOC", students=[7, 9], due_at=T(12))
    assert [dates(store, a, uid)[0] for uid in (7, 9, 11)] == [T(12), T(12), T(10)]


def test_group_override_applies_to_accepted_members_of_the_assignments_category(store):
    a = assignment(store, due_at=T(10), group_category_id=1)
    override(store, a, "Group", 1, due_at=T(4))
    assert [dates(store, a, uid)[0] for uid in (6, 8, 9, 7)] == [T(4), T(4), T(4), T(10)]
    membership = store.get("memberships", store.idx["memberships"]["by_pair"].get((1, 9)))
    store._update("memberships", membership, workflow_state="invited")
    assert dates(store, a, 9)[0] == T(10)


def test_group_override_needs_a_group_assignment_of_that_category(store):
    plain = assignment(store, due_at=T(10))
    override(store, plain, "Group", 1, due_at=T(4))
    other = assignment(store, due_at=T(10), group_category_id=3)
    override(store, other, "Group", 1, due_at=T(4))
    assert dates(store, plain, 6)[0] == T(10)
    assert dates(store, other, 6)[0] == T(10)


def test_course_override_applies_to_everyone_enrolled(store):
    a = assignment(store, due_at=T(10))
    override(store, a, "Course", 1, due_at=T(5))
    assert dates(store, a, 6)[0] == T(5)
    assert dates(store, a, 5)[0] == T(5)  # the observer has an enrollment
    assert dates(store, a, 20)[0] == T(10)


def test_deleted_overrides_apply_to_nobody(store):
    a = assignment(store, due_at=T(10))
    o = override(store, a, "CourseSection", 1, due_at=T(3))
    store._update("assignment_overrides", o, workflow_state="deleted")
    assert dates(store, a, 6)[0] == T(10)
    assert d.overrides_for(store, a, user(store, 2)) == []


# -- how the dates combine ---------------------------------------------------------------------
def test_latest_due_date_wins(store):
    a = assignment(store, due_at=T(10), group_category_id=1)
    override(store, a, "CourseSection", 1, due_at=T(3))
    override(store, a, "Group", 1, due_at=T(8))
    assert dates(store, a, 6)[0] == T(8)


def test_a_null_due_date_wins(store):
    a = assignment(store, due_at=T(10))
    override(store, a, "CourseSection", 1, due_at=T(3))
    override(store, a, "ADHOC", students=[6], due_at=None)
    assert dates(store, a, 6)[0] is None
    assert dates(store, a, 8)[0] == T(3)


def test_the_base_applies_only_to_fields_no_override_overrides(store):
    a = assignment(store, due_at=T(10), unlock_at=T(1), lock_at=T(20))
    override(store, a, "CourseSection", 1, due_at=T(3))
    assert dates(store, a, 6) == (T(3), T(1), T(20))
    override(store, a, "ADHOC", students=[6], lock_at=None)
    assert dates(store, a, 6) == (T(3), T(1), None)


def test_unlock_is_the_earliest_and_lock_the_latest(store):
    a = assignment(store, unlock_at=T(5), lock_at=T(20))
    override(store, a, "CourseSection", 1, unlock_at=T(3), lock_at=T(25))
    override(store, a, "Course", 1, unlock_at=T(4), lock_at=T(22))
    assert dates(store, a, 6)[1:] == (T(3), T(25))
    b = assignment(store, unlock_at=T(5))
    override(store, b, "CourseSection", 1, unlock_at=T(3))
    override(store, b, "Course", 1, unlock_at=None)
    assert dates(store, b, 6)[1] is None


def test_an_override_locked_already_no_longer_unlocks(store):
    now = store.now()
    a = assignment(store, unlock_at=now + timedelta(days=5))
    override(store, a, "CourseSection", 1, unlock_at=now - timedelta(days=9), lock_at=now - timedelta(days=1))
    assert dates(store, a, 6)[1] == now + timedelta(days=5)  # the expired one left out: the base
    override(store, a, "ADHOC", students=[8], unlock_at=now - timedelta(days=9), lock_at=now - timedelta(days=1))
    assert dates(store, a, 8)[1] == now - timedelta(days=9)  # ADHOC overrides never expire


def test_an_adhoc_override_wins_the_fields_it_overrides(store, monkeypatch):
    """The modern select_override: a student's ADHOC override wins each field it overrides, even
    against a later section date; ADHOC_FIRST=False gives the older copy's latest-wins rule."""
    a = assignment(store, due_at=T(10))
    override(store, a, "CourseSection", 1, due_at=T(15), lock_at=T(30))
    override(store, a, "ADHOC", students=[6], due_at=T(12))
    assert dates(store, a, 6)[0] == T(12)
    assert dates(store, a, 6)[2] == T(30)  # a field the ADHOC override leaves alone: the section's
    assert dates(store, a, 8)[0] == T(15)
    monkeypatch.setattr(d, "ADHOC_FIRST", False)
    assert dates(store, a, 6)[0] == T(15)


def test_unassign_item_cuts_the_overrides_after_it(store):
    a = assignment(store, due_at=T(10))
    override(store, a, "ADHOC", students=[6], due_at=T(2), unassign_item=True)
    override(store, a, "CourseSection", 1, due_at=T(3))
    assert dates(store, a, 6)[0] == T(10)  # the ADHOC unassign is first: nothing applies
    assert dates(store, a, 8)[0] == T(3)


# -- observers ---------------------------------------------------------------------------------
def test_observer_sees_the_union_of_their_observees(store):
    a = assignment(store, due_at=T(10))
    sec = override(store, a, "CourseSection", 1, due_at=T(3))
    adhoc = override(store, a, "ADHOC", students=[7], due_at=T(14))
    observe(store, 5, 6)
    assert dates(store, a, 5)[0] == T(3)
    observe(store, 5, 7)
    assert dates(store, a, 5)[0] == T(14)
    assert d.overrides_for(store, a, user(store, 5)) == [sec, adhoc]  # observee by observee


def test_observer_without_observees_is_a_member_of_their_section(store):
    a = assignment(store, due_at=T(10))
    override(store, a, "CourseSection", 1, due_at=T(3))
    assert dates(store, a, 5)[0] == T(3)


def test_observer_of_a_student_gone_from_the_course_has_no_observee(store):
    a = assignment(store, due_at=T(10))
    override(store, a, "CourseSection", 2, due_at=T(3))
    observe(store, 5, 7)
    assert dates(store, a, 5)[0] == T(3)
    e = next(x for x in store.courses.enrollments_of(7, 1))
    store._update("enrollments", e, workflow_state="completed")
    assert d.observees(store, 1, 5) == []
    assert dates(store, a, 5)[0] == T(10)  # now their own section A


# -- teachers ----------------------------------------------------------------------------------
@pytest.mark.parametrize("uid", [2, 3, 4, 1])  # teacher, TA, designer, admin
def test_staff_see_the_most_lenient_due_date(store, uid):
    a = assignment(store, due_at=T(10))
    override(store, a, "CourseSection", 1, due_at=T(3))
    assert dates(store, a, uid)[0] == T(10)
    override(store, a, "ADHOC", students=[7], due_at=T(12))
    assert dates(store, a, uid)[0] == T(12)


def test_staff_see_null_when_the_base_or_an_override_is_undated(store):
    a = assignment(store, due_at=None)
    override(store, a, "CourseSection", 1, due_at=T(3))
    assert dates(store, a, 2)[0] is None
    b = assignment(store, due_at=T(10))
    override(store, b, "CourseSection", 1, due_at=None)
    assert dates(store, b, 2)[0] is None


def test_staff_see_the_overrides_when_every_section_has_one(store):
    a = assignment(store, due_at=T(20))
    override(store, a, "CourseSection", 1, due_at=T(3))
    override(store, a, "CourseSection", 2, due_at=T(5))
    assert dates(store, a, 2)[0] == T(5)  # the base (later) is not considered
    assert dates(store, a, 6)[0] == T(3)


def test_staff_see_every_override_non_adhoc_first(store):
    a = assignment(store, group_category_id=1)
    adhoc = override(store, a, "ADHOC", students=[6])
    empty = override(store, a, "ADHOC", students=[])  # a deleted one's students are gone
    section = override(store, a, "CourseSection", 2)
    group = override(store, a, "Group", 2)
    assert d.overrides_for(store, a, user(store, 2)) == [section, group, adhoc]
    assert empty not in d.overrides_for(store, a, user(store, 4))
    assert d.overrides_for(store, a, user(store, 7)) == [group, section]  # priority order
    assert d.overrides_for(store, a, user(store, 20)) == []
    assert d.overrides_for(store, a, None) == []


# -- visibility --------------------------------------------------------------------------------
def test_assignments_visible_to_everyone_without_overrides(store):
    a = assignment(store)
    assert all(d.visible_to(store, a, user(store, uid)) for uid in (6, 7, 5, 2, 20))
    b = assignment(store, only_visible_to_overrides=True)
    assert [d.visible_to(store, b, user(store, uid)) for uid in (6, 5, 20)] == [False, False, False]
    assert all(d.visible_to(store, b, user(store, uid)) for uid in (1, 2, 3, 4))


def test_only_visible_to_overrides_follows_the_overrides(store):
    a = assignment(store, only_visible_to_overrides=True, group_category_id=1)
    override(store, a, "CourseSection", 2)
    assert [d.visible_to(store, a, user(store, uid)) for uid in (6, 7, 9)] == [False, True, True]
    override(store, a, "ADHOC", students=[6])
    assert d.visible_to(store, a, user(store, 6))
    override(store, a, "Group", 3)
    assert d.visible_to(store, a, user(store, 12)) and not d.visible_to(store, a, user(store, 14))


def test_observers_see_what_an_observee_sees(store):
    a = assignment(store, only_visible_to_overrides=True)
    override(store, a, "ADHOC", students=[7])
    observe(store, 5, 6)
    assert not d.visible_to(store, a, user(store, 5))
    observe(store, 5, 7)
    assert d.visible_to(store, a, user(store, 5))


def test_a_course_override_shows_it_to_every_enrolled_student(store):
    a = assignment(store, only_visible_to_overrides=True)
    override(store, a, "Course", 1)
    assert d.visible_to(store, a, user(store, 6)) and d.visible_to(store, a, user(store, 19))
    assert d.visible_student_ids(store, a) == COURSE_STUDENTS


def test_unassigning_overrides_hide_it(store):
    a = assignment(store)
    override(store, a, "ADHOC", students=[6], unassign_item=True)
    assert not d.visible_to(store, a, user(store, 6)) and d.visible_to(store, a, user(store, 8))
    override(store, a, "CourseSection", 2, unassign_item=True)
    assert not d.visible_to(store, a, user(store, 7))
    override(store, a, "ADHOC", students=[9])  # an ADHOC assignment beats the section's unassign
    assert d.visible_to(store, a, user(store, 9))
    assert d.visible_student_ids(store, a) == [8, 9, 10, 12, 14, 16, 18]


def test_visible_student_ids(store):
    a = assignment(store)
    assert d.visible_student_ids(store, a) == COURSE_STUDENTS
    e = next(x for x in store.courses.enrollments_of(19, 1))
    store._update("enrollments", e, workflow_state="rejected")
    assert d.visible_student_ids(store, a) == COURSE_STUDENTS[:-1]
    b = assignment(store, only_visible_to_overrides=True, group_category_id=1)
    assert d.visible_student_ids(store, b) == []
    override(store, b, "CourseSection", 2)
    assert d.visible_student_ids(store, b) == [7, 9, 11, 13, 15, 17]
    override(store, b, "ADHOC", students=[6])
    override(store, b, "Group", 1)
    assert d.visible_student_ids(store, b) == [6, 7, 8, 9, 11, 13, 15, 17]
    assert d.visible_student_ids(store, assignment(store, course_id=2)) == [6, 8]


# -- all_dates ---------------------------------------------------------------------------------
def test_all_dates_for_teachers(store):
    a = assignment(store, due_at=T(10), unlock_at=T(1))
    sec = override(store, a, "CourseSection", 1, title="Section A", due_at=T(3))
    adhoc = override(store, a, "ADHOC", students=[7], title="1 student", lock_at=T(25))
    got = d.all_dates(store, a, user(store, 2))
    assert got == [
        {"id": sec.id, "due_at": "2030-05-03T12:00:00Z", "unlock_at": None, "lock_at": None, "title": "Section A",
         "set_type": "CourseSection", "set_id": 1},
        {"due_at": "2030-05-10T12:00:00Z", "unlock_at": "2030-05-01T12:00:00Z", "lock_at": None, "base": True},
        {"id": adhoc.id, "due_at": None, "unlock_at": None, "lock_at": "2030-05-25T12:00:00Z", "title": "1 student",
         "set_type": "ADHOC", "set_id": None},
    ]
    assert [list(e) for e in got][:2] == [["id", "due_at", "unlock_at", "lock_at", "title", "set_type", "set_id"],
                                          ["due_at", "unlock_at", "lock_at", "base"]]
    assert d.all_dates(store, a, None) == got
    assert d.all_dates(store, a, user(store, 1)) == got
    assert d.override_count(store, a) == 2


def test_all_dates_drops_the_base_when_every_section_is_overridden(store):
    a = assignment(store, due_at=T(10))
    override(store, a, "CourseSection", 1, due_at=T(3))
    assert any(e.get("base") for e in d.all_dates(store, a, user(store, 2)))
    override(store, a, "CourseSection", 2, due_at=T(4))
    assert [e["due_at"] for e in d.all_dates(store, a, user(store, 2))] == ["2030-05-03T12:00:00Z",
                                                                            "2030-05-04T12:00:00Z"]


def test_all_dates_without_a_base_for_only_visible_to_overrides(store):
    a = assignment(store, due_at=T(10), only_visible_to_overrides=True)
    override(store, a, "ADHOC", students=[6], due_at=T(4))
    assert [e.get("base") for e in d.all_dates(store, a, user(store, 2))] == [None]
    assert d.all_dates(store, a, user(store, 7)) == []


def test_all_dates_for_students_and_observers(store):
    a = assignment(store, due_at=T(10))
    sec = override(store, a, "CourseSection", 1, title="Section A", due_at=T(3))
    assert d.all_dates(store, a, user(store, 6)) == [
        {"id": sec.id, "due_at": "2030-05-03T12:00:00Z", "unlock_at": None, "lock_at": None, "title": "Section A",
         "set_type": "CourseSection", "set_id": 1}]
    base = {"due_at": "2030-05-10T12:00:00Z", "unlock_at": None, "lock_at": None, "base": True}
    assert d.all_dates(store, a, user(store, 7)) == [base]
    observe(store, 5, 7)
    observe(store, 5, 9)
    assert d.all_dates(store, a, user(store, 5)) == [base]  # one entry for both observees
    observe(store, 5, 6)
    assert [e.get("id") for e in d.all_dates(store, a, user(store, 5))] == [sec.id, None]


# -- the store operations the assignments area calls -------------------------------------------
def test_replace_all_takes_rails_indexed_hashes_and_refuses_anything_else(store):
    from mockcanvas.errors import Invalid

    a = assignment(store)
    kept = override(store, a, "CourseSection", 1, title="Section A")
    out = store.assignment_overrides.replace_all(a, {"1": {"student_ids": ["7"]},
                                                     "0": {"id": str(kept.id), "due_at": "2030-05-03T12:00:00Z"}})
    assert [o.set_type for o in out] == ["CourseSection", "ADHOC"]
    assert (kept.due_at, kept.due_at_overridden) == (T(3), True)
    assert [o.id for o in store.assignment_overrides.active(a.id)] == [kept.id, out[1].id]
    for bad in ({"a": {}}, {"1": {}}, "x", None):
        with pytest.raises(Invalid) as info:
            store.assignment_overrides.replace_all(a, bad)
        assert info.value.body() == {"errors": {"base": [{"attribute": "base", "type": "invalid override data",
                                                          "message": "invalid override data"}]}}
    store.assignment_overrides.replace_all(a, [])
    assert store.assignment_overrides.active(a.id) == []


def test_drop_group_overrides(store):
    a = assignment(store, group_category_id=1)
    group = override(store, a, "Group", 1)
    section = override(store, a, "CourseSection", 1)
    store.live_events.clear()
    store.assignment_overrides.drop_group_overrides(a)
    assert store.assignment_overrides.active(a.id) == [section]
    assert group.workflow_state == "deleted"
    assert [(e.name, e.body["workflow_state"]) for e in store.live_events.all()
            if e.name.startswith("assignment_override")] == [("assignment_override_updated", "deleted")]

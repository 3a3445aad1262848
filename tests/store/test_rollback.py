"""Snapshot and rollback restore the world in place, touching only what changed."""

from __future__ import annotations

from mockcanvas.store import Store
from mockcanvas.store.groups import GroupInput


def small_store() -> Store:
    s = Store()
    s.insert("accounts", name="Root")
    teacher = s.insert("users", name="Ann Teacher", sortable_name="Teacher, Ann", short_name="Ann")
    student = s.insert("users", name="Stu Dent", sortable_name="Dent, Stu", short_name="Stu")
    s.insert("courses", name="C", course_code="C", account_id=1, root_account_id=1)
    s.insert("sections", course_id=1, name="S")
    s.insert("enrollments", user_id=teacher.id, course_id=1, course_section_id=1, type="TeacherEnrollment")
    s.insert("enrollments", user_id=student.id, course_id=1, course_section_id=1)
    s.insert("group_categories", name="PG", context_type="Course", context_id=1, root_account_id=1)
    s.add_token("t", teacher.id)
    s.snapshot()
    return s


def test_rollback_undoes_inserts_updates_and_index_changes():
    s = small_store()
    teacher, student = s.get("users", 1), s.get("users", 2)
    cat = s.get("group_categories", 1)
    g = s.groups.create(teacher, GroupInput(name="Zeta"), cat)
    s.groups.update(teacher, g, GroupInput(name="Alpha", members=[str(student.id)]))
    s.add_token("extra", 2)
    assert s.changed_rows > 0
    s.rollback()
    assert s.get("groups", g.id) is None
    assert s.rows["memberships"] == {}
    assert s.idx["groups"]["by_context"].keys(("Course", 1)) == []
    assert s.idx["memberships"]["by_user"].ids(student.id) == []
    assert "extra" not in s.tokens and "t" in s.tokens
    assert s.changed_rows == 0
    # ids start again where the snapshot left them
    assert s.groups.create(teacher, GroupInput(name="Again"), cat).id == g.id


def test_rollback_restores_updated_rows_and_keeps_identity_of_the_store():
    s = small_store()
    tables = s.rows
    user = s.get("users", 2)
    s._update("users", user, name="Changed")
    s.rollback()
    assert s.get("users", 2).name == "Stu Dent"
    assert s.rows is tables


def test_rollback_cost_is_proportional_to_changes():
    s = small_store()
    for i in range(2000):
        s.insert("users", name=f"U{i}", sortable_name=f"U{i}", short_name=f"U{i}")
    s.snapshot()
    s._update("users", s.get("users", 5), name="x")
    assert s.changed_rows == 1
    s.rollback()
    assert s.get("users", 5).name == "U2"

"""GET /courses/:id/sections (SectionsController#index)"""

from __future__ import annotations


# -- GET /api/v1/courses/:id/sections ----------------------------------------------------------

def test_course_sections(api):
    r = api.get("/api/v1/courses/1/sections")
    assert r.status == 200
    assert [(s["id"], s["name"], s["course_id"]) for s in r.json()] == [(1, "Section A", 1), (2, "Section B", 1)]
    assert [s["sis_section_id"] for s in r.json()] == ["MOCK101-A", "MOCK101-B"]
    assert all("total_students" not in s for s in r.json())


def test_course_sections_total_students(api):
    r = api.get("/api/v1/courses/1/sections?include[]=total_students")
    totals = {s["name"]: s["total_students"] for s in r.json()}
    assert totals == {"Section A": 7, "Section B": 7}
    assert "students" not in r.json()[0]


def test_course_sections_for_a_student(api):
    r = api.get("/api/v1/courses/1/sections", token="student-token")
    assert r.status == 200 and len(r.json()) == 2
    assert all("sis_section_id" not in s for s in r.json())
    assert api.get("/api/v1/courses/1/sections", token="outsider-token").status == 401

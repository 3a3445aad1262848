"""Creating, editing and deleting assignment groups (AssignmentGroupsApiController#create, #update,
#destroy), the drop rules, and the assignment_group_created / _updated live events
(canvas-facts-assignments sections 8 and 9). "Nothing changed" is no write and no live event.
"""

from __future__ import annotations

import pytest
from assignments_support import arrange_assignment as assignment
from assignments_support import arrange_group as group
from assignments_support import invalid, mark, unchanged
from canvas_bodies import NOT_FOUND, UNAUTHENTICATED, UNAUTHORIZED, ids

URL = "/api/v1/courses/1/assignment_groups"
NEGATIVE = "Drop rules must be a positive number"
TOO_HIGH = "Drop rules cannot be higher than the number of assignments"
EVENT_KEYS = ["assignment_group_id", "context_id", "context_type", "name", "position", "group_weight",
              "sis_source_id", "integration_data", "rules", "workflow_state"]
GENERIC_400 = {"errors": [{"message": "An error occurred.", "error_code": "bad_request"}]}


@pytest.fixture
def tokens(store):
    store.add_token("designer-token", 4)
    store.add_token("observer-token", 5)


# -- create ------------------------------------------------------------------------------------
def test_create_with_every_field(api, store):
    r = api.post(URL, data={"name": "Quizzes", "position": "3", "group_weight": "25.5", "sis_source_id": "Q-1",
                            "integration_data[tool]": "x", "rules[never_drop][]": ["12", "7"]})
    assert r.status == 200  # not 201
    body = r.json()
    g = store.get("assignment_groups", body["id"])
    assert body == {"id": g.id, "name": "Quizzes", "position": 3, "group_weight": 25.5, "sis_source_id": "Q-1",
                    "integration_data": {"tool": "x"}, "rules": {"never_drop": [12, 7]}}
    assert g.rules == "never_drop:12\nnever_drop:7\n" and g.course_id == 1
    assert api.get(f"{URL}/{g.id}").json() == body
    (event,) = store.live_events.all()
    assert event.name == "assignment_group_created"
    assert list(event.body) == EVENT_KEYS
    assert event.body == {"assignment_group_id": str(g.id), "context_id": "1", "context_type": "Course",
                          "name": "Quizzes", "position": 3, "group_weight": 25.5, "sis_source_id": "Q-1",
                          "integration_data": {"tool": "x"}, "rules": "never_drop:12\nnever_drop:7\n",
                          "workflow_state": "available"}
    assert event.metadata["context_type"] == "Course" and event.metadata["context_id"] == "1"
    assert event.metadata["user_id"] == "2"


def test_create_with_nothing_gives_canvas_defaults(api, store):
    r = api.post(URL)
    assert r.status == 200
    body = r.json()
    assert body == {"id": body["id"], "name": "Assignments", "position": 1, "group_weight": 0.0,
                    "sis_source_id": None, "integration_data": {}, "rules": {}}
    assert '"group_weight":0.0' in r.text
    assert store.live_events.all()[0].body["rules"] is None  # no rules were ever set


def test_new_groups_go_to_the_end(api, store):
    group(store, name="Far", position=7)
    group(store, name="Gone", position=20, workflow_state="deleted")
    assert api.post(URL, data={"name": "Next"}).json()["position"] == 8
    assert api.post(URL, data={"name": "Then"}).json()["position"] == 9
    assert api.post("/api/v1/courses/2/assignment_groups", data={"name": "First"}).json()["position"] == 1


def test_create_json_body_and_nested_params_ignored(api, store):
    r = api.post(URL, json={"name": "From JSON", "group_weight": 10, "rules": {"never_drop": [1]},
                            "integration_data": {"a": {"b": [1, 2]}}})
    assert r.json()["name"] == "From JSON" and r.json()["group_weight"] == 10.0
    assert r.json()["integration_data"] == {"a": {"b": [1, 2]}}
    r = api.post(URL, data={"assignment_group[name]": "Nested", "assignment_group[group_weight]": "50"})
    assert (r.json()["name"], r.json()["group_weight"]) == ("Assignments", 0.0)


@pytest.mark.parametrize("value,expected", [("abc", 0.0), ("", 0.0), ("12.5abc", 12.5), (" 3", 3.0), ("1e2", 100.0),
                                            ("-5", -5.0), ("NaN", 0.0), ("1_000.5", 1000.5), (".5", 0.5)])
def test_group_weight_float_cast(api, value, expected):
    assert api.post(URL, data={"group_weight": value}).json()["group_weight"] == expected


def test_infinite_weight_is_stored_and_shown_as_null(api, store):
    r = api.post(URL, data={"group_weight": "Infinity"})
    assert r.status == 200 and r.json()["group_weight"] is None
    assert store.live_events.all()[0].body["group_weight"] is None


@pytest.mark.parametrize("value,expected", [("2.9", 2), ("12abc", 12), ("abc", 0), ("-3", -3), ("", 1)])
def test_position_integer_cast(api, value, expected):
    assert api.post(URL, data={"position": value}).json()["position"] == expected


@pytest.mark.parametrize("value", ["2147483648", "-2147483649", "99999999999999999999999"])
def test_position_beyond_an_integer_column(api, store, value):
    since = mark(store)
    r = api.post(URL, data={"position": value})
    assert (r.status, r.json()) == (400, GENERIC_400)
    unchanged(store, since)
    assert api.post(URL, data={"position": "2147483647"}).json()["position"] == 2147483647


@pytest.mark.parametrize("name", ["<b>bold</b><script>x()</script>", "Ünïcødé ✓ 日本", "tab\tand\nnewline",
                                  "Robert'); DROP TABLE groups;--"])
def test_hostile_names_are_kept_as_given(api, store, name):
    r = api.post(URL, data={"name": name})
    assert r.status == 200 and r.json()["name"] == name
    assert store.get("assignment_groups", r.json()["id"]).name == name
    if "<" in name:
        assert "\\u003cscript\\u003e" in r.text


@pytest.mark.parametrize("name", ["", "   ", "\t\n"])
def test_blank_name_is_assignments(api, name):
    assert api.post(URL, data={"name": name}).json()["name"] == "Assignments"


def test_name_too_long(api, store):
    since = mark(store)
    r = api.post(URL, data={"name": "x" * 256})
    assert (r.status, r.json()) == (400, invalid("name", "is too long (maximum is 255 characters)", "too_long"))
    unchanged(store, since)
    assert api.post(URL, data={"name": "x" * 255}).status == 200


def test_hash_and_array_values_of_scalar_fields_are_dropped(api):
    r = api.post(URL, data={"name[a]": "x", "group_weight[]": "5", "sis_source_id[x]": "y", "position[]": "4"})
    assert r.status == 200
    assert (r.json()["name"], r.json()["group_weight"], r.json()["sis_source_id"], r.json()["position"]) == (
        "Assignments", 0.0, None, 1)


def test_integration_data_that_is_not_a_hash_is_ignored(api):
    for data in ({"integration_data": ""}, {"integration_data": "abc"}, {"integration_data[]": "1"}):
        assert api.post(URL, data=data).json()["integration_data"] == {}


@pytest.mark.parametrize("token", ["teacher-token", "ta-token", "designer-token", "admin-token"])
def test_who_may_create(api, tokens, token):
    assert api.post(URL, token=token, data={"name": "Mine"}).status == 200


@pytest.mark.parametrize("token", ["student-token", "observer-token", "outsider-token"])
def test_who_may_not_create(api, store, tokens, token):
    since = mark(store)
    r = api.post(URL, token=token, data={"name": "Nope", "rules[drop_lowest]": "5"})
    assert (r.status, r.json()) == (401, UNAUTHORIZED)  # refused before any validation
    unchanged(store, since)


def test_create_without_token_and_in_unknown_course(api, store):
    since = mark(store)
    r = api.post(URL, token=None, data={"name": "x"})
    assert (r.status, r.json()) == (401, UNAUTHENTICATED)
    r = api.post("/api/v1/courses/999/assignment_groups", data={"name": "x"})
    assert (r.status, r.json()) == (404, NOT_FOUND)
    unchanged(store, since)


# -- the drop rules -----------------------------------------------------------------------------
def test_a_new_group_cannot_drop_any_assignment(api, store):
    since = mark(store)
    r = api.post(URL, data={"name": "Quizzes", "rules[drop_lowest]": "1"})
    assert (r.status, r.json()) == (400, invalid("rules", TOO_HIGH))
    r = api.post(URL, data={"name": "Quizzes", "rules[drop_highest]": "1"})
    assert (r.status, r.json()) == (400, invalid("rules", TOO_HIGH))
    unchanged(store, since)
    r = api.post(URL, data={"rules[drop_lowest]": "0", "rules[drop_highest]": "0"})
    assert (r.status, r.json()["rules"]) == (200, {"drop_lowest": 0, "drop_highest": 0})


def test_drop_rules_against_the_assignment_count(api, store):
    g = group(store)
    assignment(store, g, "one")
    assignment(store, g, "gone", workflow_state="deleted")  # not counted
    r = api.put(f"{URL}/{g.id}", data={"rules[drop_lowest]": "1", "rules[drop_highest]": "1"})
    assert (r.status, r.json()["rules"]) == (200, {"drop_lowest": 1, "drop_highest": 1})  # each, not the sum
    since = mark(store)
    r = api.put(f"{URL}/{g.id}", data={"rules[drop_lowest]": "2"})
    assert (r.status, r.json()) == (400, invalid("rules", TOO_HIGH))
    r = api.put(f"{URL}/{g.id}", data={"rules[drop_lowest]": "1", "rules[drop_highest]": "2"})
    assert (r.status, r.json()) == (400, invalid("rules", TOO_HIGH))
    unchanged(store, since)
    assert store.get("assignment_groups", g.id).rules == "drop_lowest:1\ndrop_highest:1\n"


@pytest.mark.parametrize("rules", [{"rules[drop_lowest]": "-1"}, {"rules[drop_highest]": "-1"},
                                   {"rules[drop_lowest]": "-1", "rules[drop_highest]": "99"}])
def test_negative_drop_rules(api, store, rules):
    g = group(store)
    assignment(store, g)
    since = mark(store)
    r = api.put(f"{URL}/{g.id}", data=rules)
    assert (r.status, r.json()) == (400, invalid("rules", NEGATIVE))
    unchanged(store, since)


@pytest.mark.parametrize("value,stored", [("1.9", 1), ("1abc", 1), ("abc", 0), ("", 0), (" 1", 1)])
def test_drop_values_are_to_i(api, store, value, stored):
    g = group(store)
    assignment(store, g)
    r = api.put(f"{URL}/{g.id}", data={"rules[drop_lowest]": value})
    assert (r.status, r.json()["rules"]) == (200, {"drop_lowest": stored})


def test_json_rules_values(api, store):
    g = group(store)
    assignment(store, g)
    assignment(store, g, "two")
    r = api.put(f"{URL}/{g.id}", json={"rules": {"drop_lowest": 1.1, "drop_highest": None, "never_drop": [5, "6"]}})
    assert r.json()["rules"] == {"drop_lowest": 1, "never_drop": [5, 6]}
    r = api.put(f"{URL}/{g.id}", json={"rules": {"drop_lowest": 2.9, "drop_highest": False}})
    assert r.json()["rules"] == {"drop_lowest": 2}


def test_rules_replace_every_rule(api, store):
    g = group(store, rules="drop_lowest:1\nnever_drop:4\n")
    assignment(store, g)
    r = api.put(f"{URL}/{g.id}", data={"rules[drop_highest]": "1"})
    assert r.json()["rules"] == {"drop_highest": 1}  # never_drop and drop_lowest are gone
    r = api.put(f"{URL}/{g.id}", data={"name": "Renamed"})
    assert r.json()["rules"] == {"drop_highest": 1}  # rules not sent: kept


def test_null_rules_clear_them_without_validation(api, store):
    g = group(store, rules="drop_lowest:5\n")  # more than the group's assignments: never checked
    r = api.put(f"{URL}/{g.id}", json={"rules": None})
    assert (r.status, r.json()["rules"]) == (200, {})
    assert store.get("assignment_groups", g.id).rules is None


def test_a_scalar_rules_value_is_stored_as_raw_text(api, store):
    g = group(store)
    assignment(store, g)
    r = api.put(f"{URL}/{g.id}", data={"rules": "drop_lowest:1"})
    assert (r.status, r.json()["rules"]) == (200, {"drop_lowest": 1})
    r = api.put(f"{URL}/{g.id}", data={"rules": "drop_lowest:3"})
    assert (r.status, r.json()) == (400, invalid("rules", TOO_HIGH))
    r = api.put(f"{URL}/{g.id}", data={"rules": "nonsense"})
    assert (r.status, r.json()["rules"]) == (200, {})
    assert store.live_events.all()[-1].body["rules"] == "nonsense"


def test_a_newline_in_never_drop_is_a_rule_line_of_its_own(api, store):
    g = group(store)
    assignment(store, g)
    r = api.put(f"{URL}/{g.id}", data={"rules[never_drop][]": "1\ndrop_lowest:9"})
    assert (r.status, r.json()) == (400, invalid("rules", TOO_HIGH))
    r = api.put(f"{URL}/{g.id}", data={"rules[never_drop][]": "1\ndrop_lowest:1"})
    assert r.json()["rules"] == {"never_drop": [1], "drop_lowest": 1}


def test_never_drop_ids_are_not_checked(api, store):
    g = group(store)
    r = api.put(f"{URL}/{g.id}", data={"rules[never_drop][]": ["999", "abc"]})
    assert (r.status, r.json()["rules"]) == (200, {"never_drop": [999, 0]})
    r = api.get(f"{URL}/{g.id}", headers={"Accept": "application/json+canvas-string-ids"})
    assert r.json()["rules"]["never_drop"] == ["999", "abc"]


def test_rules_array_and_odd_values_do_not_fail(api, store):
    g = group(store)
    for data in ({"rules[]": "1"}, {"rules[drop_lowest][x]": "1"}, {"rules[never_drop][a]": "5"}):
        r = api.put(f"{URL}/{g.id}", data=data)
        assert r.status == 200, data
    assert r.json()["rules"] == {"never_drop": [5]}


def test_rules_too_long(api, store):
    g = group(store)
    since = mark(store)
    r = api.put(f"{URL}/{g.id}", data={"rules[never_drop][]": [str(10**19 + i) for i in range(2100)]})  # 2100 x 32
    assert (r.status, r.json()) == (400, invalid("rules", "is too long (maximum is 65535 characters)", "too_long"))
    unchanged(store, since)


def test_name_and_rules_errors_together(api, store):
    r = api.post(URL, data={"name": "y" * 300, "rules[drop_lowest]": "2"})
    assert r.status == 400
    assert r.json() == {"errors": {
        "name": [{"attribute": "name", "type": "too_long", "message": "is too long (maximum is 255 characters)"}],
        "rules": [{"attribute": "rules", "type": TOO_HIGH, "message": TOO_HIGH}]}}


# -- update ------------------------------------------------------------------------------------
def test_update_changes_only_what_is_sent(api, store):
    g = group(store, name="Homework", group_weight=10.0, sis_source_id="HW", rules="never_drop:3\n",
              integration_data='{"a": "1", "b": "2"}')
    r = api.put(f"{URL}/{g.id}", data={"group_weight": "35", "integration_data[b]": "20", "integration_data[c]": "3"})
    assert r.status == 200
    assert r.json() == {"id": g.id, "name": "Homework", "position": 1, "group_weight": 35.0, "sis_source_id": "HW",
                        "integration_data": {"a": "1", "b": "20", "c": "3"}, "rules": {"never_drop": [3]}}
    (event,) = store.live_events.all()
    assert event.name == "assignment_group_updated"
    assert event.body["group_weight"] == 35.0 and event.body["integration_data"] == {"a": "1", "b": "20", "c": "3"}
    assert event.body["rules"] == "never_drop:3\n"


def test_update_position_keeps_the_others(api, store):
    a, b, c = group(store, name="A"), group(store, name="B"), group(store, name="C")
    r = api.put(f"{URL}/{c.id}", data={"position": "1"})
    assert r.json()["position"] == 1
    assert [store.get("assignment_groups", x.id).position for x in (a, b, c)] == [1, 2, 1]
    assert ids(api.get(URL)) == [a.id, c.id, b.id]  # position, then name


def test_update_blank_name_and_weight(api, store):
    g = group(store, name="Labs", group_weight=20.0)
    r = api.put(f"{URL}/{g.id}", data={"name": "", "group_weight": ""})
    assert (r.json()["name"], r.json()["group_weight"]) == ("Assignments", 0.0)


def test_update_sis_source_id_and_clear_with_json_null(api, store):
    g = group(store)
    assert api.put(f"{URL}/{g.id}", data={"sis_source_id": "S1"}).json()["sis_source_id"] == "S1"
    assert api.put(f"{URL}/{g.id}", json={"sis_source_id": None}).json()["sis_source_id"] is None


def test_an_update_that_changes_nothing_writes_nothing(api, store):
    g = group(store, name="Same", group_weight=5.0)
    since = mark(store)
    r = api.put(f"{URL}/{g.id}", data={"name": "Same", "group_weight": "5", "bogus": "1"})
    assert r.status == 200 and r.json()["name"] == "Same"
    unchanged(store, since)
    r = api.put(f"{URL}/{g.id}")
    assert r.status == 200
    unchanged(store, since)


@pytest.mark.parametrize("token", ["teacher-token", "ta-token", "designer-token", "admin-token"])
def test_who_may_update(api, store, tokens, token):
    g = group(store)
    assert api.put(f"{URL}/{g.id}", token=token, data={"name": token}).json()["name"] == token


@pytest.mark.parametrize("token", ["student-token", "observer-token", "outsider-token"])
def test_who_may_not_update(api, store, tokens, token):
    g = group(store)
    since = mark(store)
    r = api.put(f"{URL}/{g.id}", token=token, data={"name": "x"})
    assert (r.status, r.json()) == (401, UNAUTHORIZED)
    unchanged(store, since)


def test_update_unknown_deleted_or_foreign_group(api, store):
    gone = group(store, name="Gone", workflow_state="deleted")
    other = group(store, course_id=2)
    since = mark(store)
    for ref in (gone.id, other.id, 999, "abc", "99999999999999999999999"):
        r = api.put(f"{URL}/{ref}", data={"name": "x"})
        assert (r.status, r.json()) == (404, NOT_FOUND)
    r = api.put(f"{URL}/999", token="outsider-token", data={"name": "x"})
    assert (r.status, r.json()) == (404, NOT_FOUND)  # looked up before the permission check
    unchanged(store, since)


# -- delete ------------------------------------------------------------------------------------
def test_delete_an_empty_group(api, store):
    g = group(store, name="Empty", group_weight=5.0)
    r = api.delete(f"{URL}/{g.id}")
    assert r.status == 200
    assert r.json() == {"id": g.id, "name": "Empty", "position": 1, "group_weight": 5.0, "sis_source_id": None,
                        "integration_data": {}, "rules": {}}  # no state key: looks unchanged
    assert store.get("assignment_groups", g.id).workflow_state == "deleted"
    assert api.get(f"{URL}/{g.id}").status == 404
    assert api.get(URL).json() == []
    assert api.delete(f"{URL}/{g.id}").status == 404
    (event,) = store.live_events.all()
    assert (event.name, event.body["workflow_state"]) == ("assignment_group_updated", "deleted")


def test_delete_deletes_the_assignments(api, store):
    g = group(store)
    a, b = assignment(store, g, "a"), assignment(store, g, "b", workflow_state="unpublished")
    already = assignment(store, g, "c", workflow_state="deleted")
    r = api.delete(f"{URL}/{g.id}")
    assert r.status == 200
    assert [store.get("assignments", x.id).workflow_state for x in (a, b, already)] == ["deleted"] * 3
    names = store.live_events.names()
    assert names == ["assignment_updated", "assignment_updated", "assignment_group_updated"]
    assert [e.body["assignment_id"] for e in store.live_events.all()[:2]] == [str(a.id), str(b.id)]


def test_delete_moves_the_assignments_to_the_end_of_another_group(api, store):
    g, target = group(store, name="Old"), group(store, name="New")
    t1 = assignment(store, target, "t1")
    a, b = assignment(store, g, "a"), assignment(store, g, "b", workflow_state="unpublished")
    gone = assignment(store, g, "gone", workflow_state="deleted")
    r = api.delete(f"{URL}/{g.id}", data={"move_assignments_to": str(target.id)})  # in the form body
    assert r.status == 200
    moved = [store.get("assignments", x.id) for x in (t1, a, b)]
    assert [(x.assignment_group_id, x.position, x.workflow_state) for x in moved] == [
        (target.id, 1, "published"), (target.id, 2, "published"), (target.id, 3, "unpublished")]
    assert store.get("assignments", gone.id).assignment_group_id == g.id
    assert store.live_events.names() == ["assignment_group_updated"]  # update_all: no assignment events
    body = api.get(f"{URL}/{target.id}", params={"include[]": "assignments"}).json()
    assert [x["id"] for x in body["assignments"]] == [t1.id, a.id, b.id]


def test_delete_with_move_in_the_query_string(api, store):
    g, target = group(store, name="Old"), group(store, name="New")
    a = assignment(store, g)
    r = api.delete(f"{URL}/{g.id}?move_assignments_to={target.id}")
    assert r.status == 200 and store.get("assignments", a.id).assignment_group_id == target.id


@pytest.mark.parametrize("ref", ["999", "", "abc", "99999999999999999999999"])
def test_delete_moving_to_an_unknown_group_is_404_and_changes_nothing(api, store, ref):
    g = group(store)
    assignment(store, g)
    since = mark(store)
    r = api.delete(f"{URL}/{g.id}", data={"move_assignments_to": ref})
    assert (r.status, r.json()) == (404, NOT_FOUND)
    unchanged(store, since)


@pytest.mark.parametrize("body", [{"move_assignments_to": [1, 2]}, {"move_assignments_to": {"id": 1}}])
def test_delete_moving_to_an_array_or_hash_is_400_and_deletes_nothing(api, store, body):
    g, target = group(store, name="Old"), group(store, name="New")
    a = assignment(store, g)
    body["move_assignments_to"] = [target.id] * 2 if isinstance(body["move_assignments_to"], list) else {"id": target.id}
    since = mark(store)
    r = api.delete(f"{URL}/{g.id}", json=body)
    assert r.status == 400 and "move_assignments_to" in r.json()["errors"][0]["message"]
    unchanged(store, since)
    assert store.get("assignments", a.id).workflow_state == "published"


def test_delete_moving_to_a_deleted_or_foreign_group_is_404(api, store):
    g = group(store)
    assignment(store, g)
    gone = group(store, name="Gone", workflow_state="deleted")
    other = group(store, course_id=2)
    for target in (gone, other):
        r = api.delete(f"{URL}/{g.id}", data={"move_assignments_to": str(target.id)})
        assert (r.status, r.json()) == (404, NOT_FOUND)
    assert store.get("assignment_groups", g.id).workflow_state == "available"


def test_an_empty_group_ignores_move_assignments_to(api, store):
    g = group(store)
    r = api.delete(f"{URL}/{g.id}", data={"move_assignments_to": "999"})
    assert r.status == 200 and store.get("assignment_groups", g.id).workflow_state == "deleted"


@pytest.mark.parametrize("token", ["teacher-token", "ta-token", "designer-token", "admin-token"])
def test_who_may_delete(api, store, tokens, token):
    g = group(store)
    assert api.delete(f"{URL}/{g.id}", token=token).status == 200


@pytest.mark.parametrize("token", ["student-token", "observer-token", "outsider-token"])
def test_who_may_not_delete(api, store, tokens, token):
    g = group(store)
    assignment(store, g)
    since = mark(store)
    r = api.delete(f"{URL}/{g.id}", token=token, data={"move_assignments_to": "999"})
    assert (r.status, r.json()) == (401, UNAUTHORIZED)  # refused before the target is looked up
    unchanged(store, since)


def test_delete_unknown_group(api, store):
    since = mark(store)
    for path in (f"{URL}/999", "/api/v1/courses/999/assignment_groups/1"):
        r = api.delete(path)
        assert (r.status, r.json()) == (404, NOT_FOUND)
    unchanged(store, since)


def test_the_first_assignment_of_a_course_makes_the_assignments_group(api, store):
    r = api.post("/api/v1/courses/2/assignments", data={"assignment[name]": "First"})
    assert r.status == 201
    events = store.live_events.all()
    assert [e.name for e in events][:2] == ["assignment_group_created", "assignment_created"]
    gid = r.json()["assignment_group_id"]
    assert events[0].body == {"assignment_group_id": str(gid), "context_id": "2", "context_type": "Course",
                              "name": "Assignments", "position": 1, "group_weight": 0.0, "sis_source_id": None,
                              "integration_data": {}, "rules": None, "workflow_state": "available"}
    assert ids(api.get("/api/v1/courses/2/assignment_groups")) == [gid]

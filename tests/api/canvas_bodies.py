"""Canvas's answers and small helpers that many API test modules share."""

from __future__ import annotations

NOT_FOUND = {"errors": [{"message": "The specified resource does not exist."}]}
UNAUTHORIZED = {"status": "unauthorized", "errors": [{"message": "user not authorized to perform that action"}]}
UNAUTHENTICATED = {"status": "unauthenticated", "errors": [{"message": "user authorization required"}]}
SEARCH_TERM_TOO_SHORT = {"errors": [{"field": "search_term", "code": "invalid",
                                     "message": "2 or more characters is required"}]}
# the students of course 1 in the default world
STUDENT_IDS = {6, 7, *range(8, 20)}


def ids(resp) -> list:
    """The ``id`` of each item of a list answer."""
    return [x["id"] for x in resp.json()]


def by_sortable(store, user_ids) -> list[int]:
    """User ids in Canvas's roster order: sortable name (case-insensitive), then id."""
    users = [store.get("users", i) for i in user_ids]
    return [u.id for u in sorted(users, key=lambda u: (u.sortable_name.casefold(), u.id))]

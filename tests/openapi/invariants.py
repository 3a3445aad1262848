"""Store invariants that any sequence of API calls must keep (checked after fuzzing).

``check_invariants(store)`` returns a list of violations (empty when all hold):

* every live membership (not ``deleted``) points at an existing group and an existing user; a live
  membership of a soft-deleted group is allowed (Canvas leaves memberships alone when a group or its
  category is deleted) but is left out of the rules below;
* at most one live membership per user among the live groups of a category that does not allow
  multiple memberships (``GroupCategory.allows_multiple_memberships``);
* the accepted-members index (``idx["memberships"]["accepted_by_group"]``, which is
  ``members_count``) agrees with a recount of accepted memberships;
* every group's category exists, and a live group's category is not deleted;
* a group's leader, when set, has a live membership of the group;
* every index agrees with a rebuild from the rows (the index contents are copied, the indexes
  rebuilt with ``store.rebuild_indexes()`` and compared).
"""

from __future__ import annotations

from collections import Counter, defaultdict
from typing import Any

from mockcanvas.store.base import SortedIndex, UniqueIndex


def _index_contents(store) -> dict[tuple[str, str], Any]:
    out: dict[tuple[str, str], Any] = {}
    for table, specs in store.idx.items():
        for name, ix in specs.items():
            if isinstance(ix, SortedIndex):
                out[(table, name)] = {k: list(v) for k, v in ix.buckets.items() if v}
            elif isinstance(ix, UniqueIndex):
                out[(table, name)] = dict(ix.map)
    return out


def check_invariants(store) -> list[str]:
    problems: list[str] = []
    with store.lock:
        groups, users = store.rows["groups"], store.rows["users"]
        categories, memberships = store.rows["group_categories"], store.rows["memberships"]
        per_category: dict[tuple[int, int], list[int]] = defaultdict(list)
        accepted = Counter()
        for m in memberships.values():
            if m.workflow_state == "accepted":
                accepted[m.group_id] += 1
            if m.workflow_state == "deleted":
                continue
            g = groups.get(m.group_id)
            if g is None:
                problems.append(f"membership {m.id} points at missing group {m.group_id}")
                continue
            if m.user_id not in users:
                problems.append(f"membership {m.id} points at missing user {m.user_id}")
            if g.workflow_state == "deleted":
                continue
            cat = categories.get(g.group_category_id) if g.group_category_id else None
            if cat is not None and not cat.allows_multiple_memberships:
                per_category[(cat.id, m.user_id)].append(m.id)
        for (cat_id, user_id), ids in sorted(per_category.items()):
            if len(ids) > 1:
                problems.append(f"user {user_id} has {len(ids)} live memberships {ids} in category {cat_id}, "
                                "which allows one")
        index = store.idx["memberships"]["accepted_by_group"]
        for gid in set(accepted) | {k for k, v in index.buckets.items() if v}:
            if len(index.keys(gid)) != accepted[gid]:
                problems.append(f"group {gid}: accepted index has {len(index.keys(gid))} memberships, "
                                f"recount {accepted[gid]} (members_count)")
        for g in groups.values():
            if g.group_category_id is not None:
                cat = categories.get(g.group_category_id)
                if cat is None:
                    problems.append(f"group {g.id} points at missing category {g.group_category_id}")
                elif g.workflow_state != "deleted" and cat.deleted_at is not None:
                    problems.append(f"live group {g.id} is in deleted category {cat.id}")
            if g.leader_id is not None and g.workflow_state != "deleted":
                mid = store.idx["memberships"]["by_pair"].get((g.id, g.leader_id))
                if mid is None:
                    problems.append(f"group {g.id}: leader {g.leader_id} has no live membership")
        before = _index_contents(store)
        store.rebuild_indexes()
        after = _index_contents(store)
        for key in sorted(set(before) | set(after)):
            if before.get(key) != after.get(key):
                problems.append(f"index {key[0]}.{key[1]} differs from a rebuild: {_diff(before.get(key), after.get(key))}")
    return problems


def _diff(old: Any, new: Any) -> str:
    old, new = old or {}, new or {}
    keys = [k for k in set(old) | set(new) if old.get(k) != new.get(k)]
    parts = [f"{k!r}: {old.get(k)!r} (rebuilt {new.get(k)!r})" for k in sorted(keys, key=repr)[:3]]
    return "; ".join(parts) + (" ..." if len(keys) > 3 else "")

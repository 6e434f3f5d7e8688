"""The rules every tree node obeys, written once for both trees: where a node may be placed, that
it never moves under itself, and that it is not deleted while anything hangs from it."""

from collections.abc import Callable
from typing import TypeVar

from django.utils.translation import gettext as _
from treebeard.mp_tree import MP_Node

from .errors import ApplicationError
from .search_keys import search_key

N = TypeVar("N", bound=MP_Node)


def node_insert(*, node: N, parent: N | None) -> N:
    """Insert `node` as the last child of `parent` (or as a root)."""
    manager = type(node).objects
    if hasattr(node, "search_key"):
        node.search_key = search_key(node.name)  # type: ignore[attr-defined]
    if parent is None:
        return manager.add_root(instance=node)
    parent.refresh_from_db()  # numchild may be stale in the caller's copy
    return manager.add_child(parent, instance=node)


def node_move(*, node: N, new_parent: N, placement_check: Callable[[], None]) -> None:
    """Move a node and its subtree under `new_parent`. A cycle is refused first (it is the more
    fundamental mistake), then the tree's own placement rule runs."""
    node.refresh_from_db()
    new_parent.refresh_from_db()
    if new_parent.pk == node.pk or new_parent.path.startswith(node.path):
        raise ApplicationError(_("不能把节点移动到它自己或它的下级节点之下。"), field="parent")
    placement_check()
    type(node).objects.move(node, new_parent, "last-child")
    node.refresh_from_db()


def node_delete_guarded(*, node: MP_Node, blockers: list[tuple[Callable[[], int], str]]) -> None:
    """Delete a leaf node; refuse with the reason when it has children or dependent rows.

    treebeard's delete() silently removes the whole subtree, which is never what a secretary
    deleting one community means."""
    node.refresh_from_db()
    if node.numchild:
        raise ApplicationError(
            _("“%(name)s”下还有 %(count)s 个下级节点,请先移走或删除下级节点。")
            % {"name": node, "count": node.numchild}
        )
    for count, message in blockers:
        n = count()
        if n:
            raise ApplicationError(message % {"name": node, "count": n})
    node.delete()  # a leaf now; treebeard's delete keeps the parent's numchild right


def node_rename(*, node: MP_Node, name: str) -> str:
    """Give a node a new name and the pinyin key that finds it; returns the old name. The caller
    validates the name and audits the change, inside its transaction."""
    before: str = node.name  # type: ignore[attr-defined]
    node.name = name  # type: ignore[attr-defined]
    fields = ["name", "updated_at"]
    if hasattr(node, "search_key"):
        node.search_key = search_key(name)  # type: ignore[attr-defined]
        fields.append("search_key")
    node.save(update_fields=fields)
    return before

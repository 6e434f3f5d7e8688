"""Helpers for the materialised-path trees (django-treebeard MP_Node).

A subtree is every path that starts with the root's path. We filter with a range rather than
LIKE: on SQLite `LIKE 'p%'` cannot use the index on path (it is case-insensitive), the range can.
The upper bound pads the prefix with the alphabet's last character up to the column length."""

from collections.abc import Iterable

from django.db.models import Q

PATH_MAX_LENGTH = 255
_LAST_CHAR = "Z"  # the last character of treebeard's default alphabet 0-9A-Z


def subtree_range(path: str) -> tuple[str, str]:
    return (path, path + _LAST_CHAR * (PATH_MAX_LENGTH - len(path)))


def subtree_q(paths: Iterable[str], *, field: str = "path") -> Q:
    """A Q matching rows whose `field` lies in the subtree of any of `paths`.

    Nested paths are collapsed first (a grant on a street and one on a community inside it need
    one range). An empty input matches nothing."""
    roots = minimal_roots(paths)
    if not roots:
        return Q(pk__in=[])
    q = Q()
    for root in roots:
        q |= Q(**{f"{field}__range": subtree_range(root)})
    return q


def minimal_roots(paths: Iterable[str]) -> list[str]:
    """Drop every path that lies under another one in the list."""
    roots: list[str] = []
    for path in sorted(set(paths)):
        if roots and path.startswith(roots[-1]):
            continue
        roots.append(path)
    return roots


def is_within(path: str, roots: Iterable[str]) -> bool:
    return any(path.startswith(root) for root in roots)

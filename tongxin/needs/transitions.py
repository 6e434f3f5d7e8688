"""The lifecycle in one table: which step may leave which status, and where it lands.

Who may take a step is the policy's business (policies.py); this table only says whether the step
makes sense from the need's current status."""

from .models import EventKind as K
from .models import Status as S

OPEN = frozenset({S.SUBMITTED, S.ACCEPTED, S.DISPATCHED, S.CLAIMED, S.IN_PROGRESS})

TRANSITIONS: dict[str, tuple[frozenset[str], str]] = {
    K.ACCEPT: (frozenset({S.SUBMITTED}), S.ACCEPTED),
    K.RETURN: (frozenset({S.SUBMITTED}), S.RETURNED),
    K.DISPATCH: (frozenset({S.ACCEPTED}), S.DISPATCHED),
    # A bounced need goes back to the dispatcher's queue, to be dispatched again.
    K.BOUNCE: (frozenset({S.DISPATCHED}), S.ACCEPTED),
    K.CLAIM: (frozenset({S.ACCEPTED, S.DISPATCHED}), S.CLAIMED),
    K.START: (frozenset({S.DISPATCHED, S.CLAIMED}), S.IN_PROGRESS),
    K.RESOLVE: (frozenset({S.IN_PROGRESS}), S.RESOLVED),
    K.VISIT: (frozenset({S.RESOLVED}), S.VISITED),
    K.ARCHIVE: (frozenset({S.VISITED, S.RETURNED}), S.ARCHIVED),
    K.WITHDRAW: (OPEN, S.WITHDRAWN),
    K.MERGE: (OPEN, S.MERGED),
    # An unsatisfied resident's need goes back to the dispatcher to be handled again.
    K.REOPEN: (frozenset({S.VISITED}), S.ACCEPTED),
}


def allowed_from(kind: str) -> frozenset[str]:
    return TRANSITIONS[kind][0]


def target_of(kind: str) -> str:
    return TRANSITIONS[kind][1]

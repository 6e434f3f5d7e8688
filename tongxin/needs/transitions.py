"""The lifecycle in two tables: the steps that move a need from one status to another, and the
steps that only annotate it (a note on the timeline, a field changed, the status left alone).

Who may take a step is the policy's business (policies.py); these tables only say whether the step
makes sense from the need's current status. Keeping annotations out of TRANSITIONS means a reader
of that table sees the state machine and nothing else, and nobody can write a "transition" to the
status it came from by accident."""

from .models import EventKind as K
from .models import Status as S

OPEN = frozenset({S.SUBMITTED, S.ACCEPTED, S.DISPATCHED, S.CLAIMED, S.IN_PROGRESS})
# Open and being handled: the handling clock (started at acceptance) runs in these.
HANDLING = frozenset({S.ACCEPTED, S.DISPATCHED, S.CLAIMED, S.IN_PROGRESS})
ALL = frozenset(S.values)

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

# Steps that leave the status as it is, and the statuses they make sense in.
ANNOTATIONS: dict[str, frozenset[str]] = {
    # The clock urges and escalates only what is still open.
    K.URGE: OPEN,
    K.ESCALATE: OPEN,
    # Correcting the category of a closed need would change nothing anybody acts on.
    K.RECLASSIFY: OPEN,
    # The resident may give or take back consent to a story at any time (DESIGN.md §7).
    K.CONSENT: ALL,
}


def changes_status(kind: str) -> bool:
    return kind in TRANSITIONS


def allowed_from(kind: str) -> frozenset[str]:
    if kind in TRANSITIONS:
        return TRANSITIONS[kind][0]
    return ANNOTATIONS[kind]


def target_of(kind: str, current: str | None = None) -> str:
    """Where the step lands: the table's target, or (an annotation) the current status."""
    if kind in TRANSITIONS:
        return TRANSITIONS[kind][1]
    if current is None:
        raise KeyError(f"{kind!r} does not change the status; pass the current one")
    return current

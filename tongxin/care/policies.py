"""Who sees and acts on care subjects (DESIGN.md §7: sensitive by default).

- Office staff (district, street, community) whose territory grant covers the subject's community
  see the registry there; CREATE/CHANGE/EXPORT follow their roles as for persons.
- A visitor sees the subjects they are assigned to today (on the phone, name and building only),
  while they still qualify: a party member, or a volunteer whose registration is active. A
  volunteer who withdrew consent keeps the assignment row (staff see and end it) but no longer
  sees the subject, is not reminded and cannot log visits.
- Nobody else: not grid workers, not unit contacts, not other members; never a public list.
A missing subject and a forbidden one look the same (NotFoundOrForbidden)."""

from datetime import date
from typing import Any

from django.db.models import Exists, OuterRef, Q, QuerySet
from django.utils.translation import gettext as _

from tongxin.accounts.policies import OFFICE, TERRITORY, Action, grant_roots
from tongxin.core.errors import NotFoundOrForbidden
from tongxin.core.trees import is_within, subtree_q
from tongxin.people.models import Membership
from tongxin.volunteers.models import Volunteer, VolunteerStatus

from .models import CareAssignment, CareSubject


def not_found() -> NotFoundOrForbidden:
    return NotFoundOrForbidden(_("未找到该关爱对象,或您无权查看。"))


def staff_roots(user: Any, action: Action = Action.VIEW) -> list[str]:
    return grant_roots(user, tree=TERRITORY, roles=OFFICE, action=action)


def is_within_staff(user: Any, community: Any, action: Action = Action.VIEW) -> bool:
    return is_within(community.path, staff_roots(user, action))


def is_staff_for(user: Any, subject: CareSubject, action: Action = Action.VIEW) -> bool:
    return is_within(subject.community.path, staff_roots(user, action))


def open_assignments(today: date) -> QuerySet[CareAssignment]:
    """Assignments in force on `today` (`until` is the day an assignment ended)."""
    return CareAssignment.objects.filter(Q(until__isnull=True) | Q(until__gt=today), since__lte=today)


def may_visit(person_id: int | None) -> bool:
    """Party members, and volunteers whose registration is active (not suspended or withdrawn)."""
    if person_id is None:
        return False
    if Membership.objects.filter(person_id=person_id).exists():
        return True
    return Volunteer.objects.filter(person_id=person_id, status=VolunteerStatus.ACTIVE).exists()


def visiting_assignments(today: date) -> QuerySet[CareAssignment]:
    """Open assignments whose visitor still qualifies (see may_visit)."""
    member = Membership.objects.filter(person_id=OuterRef("visitor_id"))
    volunteer = Volunteer.objects.filter(person_id=OuterRef("visitor_id"), status=VolunteerStatus.ACTIVE)
    return open_assignments(today).filter(Exists(member) | Exists(volunteer))


def is_assigned(person_id: int | None, subject: CareSubject, today: date) -> bool:
    """The person visits the subject today: an open assignment, and still qualified."""
    if person_id is None:
        return False
    return visiting_assignments(today).filter(subject=subject, visitor_id=person_id).exists()


def staff_subjects(user: Any, action: Action = Action.VIEW) -> QuerySet[CareSubject]:
    """The registry an office account sees: every subject (active or closed) in its scope."""
    return CareSubject.objects.filter(subtree_q(staff_roots(user, action), field="community__path"))


def visitor_subjects(user: Any, today: date) -> QuerySet[CareSubject]:
    """Active subjects the account's person is assigned to visit today, while they qualify."""
    person_id = getattr(user, "person_id", None)
    if person_id is None or not may_visit(person_id):
        return CareSubject.objects.none()
    mine = open_assignments(today).filter(subject_id=OuterRef("pk"), visitor_id=person_id)
    return CareSubject.objects.filter(Exists(mine), active=True)


def staff_subject_or_404(user: Any, pk: object, action: Action = Action.VIEW) -> CareSubject:
    subject = (
        staff_subjects(user, action).filter(pk=pk).select_related("person", "community").first()
        if isinstance(pk, int)
        else None
    )
    if subject is None:
        raise not_found()
    return subject


def visitor_subject_or_404(user: Any, pk: object, today: date) -> CareSubject:
    subject = (
        visitor_subjects(user, today).filter(pk=pk).select_related("person", "community").first()
        if isinstance(pk, int)
        else None
    )
    if subject is None:
        raise not_found()
    return subject


def may_log_visit(user: Any, subject: CareSubject, today: date) -> bool:
    """Staff over the subject (recording a visit, theirs or an assigned visitor's), or an
    assigned visitor (their own)."""
    if user is None:
        return True  # the system: demo data, imports
    return is_staff_for(user, subject, Action.CHANGE) or is_assigned(
        getattr(user, "person_id", None), subject, today
    )

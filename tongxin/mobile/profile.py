"""What "我的" shows: the logged-in account's person, party membership, community and roles."""

from dataclasses import dataclass
from datetime import date

from tongxin.accounts.models import Role, User
from tongxin.accounts.phone_login import residence_community
from tongxin.accounts.policies import active_grants
from tongxin.core.masking import age_on, mask_mobile
from tongxin.people.models import Membership, Person


@dataclass(frozen=True)
class RoleLine:
    role: str
    node: str


@dataclass(frozen=True)
class Profile:
    name: str
    mobile: str  # masked
    age: int | None
    community: str
    residence: str  # the grid or community itself, when it is finer than the community
    membership: Membership | None
    roles: list[RoleLine]


def profile_for(user: User, *, today: date) -> Profile:
    person: Person | None = user.person
    membership = None
    if person is not None:
        membership = (
            Membership.objects.filter(person=person).select_related("organization", "party_group").first()
        )
    community = residence = ""
    if person is not None and person.residence is not None:
        home = residence_community(person)
        community = home.name
        residence = person.residence.name if person.residence.pk != home.pk else ""
    roles = [RoleLine(role=str(Role(g.role).label), node=str(g.node)) for g in active_grants(user)]
    return Profile(
        name=person.name if person else (user.get_full_name() or user.get_username()),
        mobile=mask_mobile(person.mobile) if person and person.mobile else "",
        age=age_on(person.birth_date, today) if person else None,
        community=community,
        residence=residence,
        membership=membership,
        roles=roles,
    )

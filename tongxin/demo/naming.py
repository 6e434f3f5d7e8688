"""Plausible names for places, units and people, drawn from the word lists with a given Random."""

from random import Random

from . import words

# (unit kind, share of all units, chance it has its own party organisation, member range)
UNIT_KIND_MIX: tuple[tuple[str, float, float, tuple[int, int]], ...] = (
    ("private_enterprise", 0.44, 0.45, (3, 12)),
    ("social_organization", 0.12, 0.40, (3, 8)),
    ("other", 0.06, 0.30, (3, 8)),
    ("government", 0.06, 1.00, (8, 40)),
    ("public_institution", 0.10, 0.95, (5, 30)),
    ("school", 0.08, 0.95, (10, 60)),
    ("hospital", 0.04, 1.00, (20, 120)),
    ("state_enterprise", 0.07, 0.95, (10, 80)),
    ("research_institute", 0.03, 0.90, (10, 50)),
)
UNIT_KINDS = tuple(k for k, *_ in UNIT_KIND_MIX)
_UNIT_WEIGHTS = tuple(w for _, w, *_ in UNIT_KIND_MIX)
ORG_CHANCE = {k: chance for k, _, chance, _ in UNIT_KIND_MIX}
MEMBER_RANGE = {k: size for k, _, _, size in UNIT_KIND_MIX}


class PlaceNames:
    """Two-syllable stems unique within one district, so no two streets or communities share a
    name; roads may repeat across communities, as a road runs through several."""

    def __init__(self, rng: Random) -> None:
        self._rng = rng
        self._used: set[str] = set()

    def stem(self) -> str:
        rng = self._rng
        for _ in range(1000):
            candidate = rng.choice(words.PLACE_FIRST) + rng.choice(words.PLACE_SECOND)
            if candidate not in self._used and candidate[0] != candidate[1]:
                self._used.add(candidate)
                return candidate
        raise RuntimeError("ran out of place names")

    def road(self) -> str:
        rng = self._rng
        return (
            rng.choice(words.PLACE_FIRST) + rng.choice(words.PLACE_SECOND) + rng.choice(words.ROAD_SUFFIXES)
        )


def unit_kind(rng: Random) -> str:
    return rng.choices(UNIT_KINDS, weights=_UNIT_WEIGHTS)[0]


def unit_name(rng: Random, *, kind: str, place: str, district: str) -> str:
    brand = rng.choice(words.BRAND_WORDS) + rng.choice(words.BRAND_WORDS)
    city = "申江"  # the fictional city the districts belong to
    if kind == "private_enterprise":
        return f"{city}{brand}{rng.choice(words.COMPANY_TRADES)}有限公司"
    if kind == "state_enterprise":
        return f"{city}{rng.choice(words.STATE_ENTERPRISE_TRADES)}集团{place}有限公司"
    patterns = {
        "government": words.GOVERNMENT_OFFICES,
        "public_institution": words.PUBLIC_INSTITUTIONS,
        "school": words.SCHOOLS,
        "hospital": words.HOSPITALS,
        "research_institute": words.RESEARCH_INSTITUTES,
        "social_organization": words.SOCIAL_ORGANIZATIONS,
        "other": words.OTHER_UNITS,
    }[kind]
    name = rng.choice(patterns).format(place=place, brand=brand, district=district, n=rng.randint(1, 9))
    return name if kind != "government" else f"{district}{name}"


def person_name(rng: Random, *, male: bool) -> str:
    surname = rng.choice(words.SURNAMES[:20]) if rng.random() < 0.55 else rng.choice(words.SURNAMES)
    pool = words.MALE_GIVEN if male else words.FEMALE_GIVEN
    given = rng.choice(pool) if rng.random() < 0.3 else rng.choice(pool) + rng.choice(pool)
    return surname + given


def mobile(rng: Random) -> str:
    return rng.choice(words.MOBILE_PREFIXES) + f"{rng.randrange(10**8):08d}"


def street_address(rng: Random, road: str) -> str:
    """Like 江凉路123弄4号502室."""
    floor = rng.randint(1, 18)
    return f"{road}{rng.randint(1, 999)}弄{rng.randint(1, 40)}号{floor}{rng.randint(1, 6):02d}室"


def unit_address(rng: Random, road: str) -> str:
    return f"{road}{rng.randint(1, 1500)}号"


def village_address(rng: Random, village: str) -> str:
    return f"{village}{rng.randint(1, 12)}组{rng.randint(1, 120)}号"

"""Identifiers for generated data: unique, valid and repeatable.

ID numbers and credit codes are unique columns, so they are allocated from counters rather than
drawn at random (a million random draws would collide)."""

from datetime import date

from tongxin.core.validators import compose_credit_code, compose_id_number

from .words import OTHER_AREA_CODES

_USCC_ALPHABET = "0123456789ABCDEFGHJKLMNPQRTUWXY"  # GB 32100: no I, O, S, V, Z
_ORG_CODE_WEIGHTS = (3, 7, 9, 10, 5, 8, 4, 2)

# 登记管理部门码 + 机构类别码 by unit kind (GB 32100 appendix).
REGISTRATION_PREFIX = {
    "government": "11",  # 机构编制 · 机关
    "public_institution": "12",  # 机构编制 · 事业单位
    "school": "12",
    "hospital": "12",
    "research_institute": "12",
    "social_organization": "52",  # 民政 · 民办非企业单位
    "state_enterprise": "91",  # 工商 · 企业
    "private_enterprise": "91",
    "other": "93",  # 工商 · 农民专业合作社
}


def org_code_check_char(body8: str) -> str:
    """The check character of a GB 11714 组织机构代码, the 主体标识码 inside a credit code."""
    total = sum(_char_value(c) * w for c, w in zip(body8, _ORG_CODE_WEIGHTS, strict=True))
    check = 11 - total % 11
    return {10: "X", 11: "0"}.get(check, str(check))


def _char_value(char: str) -> int:
    return int(char) if char.isdigit() else ord(char) - ord("A") + 10


def _base31(n: int, width: int) -> str:
    digits = []
    for _ in range(width):
        n, r = divmod(n, 31)
        digits.append(_USCC_ALPHABET[r])
    return "".join(reversed(digits))


class CreditCodeAllocator:
    """Valid, unique 统一社会信用代码. Consecutive numbers are scattered by multiplying with a
    number coprime to the code space, so neighbours do not look alike."""

    def __init__(self) -> None:
        self._issued = 0

    def allocate(self, *, kind: str, area: str) -> str:
        self._issued += 1
        n = self._issued
        if REGISTRATION_PREFIX[kind].startswith("9"):
            body8 = "MA" + _base31((n * 104_729 + 7_654_321) % 31**6, 6)  # 2015+ enterprise codes
        else:
            body8 = f"{(n * 7_919 + 1_234_567) % 10**7:08d}"
        subject = body8 + org_code_check_char(body8)
        return compose_credit_code(f"{REGISTRATION_PREFIX[kind]}{area}{subject}")


class IdNumberAllocator:
    """Unique 身份证号 for given area, birth date and gender: the 3-digit sequence code counts up
    per (area, birth date, gender), odd for men and even for women (GB 11643). When a day's
    codes run out the person is registered under another area code."""

    _FIRST = 10  # codes below 010 are rare in practice
    _PER_GENDER = (1000 - _FIRST) // 2

    def __init__(self) -> None:
        self._used: dict[tuple[str, int, bool], int] = {}

    def allocate(self, *, area: str, birth: date, male: bool) -> str:
        for candidate in (area, *OTHER_AREA_CODES):
            key = (candidate, birth.toordinal(), male)
            k = self._used.get(key, 0)
            if k < self._PER_GENDER:
                self._used[key] = k + 1
                return compose_id_number(area=candidate, birth=birth, sequence=self._FIRST + 2 * k + male)
        raise RuntimeError(f"no sequence code left for {birth}")

"""Validators for the identifiers people type: 居民身份证号 (GB 11643), 统一社会信用代码
(GB 32100) and mainland mobile numbers. Each normaliser returns the canonical form or raises
ValidationError with a Chinese message that names the field."""

import re
import unicodedata
from dataclasses import dataclass
from datetime import date

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from stdnum.cn import uscc

_ID_WEIGHTS = (7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2)
_ID_CHECK = "10X98765432"
# 省级行政区划代码 (GB/T 2260) that open an ID number: the mainland's provinces, Taiwan (71), Hong
# Kong (81), Macao (82), 港澳台居民居住证 (83) and the 外国人永久居留身份证 (9x).
_PROVINCE_CODES = frozenset(
    {11, 12, 13, 14, 15, 21, 22, 23, 31, 32, 33, 34, 35, 36, 37, 41, 42, 43, 44, 45, 46}
    | {50, 51, 52, 53, 54, 61, 62, 63, 64, 65, 71, 81, 82, 83, 91, 92, 93}
)
# A person's name: Chinese characters (basic block and extensions), Latin letters for foreign
# names, the 间隔号 of minority and transliterated names, spaces, hyphens and dots. Digits are
# let through: registers kept elsewhere number namesakes (张伟2), and refusing them would stop an
# import over a mark the secretary put there on purpose.
_NAME = re.compile(r"[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\U00020000-\U0003134fA-Za-z0-9·.\- ]+")
_NAME_LETTER = re.compile(r"[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\U00020000-\U0003134fA-Za-z]")
_MIDDLE_DOTS = str.maketrans(dict.fromkeys("・•‧∙⋅", "·"))
_INVISIBLE = dict.fromkeys(
    [0x200B, 0x200C, 0x200D, 0x2060, 0xFEFF, 0x00A0, 0x3000, 0x0009, 0x000A, 0x000D], " "
)

# Longer than any primary key the platform will reach; longer input is not a row number.
ROW_ID_DIGITS = 12


def clean_text(value: object) -> str:
    """Full-width to half-width (NFKC), invisible characters to spaces, spaces trimmed."""
    text = unicodedata.normalize("NFKC", str(value)).translate(_INVISIBLE)
    return text.strip()


@dataclass(frozen=True)
class IdNumberFacts:
    number: str
    birth_date: date
    gender: str  # "M" or "F", from the parity of the sequence code


def id_number_check_char(first17: str) -> str:
    total = sum(int(d) * w for d, w in zip(first17, _ID_WEIGHTS, strict=True))
    return _ID_CHECK[total % 11]


def parse_id_number(raw: object) -> IdNumberFacts:
    """Validate an 18-digit 居民身份证号 and derive birth date and gender from it."""
    number = re.sub(r"\s+", "", clean_text(raw)).upper()
    if not re.fullmatch(r"\d{17}[\dX]", number):
        raise ValidationError(_("身份证号应为18位:前17位是数字,最后一位是数字或X。"), code="id_format")
    if int(number[:2]) not in _PROVINCE_CODES:
        raise ValidationError(
            _("身份证号前两位“%(code)s”不是省级行政区划代码,请核对。") % {"code": number[:2]},
            code="id_area",
        )
    try:
        birth = date(int(number[6:10]), int(number[10:12]), int(number[12:14]))
    except ValueError:
        raise ValidationError(_("身份证号中的出生日期无效。"), code="id_birth") from None
    if birth.year < 1900 or birth > date.today():  # noqa: DTZ011 - calendar date, not an instant
        raise ValidationError(_("身份证号中的出生日期无效。"), code="id_birth")
    if id_number_check_char(number[:17]) != number[17]:
        raise ValidationError(_("身份证号校验位不正确,请核对后重新输入。"), code="id_check")
    gender = "M" if int(number[16]) % 2 else "F"
    return IdNumberFacts(number=number, birth_date=birth, gender=gender)


def normalize_person_name(raw: object) -> str:
    """A person's name as written on their ID card: Chinese characters or Latin letters, with the
    间隔号 · of names like 阿依古丽·买买提 (the katakana and bullet look-alikes become it)."""
    name = re.sub(r"\s+", " ", clean_text(raw)).translate(_MIDDLE_DOTS)
    if not name:
        raise ValidationError(_("请填写姓名。"), code="name_required")
    if not _NAME.fullmatch(name) or not _NAME_LETTER.search(name):
        raise ValidationError(_("姓名只能包含汉字、字母、间隔号“·”和空格。"), code="name_chars")
    return name


def normalize_credit_code(raw: object) -> str:
    """Validate a 18-character 统一社会信用代码 (GB 32100), including its check character."""
    code = re.sub(r"\s+", "", clean_text(raw)).upper()
    if len(code) != 18:
        raise ValidationError(_("统一社会信用代码应为18位。"), code="uscc_length")
    if not uscc.is_valid(code):
        raise ValidationError(_("统一社会信用代码校验位不正确,请核对。"), code="uscc_check")
    return code


def normalize_mobile(raw: object) -> str:
    """A mainland mobile number: 11 digits starting with 1[3-9]; +86 / 86 prefixes are dropped."""
    digits = re.sub(r"[\s\-()]", "", clean_text(raw))
    digits = re.sub(r"^(\+?86)", "", digits)
    if not re.fullmatch(r"1[3-9]\d{9}", digits):
        raise ValidationError(_("手机号应为11位中国大陆手机号码,如13812345678。"), code="mobile")
    return digits


def compose_id_number(*, area: str, birth: date, sequence: int) -> str:
    """Build a valid 身份证号 (for demo data and tests): 6-digit area, birth date, 3-digit
    sequence (odd for men, even for women), check character."""
    first17 = f"{area}{birth:%Y%m%d}{sequence % 1000:03d}"
    return first17 + id_number_check_char(first17)


def compose_credit_code(body: str) -> str:
    """Append the GB 32100 check character to the first 17 characters of a credit code."""
    return body + uscc.calc_check_digit(body)


def parse_row_id(raw: object) -> int | None:
    """A row number typed or posted by a user, or None. ASCII digits only: str.isdigit() also
    accepts "²" and "٣", which int() then refuses (a 500 instead of "not found")."""
    value = str(raw or "").strip()
    if not value.isascii() or not value.isdigit() or len(value) > ROW_ID_DIGITS:
        return None
    return int(value)

from datetime import date

import pytest
from django.core.exceptions import ValidationError

from tongxin.core.masking import mask_id_number, mask_mobile
from tongxin.core.validators import (
    compose_credit_code,
    compose_id_number,
    normalize_credit_code,
    normalize_mobile,
    parse_id_number,
)


def test_id_number_derives_birth_date_and_gender() -> None:
    facts = parse_id_number("11010519491231002X")
    assert facts.birth_date == date(1949, 12, 31)
    assert facts.gender == "F"


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("11010519491231002x", "11010519491231002X"),  # lower-case x
        ("１１０１０５１９４９１２３１００２Ｘ", "11010519491231002X"),  # full-width
        ("\u200b 11010519491231002X \u3000", "11010519491231002X"),  # invisible characters
    ],
)
def test_id_number_is_normalised(raw: str, expected: str) -> None:
    assert parse_id_number(raw).number == expected


@pytest.mark.parametrize(
    ("raw", "message"),
    [
        ("110105194912310021", "校验位"),
        ("11010519491331002X", "出生日期"),
        ("1101051949123100", "18位"),
        ("1.10105194912310E+17", "18位"),
    ],
)
def test_bad_id_numbers_are_refused_in_chinese(raw: str, message: str) -> None:
    with pytest.raises(ValidationError) as exc:
        parse_id_number(raw)
    assert message in exc.value.messages[0]


def test_composed_numbers_are_valid() -> None:
    number = compose_id_number(area="310110", birth=date(1990, 2, 28), sequence=7)
    assert parse_id_number(number).gender == "M"
    code = compose_credit_code("91310110MA1FL0000")
    assert normalize_credit_code(code.lower()) == code


def test_credit_code_check_character() -> None:
    code = compose_credit_code("91310110MA1FL0000")
    wrong = code[:-1] + ("0" if code[-1] != "0" else "1")
    with pytest.raises(ValidationError, match="校验位"):
        normalize_credit_code(wrong)


def test_mobile_numbers() -> None:
    assert normalize_mobile("+86 138-1234-5678") == "13812345678"
    with pytest.raises(ValidationError, match="11位"):
        normalize_mobile("12812345678")


def test_masks() -> None:
    assert mask_id_number("310110198005061230") == "310***********1230"
    assert mask_mobile("13812345678") == "138****5678"


def test_id_number_must_open_with_a_province_code() -> None:
    number = compose_id_number(area="990101", birth=date(1980, 1, 1), sequence=11)
    with pytest.raises(ValidationError) as exc:
        parse_id_number(number)
    assert exc.value.messages == ["身份证号前两位“99”不是省级行政区划代码,请核对。"]
    assert parse_id_number(compose_id_number(area="650102", birth=date(1980, 1, 1), sequence=11))

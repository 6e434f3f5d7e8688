"""The cell parsers, one kind of spreadsheet value at a time."""

from datetime import date, datetime

import pytest
from hypothesis import given
from hypothesis import strategies as st

from tongxin.core.validators import compose_id_number, parse_id_number
from tongxin.imports.cells import CellError, id_number_text, is_blank, parse_bool, parse_date, text
from tongxin.imports.columns import canonical_header

FULL_WIDTH = str.maketrans("0123456789Xx", "0123456789Xx")


@st.composite
def id_numbers(draw: st.DrawFn) -> str:
    birth = draw(st.dates(min_value=date(1920, 1, 1), max_value=date(2010, 12, 31)))
    area = draw(st.sampled_from(["310110", "110101", "440305", "510107"]))
    return compose_id_number(area=area, birth=birth, sequence=draw(st.integers(0, 999)))


@given(
    number=id_numbers(),
    full_width=st.booleans(),
    lower=st.booleans(),
    pad=st.sampled_from(["", " ", "\u200b", "\u3000", "\t", "\ufeff", "\xa0"]),
    inner=st.sampled_from(["", " "]),
)
def test_any_spelling_of_a_valid_id_number_reads_as_the_same_number(
    number: str, full_width: bool, lower: bool, pad: str, inner: str
) -> None:
    typed = number.lower() if lower else number
    typed = typed.translate(FULL_WIDTH) if full_width else typed
    typed = pad + typed[:6] + inner + typed[6:14] + inner + typed[14:] + pad
    assert parse_id_number(id_number_text(typed)).number == number


@pytest.mark.parametrize("cell", [310110198001010014, 3.1011019850403e17, 31011019800101001])
def test_an_id_number_stored_as_a_number_is_refused_because_its_digits_are_lost(cell: object) -> None:
    with pytest.raises(CellError, match="后几位已丢失"):
        id_number_text(cell)


@pytest.mark.parametrize("cell", ["3.10110198001010E+17", "3.1011E17", " 3.10110198001010e+17 "])
def test_an_id_number_pasted_in_scientific_notation_is_refused(cell: str) -> None:
    with pytest.raises(CellError, match="文本"):
        id_number_text(cell)


@pytest.mark.parametrize(
    "cell",
    [
        "2019-07-01",
        "2019/7/1",
        "2019.7.1",
        "2019年7月1日",
        "2019年07月01日",
        "20190701",
        20190701,
        "2019-07-01 00:00:00",
        "２０１９－０７－０１",
        datetime(2019, 7, 1, 0, 0),
        date(2019, 7, 1),
        43647,  # the Excel serial of 2019-07-01
        43647.0,
        "43647",
    ],
)
def test_every_date_spelling_reads_as_the_same_day(cell: object) -> None:
    assert parse_date(cell) == date(2019, 7, 1)


@given(st.dates(min_value=date(1921, 7, 1), max_value=date(2099, 12, 31)))
def test_an_excel_serial_is_the_day_excel_shows(day: date) -> None:
    serial = (day - date(1899, 12, 30)).days
    assert parse_date(serial) == day


@pytest.mark.parametrize("cell", ["2019-02-30", "2019-13-01", "明年", "7/1/2019", 12.5, 5, True])
def test_a_date_that_is_not_one_is_refused_in_chinese(cell: object) -> None:
    with pytest.raises(CellError, match="日期"):
        parse_date(cell)


@pytest.mark.parametrize("cell", ["是", "Y", "y", "YES", "√", "true", "TRUE", "1", 1, True, " 是 "])
def test_yes(cell: object) -> None:
    assert parse_bool(cell) is True


@pytest.mark.parametrize("cell", ["否", "N", "n", "No", "×", "false", "False", "0", 0, False])
def test_no(cell: object) -> None:
    assert parse_bool(cell) is False


def test_a_yes_no_cell_with_anything_else_says_what_to_write() -> None:
    with pytest.raises(CellError, match=r"是.*否"):
        parse_bool("也许")


def test_blank_and_text() -> None:
    assert is_blank(None)
    assert is_blank("  ")
    assert is_blank("\u200b\u3000")
    assert not is_blank(0)
    assert text(1001.0) == "1001"  # a code typed as a number
    assert text(" Ｄ０１０１ ") == "D0101"


@pytest.mark.parametrize(
    ("cell", "name"),
    [
        ("身份证号", "身份证号"),
        ("*身份证号码", "身份证号"),
        ("身份证号(18位)", "身份证号"),
        (" 姓 名 ", "姓名"),
        ("手机号码", "手机号"),
        ("统一社会信用代码", "工作单位统一社会信用代码"),
        ("备注", None),
        (None, None),
    ],
)
def test_header_names_people_use_map_to_the_template_columns(cell: object, name: str | None) -> None:
    assert canonical_header(cell) == name

"""Turning what real spreadsheets hold into values: one function per kind of cell.

Each parser takes the raw cell value (str, int, float, datetime, date, bool or None) and returns
the value or raises CellError with a Chinese reason. Blank (None or only spaces/invisible
characters) is handled by the caller, so every parser here sees something typed."""

import re
from datetime import date, datetime, timedelta
from decimal import Decimal

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from tongxin.core.validators import clean_text


class CellError(ValueError):
    """A cell that cannot be read; the message is shown to the secretary beside row and column."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


def is_blank(value: object) -> bool:
    return value is None or clean_text(value) == ""


def text(value: object) -> str:
    """Any cell as trimmed, half-width text; integral floats (a code typed as a number) lose '.0'."""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    return clean_text(value)


# --- ID numbers ---------------------------------------------------------------------------------

_SCIENTIFIC = re.compile(r"^\d(\.\d+)?E\+?\d+$", re.IGNORECASE)
DIGITS_LOST = gettext_lazy("身份证号被Excel存成了数字,后几位已丢失;请把这一列设为“文本”格式后重新填写。")


def id_number_text(value: object) -> str:
    """The ID number as typed, refusing the forms in which Excel has already destroyed it: any
    numeric cell (a float keeps only 15-17 significant digits, and the check character X cannot be a
    number) and text in scientific notation (3.10110198E+17, pasted from such a cell)."""
    if isinstance(value, bool):
        raise CellError(_("身份证号应为18位:前17位是数字,最后一位是数字或X。"))
    if isinstance(value, int | float | Decimal):
        raise CellError(str(DIGITS_LOST))
    raw = re.sub(r"\s+", "", clean_text(value))
    if _SCIENTIFIC.match(raw):
        raise CellError(str(DIGITS_LOST))
    return raw


# --- dates --------------------------------------------------------------------------------------

_EXCEL_EPOCH = date(1899, 12, 30)  # serial 1 = 1900-01-01, counting Excel's phantom 1900-02-29
_DATE_PATTERNS = [
    re.compile(r"^(\d{4})[-/.](\d{1,2})[-/.](\d{1,2})$"),
    re.compile(r"^(\d{4})年(\d{1,2})月(\d{1,2})日?$"),
    re.compile(r"^(\d{4})(\d{2})(\d{2})$"),
]
# A plausible serial for a party date (1921-07-01 … 2099): read beyond it, a number is garbage.
_SERIAL_RANGE = (7853, 73050)


def _bad_date() -> CellError:
    return CellError(_("日期无法识别,请写成 2019-07-01 这样的格式。"))


def parse_date(value: object) -> date:
    """2019-07-01, 2019/7/1, 2019.7.1, 2019年7月1日, 20190701, a date cell, or an Excel serial
    (a date cell whose format was lost, e.g. 43647)."""
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, date):
        return value
    if isinstance(value, bool):
        raise _bad_date()
    if isinstance(value, int | float | Decimal):
        return _from_number(value)
    raw = re.sub(r"\s+", "", clean_text(value))
    raw = re.sub(r"[T ]?0{1,2}:0{2}(:0{2})?$", "", raw)  # "2019-07-01 00:00:00" from a pasted cell
    for pattern in _DATE_PATTERNS:
        m = pattern.match(raw)
        if m:
            try:
                return date(int(m[1]), int(m[2]), int(m[3]))
            except ValueError:
                raise CellError(_("日期不存在,请核对年、月、日。")) from None
    if re.fullmatch(r"\d+(\.0+)?", raw):
        return _from_number(float(raw))
    raise _bad_date()


def _from_number(value: float | int | Decimal) -> date:
    number = float(value)
    if number.is_integer() and 19000101 <= number <= 20991231:
        return parse_date(str(int(number)))  # 20190701 stored as a number
    if not number.is_integer() or not _SERIAL_RANGE[0] <= number <= _SERIAL_RANGE[1]:
        raise _bad_date()
    return _EXCEL_EPOCH + timedelta(days=int(number))


# --- yes / no -----------------------------------------------------------------------------------

_TRUE = {"是", "y", "yes", "√", "✓", "✔", "true", "1", "t", "对"}
_FALSE = {"否", "n", "no", "×", "x", "✗", "✘", "false", "0", "f", "不是"}


def parse_bool(value: object) -> bool:
    if isinstance(value, bool):
        return value
    raw = text(value).lower()
    if raw in _TRUE:
        return True
    if raw in _FALSE:
        return False
    raise CellError(_("请填写“是”或“否”。"))


# --- choices ------------------------------------------------------------------------------------


def parse_choice(value: object, choices: dict[str, str], *, label: str) -> str:
    """A choice given by its Chinese label (or stored value); unknown labels list what is allowed."""
    raw = text(value)
    if raw in choices:
        return choices[raw]
    allowed = "、".join(dict.fromkeys(k for k in choices if not k.isascii()))
    raise CellError(
        _("%(label)s“%(value)s”无法识别,可填:%(allowed)s。")
        % {"label": label, "value": raw, "allowed": allowed}
    )

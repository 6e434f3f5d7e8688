"""Numbers people type into forms: plain ASCII digits only, one rule for every form.

Decimal() and int() read far more than a person means: "9e999999" (which overflows), "NaN",
"Infinity", other scripts' digits ("٣", "１") and "²". Those are refused with the field's own
message instead of being read as some number or raising a server error."""

import re
from decimal import Decimal
from typing import Any

from django import forms

PLAIN_DECIMAL = re.compile(r"-?[0-9]{1,10}(\.[0-9]{1,10})?")
PLAIN_INTEGER = re.compile(r"-?[0-9]{1,30}")


def is_plain_decimal(value: object) -> bool:
    return PLAIN_DECIMAL.fullmatch(str(value).strip()) is not None


class PlainIntegerField(forms.IntegerField):
    """An integer typed with ASCII digits only; int() alone would take "٣" as 3."""

    def to_python(self, value: Any) -> int | None:
        if value not in self.empty_values and not PLAIN_INTEGER.fullmatch(str(value).strip()):
            raise forms.ValidationError(self.error_messages["invalid"], code="invalid")
        return super().to_python(value)


class PlainDecimalField(forms.DecimalField):
    """A decimal typed with ASCII digits and at most one point (and a leading minus, which
    min_value then refuses in its own words)."""

    def to_python(self, value: Any) -> Decimal | None:  # type: ignore[override]
        if value not in self.empty_values and not is_plain_decimal(value):
            raise forms.ValidationError(self.error_messages["invalid"], code="invalid")
        return super().to_python(value)  # type: ignore[no-any-return]

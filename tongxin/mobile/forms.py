from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

# The services normalise and check the values (one set of rules for every door); these forms only
# carry them and give the inputs what a phone keyboard needs.


class PhoneForm(forms.Form):
    """Marks a field with an error for screen readers, pointing at the message under it."""

    def full_clean(self) -> None:
        super().full_clean()
        self._mark_errors()

    def add_error(self, field: str | None, error: Any) -> None:  # type: ignore[override]
        super().add_error(field, error)
        self._mark_errors()

    def _mark_errors(self) -> None:
        for name in self.errors:
            if name in self.fields:
                attrs = self.fields[name].widget.attrs
                attrs.update({"aria-invalid": "true", "aria-describedby": f"{self[name].auto_id}-error"})


class MobileForm(PhoneForm):
    mobile = forms.CharField(
        label=_("手机号"),
        max_length=20,
        error_messages={"required": _("请输入手机号。")},
        widget=forms.TextInput(
            attrs={"inputmode": "numeric", "autocomplete": "tel", "type": "tel", "maxlength": "20"}
        ),
    )


class SmsCodeForm(PhoneForm):
    code = forms.CharField(
        label=_("短信验证码"),
        max_length=12,
        error_messages={"required": _("请输入短信中的6位数字验证码。")},
        widget=forms.TextInput(
            attrs={
                "inputmode": "numeric",
                "autocomplete": "one-time-code",
                "pattern": "[0-9]*",
                "autofocus": True,
            }
        ),
    )

from typing import Any, cast

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


# --- Needs -----------------------------------------------------------------------------------
# Text, category, place and phone are checked by tongxin.needs.services (the same rules for every
# door); these forms keep what was typed so a refused form comes back as the resident left it.

PHOTOS_MAX = 4


class PhotoInput(forms.ClearableFileInput):
    allow_multiple_selected = True
    template_name = "django/forms/widgets/file.html"  # no "clear" box: nothing is stored yet


class PhotosField(forms.FileField):
    """Any number of files from the camera and the album inputs; the service checks each one."""

    widget = PhotoInput

    def clean(self, data: Any, initial: Any = None) -> list[Any]:
        files = [f for f in (data if isinstance(data, list | tuple) else [data]) if f]
        if len(files) > PHOTOS_MAX:
            raise forms.ValidationError(_("最多可以上传%(n)d张照片。") % {"n": PHOTOS_MAX})
        return files


def _category_choices() -> list[tuple[str, Any]]:
    from tongxin.needs.models import NeedCategory

    return [("", _("请选择(写下困难后会自动建议)"))] + [
        (c.code, c.name) for c in NeedCategory.objects.order_by("order")
    ]


class _NeedFields(PhoneForm):
    text = forms.CharField(
        label=_("遇到了什么困难?"),
        required=False,
        strip=False,
        widget=forms.Textarea(attrs={"rows": 5, "autocomplete": "off"}),
    )
    category = forms.ChoiceField(label=_("类别"), required=False)
    urgent = forms.BooleanField(label=_("急"), required=False)
    # "1" once the resident changed the suggested category or 急 by hand: suggestions stop
    # overwriting their choice.
    chosen = forms.CharField(required=False, widget=forms.HiddenInput)
    place = forms.CharField(
        label=_("地点"),
        required=False,
        max_length=100,
        error_messages={"max_length": _("地点请控制在100字以内。")},
        widget=forms.TextInput(attrs={"autocomplete": "off"}),
    )
    photos = PhotosField(label=_("照片(可不传)"), required=False)
    private = forms.BooleanField(label=_("不公开"), required=False)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        cast(forms.ChoiceField, self.fields["category"]).choices = _category_choices()


class NeedForm(_NeedFields):
    """我要反映: a resident for themself."""

    tags = forms.MultipleChoiceField(
        label=_("心情标签(可不选)"), required=False, widget=forms.CheckboxSelectMultiple
    )
    contact = forms.ChoiceField(label=_("怎么联系我"), widget=forms.RadioSelect, initial="mine")
    other_phone = forms.CharField(
        label=_("其他号码"),
        required=False,
        max_length=20,
        widget=forms.TextInput(attrs={"inputmode": "numeric", "type": "tel", "autocomplete": "tel"}),
    )

    def __init__(self, *args: Any, masked_mobile: str = "", **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        from tongxin.needs.models import TAGS

        cast(forms.ChoiceField, self.fields["tags"]).choices = [(t, t) for t in TAGS]
        mine = _("打我的手机 %(m)s") % {"m": masked_mobile} if masked_mobile else _("打我登记的手机")
        cast(forms.ChoiceField, self.fields["contact"]).choices = [
            ("mine", mine),
            ("other", _("打另一个号码")),
        ]

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if data.get("contact") == "other" and not (data.get("other_phone") or "").strip():
            self.add_error("other_phone", _("请填写要联系的号码。"))
        return data


class GridReportForm(_NeedFields):
    """网格员随手报: a problem the grid worker saw, or one a resident told them about."""

    community = forms.ChoiceField(label=_("社区"))
    caller_name = forms.CharField(label=_("居民姓名(代居民反映时填)"), required=False, max_length=50)
    caller_phone = forms.CharField(
        label=_("居民电话(可不填)"),
        required=False,
        max_length=20,
        widget=forms.TextInput(attrs={"inputmode": "numeric", "type": "tel"}),
    )

    def __init__(self, *args: Any, communities: list[tuple[str, str]], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        cast(forms.ChoiceField, self.fields["community"]).choices = communities
        self.fields["text"].label = _("发现了什么问题?")


class ResolveForm(PhoneForm):
    result = forms.CharField(
        label=_("办理结果(居民会看到)"),
        required=False,
        strip=False,
        widget=forms.Textarea(attrs={"rows": 4}),
    )
    photos = PhotosField(label=_("办结照片(可不传)"), required=False)


STARS_PLEASE = _("请点星星打分(1到5星)。")


class RateForm(PhoneForm):
    rating = forms.TypedChoiceField(
        label=_("满意吗?"),
        coerce=int,
        choices=[(i, str(i)) for i in range(1, 6)],
        widget=forms.RadioSelect,
        error_messages={
            "required": _("请点星星打分(1到5星)。"),
            "invalid_choice": _("请点星星打分(1到5星)。"),
        },
    )
    comment = forms.CharField(
        label=_("想说的话(可不填)"),
        required=False,
        max_length=500,
        error_messages={"max_length": _("评价请控制在500字以内。")},
        widget=forms.Textarea(attrs={"rows": 3}),
    )

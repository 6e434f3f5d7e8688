"""Forms of the needs pages. They only carry what was typed to the services: the rules, and the
Chinese messages that refuse input, are the services' (NeedError with the field it concerns), so
an empty reason or an absurd text reads the same on the workbench, the phone and the API."""

from typing import Any

from django import forms
from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _

from tongxin.core.errors import ApplicationError
from tongxin.needs.categories import CATEGORIES
from tongxin.needs.models import TAGS, NeedCategory
from tongxin.needs.policies import COMMUNITY_LEVELS
from tongxin.territory.models import Territory

from .forms import TerritoryChoiceField, territory_choices

# Big enough for any honest text (the services cap it far lower and say so); anything longer is
# cut here so a pasted megabyte never reaches them.
RAW_MAX = 20000
PHOTO_MAX = 6


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class PhotosField(forms.FileField):
    """Several photos at once; the service checks each (size, type) and says which is wrong."""

    widget = MultipleFileInput(attrs={"accept": "image/jpeg,image/png,image/webp"})

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(required=False, **kwargs)

    def clean(self, data: Any, initial: Any = None) -> list[Any]:  # type: ignore[override]
        files = data if isinstance(data, list | tuple) else ([data] if data else [])
        return [f for f in files if f][: PHOTO_MAX + 1]  # one over: the service names the limit


def category_choices() -> list[tuple[str, str]]:
    names = dict(NeedCategory.objects.values_list("code", "name"))
    return [(code, names.get(code, name)) for code, name in CATEGORIES]


class ServiceForm(forms.Form):
    """A form whose refusals come from a service: `refuse` puts the message at its field."""

    def refuse(self, exc: ApplicationError) -> None:
        field = exc.field if exc.field in self.fields else None
        self.add_error(field, str(exc.message))


def _text(label: Any, *, rows: int = 3, required: bool = False, help_text: Any = "") -> forms.CharField:
    return forms.CharField(
        label=label,
        required=False,
        max_length=RAW_MAX,
        strip=False,
        help_text=help_text,
        widget=forms.Textarea(attrs={"rows": rows}),
    )


class NoteForm(ServiceForm):
    """受理 / 开始办理 / 归档: an optional remark."""

    note = forms.CharField(label=_("备注(选填)"), required=False, max_length=RAW_MAX)


class ReturnForm(ServiceForm):
    reason = _text(_("退回原因"), help_text=_("居民会收到这段说明,请写清为什么退回、可以找谁办理。"))
    reason.mandatory = True  # type: ignore[attr-defined]


class BounceForm(ServiceForm):
    reason = _text(_("退单原因"), help_text=_("派单人会看到这段说明;每一级只能退单一次。"))
    reason.mandatory = True  # type: ignore[attr-defined]


class ReopenForm(ServiceForm):
    reason = _text(_("重新办理的原因(选填)"), rows=2)


class DispatchForm(ServiceForm):
    to = forms.CharField(label=_("承办对象"), required=False, max_length=30, widget=forms.HiddenInput)
    note = forms.CharField(label=_("派单说明(选填)"), required=False, max_length=RAW_MAX)


class MergeForm(ServiceForm):
    into = forms.CharField(
        label=_("合并到诉求编号"),
        required=False,
        max_length=20,
        help_text=_("从下方疑似重复的诉求中选择,或输入编号。"),
    )


class ResolveForm(ServiceForm):
    result = _text(_("办理结果"), help_text=_("居民会看到这段说明。"))
    result.mandatory = True  # type: ignore[attr-defined]
    photos = PhotosField(label=_("办结照片(选填)"))


class VisitForm(ServiceForm):
    rating = forms.TypedChoiceField(
        label=_("居民评价"),
        required=False,
        coerce=int,
        empty_value=None,
        choices=[("", _("请选择")), *[(str(n), _("%(n)d星") % {"n": n}) for n in range(5, 0, -1)]],
    )
    rating.mandatory = True  # type: ignore[attr-defined]
    comment = _text(_("回访记录"), rows=2)


class ReclassifyForm(ServiceForm):
    category = forms.ChoiceField(label=_("类别"))
    urgent = forms.BooleanField(label=_("紧急"), required=False)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["category"].choices = category_choices()  # type: ignore[attr-defined]


class BulkForm(forms.Form):
    need = forms.TypedMultipleChoiceField(coerce=int, required=False)
    to = forms.CharField(required=False, max_length=30)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        # Which numbers exist and may be seen is decided per need by the view, not here.
        self.fields["need"].valid_value = lambda value: str(value).isdigit() and len(str(value)) <= 12  # type: ignore[attr-defined]


class NeedEntryForm(ServiceForm):
    """代录诉求: for a registered person (found by name or mobile) or a caller by name and phone."""

    person = forms.CharField(required=False, max_length=12, widget=forms.HiddenInput)
    caller_name = forms.CharField(label=_("来电/来访人姓名"), required=False, max_length=RAW_MAX)
    caller_phone = forms.CharField(label=_("联系电话"), required=False, max_length=50)
    community = TerritoryChoiceField(label=_("所在社区"), required=False)
    community.mandatory = True  # type: ignore[attr-defined]
    place = forms.CharField(label=_("楼栋/地点"), required=False, max_length=RAW_MAX)
    text = _text(_("诉求内容"), rows=5)
    text.mandatory = True  # type: ignore[attr-defined]
    category = forms.ChoiceField(label=_("类别"), required=False)
    category.mandatory = True  # type: ignore[attr-defined]
    urgent = forms.BooleanField(label=_("紧急"), required=False)
    tags = forms.MultipleChoiceField(
        label=_("标签"),
        required=False,
        choices=[(t, t) for t in TAGS],
        widget=forms.CheckboxSelectMultiple(attrs={"class": "form-check-input"}),
    )
    private = forms.BooleanField(
        label=_("不公开"),
        required=False,
        help_text=_("只有办理人员能看到这条诉求,不会出现在公开的认领列表中。"),
    )
    photos = PhotosField(label=_("照片(选填)"))

    def __init__(
        self, *args: Any, communities: QuerySet[Territory], places: QuerySet[Territory], **kwargs: Any
    ) -> None:
        super().__init__(*args, **kwargs)
        field: TerritoryChoiceField = self.fields["community"]  # type: ignore[assignment]
        field.territories = communities
        allowed = {str(pk) for pk in communities.values_list("pk", flat=True)}
        # Labelled with the path above each community ("街道 › 社区"), from every visible place.
        labelled = territory_choices(places | communities, levels=COMMUNITY_LEVELS)
        field.choices = [c for c in labelled if c[0] == "" or c[0] in allowed]
        self.fields["category"].choices = [("", _("请选择")), *category_choices()]  # type: ignore[attr-defined]

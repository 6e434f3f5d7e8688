"""What each needs endpoint accepts. Types and shapes are checked here; the needs services check
the rules (text length, tags, who may do what) and give the messages, so that the API and the pages
say the same thing."""

from typing import Any

from django.utils.translation import gettext_lazy as _
from rest_framework import serializers

from tongxin.needs.models import Need, PhotoStage

from .serializers import CATEGORY_CHOICES, TARGET_TYPES

_CATEGORY_ERRORS: dict[str, Any] = {
    "invalid_choice": _("没有编码为“{input}”的诉求类别,请从 /api/v1/need-categories/ 中选择。")
}


class NeedCreateSerializer(serializers.Serializer[Any]):
    """Open311 "POST requests": the text is required; the category may be left to the classifier."""

    text = serializers.CharField(
        label=_("诉求内容"), allow_blank=True, trim_whitespace=False, help_text=_("1–1000字")
    )
    category = serializers.ChoiceField(
        label=_("类别"),
        choices=CATEGORY_CHOICES,
        required=False,
        allow_blank=True,
        error_messages=_CATEGORY_ERRORS,
        help_text=_("类别编码;不填则采用分类模型的建议(随结果返回)"),
    )
    urgent = serializers.BooleanField(
        label=_("紧急"),
        required=False,
        allow_null=True,
        default=None,
        help_text=_("不填则采用分类模型的建议"),
    )
    tags = serializers.ListField(
        label=_("标签"), child=serializers.CharField(max_length=10), required=False, max_length=6
    )
    community = serializers.PrimaryKeyRelatedField(
        label=_("所在社区"),
        queryset=Need.objects.none(),
        required=False,
        allow_null=True,
        error_messages={
            "does_not_exist": _("未找到该社区,或您无权使用。"),
            "incorrect_type": _("请填写社区编号。"),
        },
        help_text=_("社区或村的编号;居民本人提交时可不填(默认其居住社区)"),
    )
    place = serializers.CharField(label=_("楼栋/地点"), required=False, allow_blank=True, max_length=200)
    private = serializers.BooleanField(label=_("不公开"), required=False, default=False)
    person = serializers.PrimaryKeyRelatedField(
        label=_("诉求人"),
        queryset=Need.objects.none(),
        required=False,
        allow_null=True,
        error_messages={
            "does_not_exist": _("未找到该人员,或您无权使用。"),
            "incorrect_type": _("请填写人员编号。"),
        },
        help_text=_("代已登记的居民提交时填写其人员编号"),
    )
    caller_name = serializers.CharField(
        label=_("来电/来访人姓名"), required=False, allow_blank=True, max_length=50
    )
    caller_phone = serializers.CharField(label=_("联系电话"), required=False, allow_blank=True, max_length=30)
    photos = serializers.ListField(
        label=_("照片"),
        child=serializers.FileField(),
        required=False,
        max_length=9,
        help_text=_("照片(multipart/form-data 时可附,可多张)"),
    )


class PhotoUploadSerializer(serializers.Serializer[Any]):
    stage = serializers.ChoiceField(
        label=_("环节"),
        choices=PhotoStage.choices,
        help_text=_("submit 反映问题的照片(居民或录入人);resolve 办理结果的照片(承办人)"),
    )
    photos = serializers.ListField(
        label=_("照片"), child=serializers.FileField(), max_length=9, help_text=_("照片,可多张")
    )


class NoteSerializer(serializers.Serializer[Any]):
    note = serializers.CharField(label=_("说明"), required=False, allow_blank=True, max_length=500)


class ReasonSerializer(serializers.Serializer[Any]):
    reason = serializers.CharField(label=_("原因"), allow_blank=True, trim_whitespace=False)


class OptionalReasonSerializer(serializers.Serializer[Any]):
    reason = serializers.CharField(label=_("原因"), required=False, allow_blank=True, max_length=500)


class TargetSerializer(serializers.Serializer[Any]):
    type = serializers.ChoiceField(
        label=_("承办对象类型"),
        choices=[(t, t) for t in TARGET_TYPES],
        error_messages={"invalid_choice": _("承办对象类型应为 territory、organization、unit 或 person。")},
    )
    id = serializers.IntegerField(label=_("承办对象编号"), min_value=1, max_value=2**63 - 1)


class DispatchSerializer(serializers.Serializer[Any]):
    target = TargetSerializer(label=_("承办对象"))
    note = serializers.CharField(label=_("说明"), required=False, allow_blank=True, max_length=500)


class ResolveSerializer(serializers.Serializer[Any]):
    result = serializers.CharField(label=_("办理结果"), allow_blank=True, trim_whitespace=False)
    photos = serializers.ListField(
        label=_("照片"),
        child=serializers.FileField(),
        required=False,
        max_length=9,
        help_text=_("办结照片(multipart/form-data 时可附)"),
    )


_RATING_ERRORS: dict[str, Any] = {
    "invalid": _("请选择1到5星的评价。"),
    "required": _("请选择1到5星的评价。"),
    "null": _("请选择1到5星的评价。"),
    "max_string_length": _("请选择1到5星的评价。"),
}


class VisitSerializer(serializers.Serializer[Any]):
    rating = serializers.IntegerField(label=_("满意度"), error_messages=_RATING_ERRORS, help_text=_("1–5星"))
    comment = serializers.CharField(label=_("评价"), required=False, allow_blank=True, max_length=500)


class MergeSerializer(serializers.Serializer[Any]):
    into = serializers.IntegerField(
        label=_("合并至"),
        min_value=1,
        max_value=2**63 - 1,
        error_messages={"invalid": _("请填写要合并到的诉求编号。")},
    )


class ReclassifySerializer(serializers.Serializer[Any]):
    category = serializers.ChoiceField(
        label=_("类别"), choices=CATEGORY_CHOICES, error_messages=_CATEGORY_ERRORS
    )
    urgent = serializers.BooleanField(label=_("紧急"))


class ConsentSerializer(serializers.Serializer[Any]):
    consent = serializers.BooleanField(
        label=_("同意公开"), help_text=_("true 同意匿名公开事迹;false 撤回同意")
    )


class ClassifyRequestSerializer(serializers.Serializer[Any]):
    text = serializers.CharField(
        label=_("诉求内容"), allow_blank=True, trim_whitespace=False, help_text=_("1–1000字")
    )


class EmptySerializer(serializers.Serializer[Any]):
    """No body needed."""

"""What the API shows of a need and what each step accepts.

A need is shown by role (`NeedRoles`, decided once per need by the view from the needs policy):
the text and place to whoever may see the need at all (the policy already keeps vulnerable
residents' and private needs to their handlers); the contact's name and the internal timeline
notes to staff and handlers only; the phone in clear to handlers only (need_contact_phone)."""

from dataclasses import dataclass
from typing import Any

from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from drf_spectacular.extensions import OpenApiSerializerFieldExtension
from drf_spectacular.plumbing import ResolvedComponent
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from tongxin.core.actor import Actor
from tongxin.needs.categories import CATEGORIES
from tongxin.needs.models import TAGS, EventKind, Need, NeedCategory, NeedEvent, NeedPhoto, Status
from tongxin.workdays.policy import DueState

CATEGORY_CHOICES = [code for code, _name in CATEGORIES]
TARGET_TYPES = ("territory", "organization", "unit", "person")


@dataclass(frozen=True)
class NeedRoles:
    """How the caller stands to one need."""

    handler: bool  # staff over it (read-only staff too) or its assignee: every note, the contact
    submitter: bool  # the resident it belongs to (or the account that entered it)
    actions: tuple[str, ...] = ()  # the steps the caller may take now


class NeedStatusField(serializers.ChoiceField):
    """A need's status. Its schema is the one component NeedStatusEnum: the generator would
    otherwise name it after each field ("status", "to_status") and collide with other "status"
    enums of the API."""

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(choices=Status.choices, **kwargs)


class NeedStatusFieldSchema(OpenApiSerializerFieldExtension):
    target_class = NeedStatusField

    def map_serializer_field(self, auto_schema: Any, direction: Any) -> dict[str, Any]:
        component = ResolvedComponent(
            name="NeedStatusEnum",
            type=ResolvedComponent.SCHEMA,
            object="NeedStatusEnum",
            schema={
                "type": "string",
                "enum": list(Status.values),
                "description": "\n".join(f"* `{value}` - {label}" for value, label in Status.choices),
            },
        )
        auto_schema.registry.register_on_missing(component)
        ref: dict[str, Any] = component.ref
        if getattr(self.target, "allow_blank", False):
            return {"oneOf": [ref, {"type": "string", "enum": [""]}]}
        return ref


class NeedCategorySerializer(serializers.ModelSerializer[NeedCategory]):
    class Meta:
        model = NeedCategory
        fields = ["code", "name", "order"]
        read_only_fields = fields


class AssigneeSerializer(serializers.Serializer[Any]):
    type = serializers.ChoiceField(choices=[(t, t) for t in TARGET_TYPES], help_text=_("承办对象类型"))
    id = serializers.IntegerField(allow_null=True, help_text=_("承办对象编号;对非承办人隐去个人承办者"))
    name = serializers.CharField(help_text=_("承办对象名称"))


def assignee_of(need: Need, *, show_person: bool) -> dict[str, Any] | None:
    for kind, node in (
        ("territory", need.assigned_territory),
        ("organization", need.assigned_org),
        ("unit", need.assigned_unit),
    ):
        if node is not None:
            return {"type": kind, "id": node.pk, "name": node.name}
    person = need.assigned_person
    if person is None:
        return None
    if show_person:
        return {"type": "person", "id": person.pk, "name": person.name}
    # A helper's name is not the resident's business, nor another member's (保护双方).
    return {"type": "person", "id": None, "name": str(_("热心人"))}


class NeedSerializer(serializers.ModelSerializer[Need]):
    """A row of the work list (Open311: a service request)."""

    status = NeedStatusField(read_only=True, help_text=_("状态"))
    status_display = serializers.CharField(
        source="get_status_display", read_only=True, help_text=_("状态名称")
    )
    category = serializers.CharField(source="category_id", read_only=True, help_text=_("类别编码"))
    category_name = serializers.CharField(source="category.name", read_only=True, help_text=_("类别名称"))
    community_name = serializers.CharField(source="community.name", read_only=True, help_text=_("社区名称"))
    channel_display = serializers.CharField(
        source="get_channel_display", read_only=True, help_text=_("来源名称")
    )
    tags = serializers.ListField(
        child=serializers.ChoiceField(choices=[(t, t) for t in TAGS]), read_only=True, help_text=_("标签")
    )
    sensitive = serializers.SerializerMethodField(
        help_text=_("是否仅限承办人可见(不公开,或属于困难群体类别)")
    )
    assignee = serializers.SerializerMethodField()
    due_state = serializers.SerializerMethodField(
        help_text=_("时限状态:on_time 正常、urge 将到期(催办)、overdue 已超期、escalate 超期上报;无时限为空")
    )

    class Meta:
        model = Need
        fields = [
            "id",
            "status",
            "status_display",
            "category",
            "category_name",
            "urgent",
            "tags",
            "text",
            "place",
            "community",
            "community_name",
            "channel",
            "channel_display",
            "private",
            "sensitive",
            "assignee",
            "submitted_at",
            "accept_due_at",
            "resolve_due_at",
            "due_state",
            "bounce_count",
            "escalation_level",
            "rating",
        ]
        read_only_fields = fields

    def get_sensitive(self, need: Need) -> bool:
        from tongxin.needs.policies import is_sensitive

        return is_sensitive(need)

    @extend_schema_field(AssigneeSerializer(allow_null=True))
    def get_assignee(self, need: Need) -> dict[str, Any] | None:
        roles = self._roles(need)
        show = roles.handler if roles is not None else bool(self.context.get("is_staff"))
        person_id = getattr(self.context.get("request") and self.context["request"].user, "person_id", None)
        return assignee_of(need, show_person=show or need.assigned_person_id == person_id)

    @extend_schema_field(serializers.ChoiceField(choices=DueState.choices, allow_null=True))
    def get_due_state(self, need: Need) -> str | None:
        due = self.context.get("due_state")
        state = due(need) if due is not None else None
        return str(state) if state is not None else None

    def _roles(self, need: Need) -> NeedRoles | None:
        roles: dict[int, NeedRoles] = self.context.get("roles", {})
        return roles.get(need.pk)


class SuggestionSerializer(serializers.Serializer[Any]):
    category = serializers.ChoiceField(choices=CATEGORY_CHOICES, help_text=_("建议的类别编码"))
    category_name = serializers.CharField(help_text=_("建议的类别名称"))
    urgent = serializers.BooleanField(help_text=_("是否建议标为紧急"))
    confidence = serializers.FloatField(help_text=_("类别建议的置信度(0–1)"))


class PhotoSerializer(serializers.Serializer[NeedPhoto]):
    id = serializers.IntegerField()
    stage = serializers.CharField(help_text=_("submit 反映时 / resolve 办结时"))
    width = serializers.IntegerField()
    height = serializers.IntegerField()
    url = serializers.SerializerMethodField(help_text=_("图片地址(image/jpeg),同样按权限检查"))

    def get_url(self, photo: NeedPhoto) -> str:
        return reverse("api:need-photo", kwargs={"pk": photo.need_id, "photo_id": photo.pk})


class TimelineEventSerializer(serializers.Serializer[NeedEvent]):
    at = serializers.DateTimeField()
    kind = serializers.ChoiceField(choices=EventKind.choices)
    kind_display = serializers.CharField(source="get_kind_display")
    from_status = NeedStatusField(allow_blank=True, help_text=_("原状态(提交时为空)"))
    to_status = NeedStatusField()
    note = serializers.CharField()
    public = serializers.BooleanField(help_text=_("居民是否可见"))
    actor = serializers.SerializerMethodField(help_text=_("操作账号;仅对工作人员和承办人给出"))

    @extend_schema_field(serializers.CharField(allow_null=True))
    def get_actor(self, event: NeedEvent) -> str | None:
        return event.actor_label if self.context.get("show_actor") else None


class NeedDetailSerializer(NeedSerializer):
    """One need, shown by role."""

    contact_name = serializers.SerializerMethodField(help_text=_("诉求人姓名;仅对工作人员和承办人给出"))
    contact_phone = serializers.SerializerMethodField(
        help_text=_("联系电话:承办人与工作人员可见明文,其他人为脱敏号码")
    )
    suggestion = serializers.SerializerMethodField(
        help_text=_("提交时分类模型的建议;仅对工作人员和承办人给出")
    )
    story_consent = serializers.SerializerMethodField(help_text=_("居民是否已同意公开事迹(匿名)"))
    photos = serializers.SerializerMethodField()
    timeline = serializers.SerializerMethodField(
        help_text=_("处理记录:居民只看到公开的记录,工作人员与承办人看到全部")
    )
    actions = serializers.SerializerMethodField(help_text=_("当前账号此刻可执行的操作(对应 POST 子地址)"))
    merged_into = serializers.IntegerField(source="merged_into_id", read_only=True, allow_null=True)

    class Meta(NeedSerializer.Meta):
        fields = [
            *NeedSerializer.Meta.fields,
            "contact_name",
            "contact_phone",
            "accepted_at",
            "resolved_at",
            "visited_at",
            "resolution",
            "comment",
            "merged_into",
            "suggestion",
            "story_consent",
            "photos",
            "timeline",
            "actions",
        ]
        read_only_fields = fields

    @extend_schema_field(serializers.CharField(allow_null=True))
    def get_contact_name(self, need: Need) -> str | None:
        roles = self._roles(need)
        if roles is None or not roles.handler:
            return None
        return need.person.name if need.person is not None else need.caller_name

    def get_contact_phone(self, need: Need) -> str:
        from tongxin.needs.services import need_phone_reveal

        request = self.context["request"]
        return need_phone_reveal(need=need, by=Actor.from_request(request), now=timezone.now())

    @extend_schema_field(SuggestionSerializer(allow_null=True))
    def get_suggestion(self, need: Need) -> dict[str, Any] | None:
        roles = self._roles(need)
        if roles is None or not roles.handler or not need.suggested_category:
            return None
        names = dict(CATEGORIES)
        return {
            "category": need.suggested_category,
            "category_name": names.get(need.suggested_category, need.suggested_category),
            "urgent": bool(need.suggested_urgent),
            "confidence": need.suggestion_confidence or 0.0,
        }

    def get_story_consent(self, need: Need) -> bool:
        return need.story_consent_at is not None

    @extend_schema_field(PhotoSerializer(many=True))
    def get_photos(self, need: Need) -> list[dict[str, Any]]:
        photos = need.photos.only("id", "need_id", "stage", "width", "height", "uploaded_at")
        rows: Any = photos
        return list(PhotoSerializer(rows, many=True).data)

    @extend_schema_field(TimelineEventSerializer(many=True))
    def get_timeline(self, need: Need) -> list[dict[str, Any]]:
        from tongxin.needs.selectors import need_timeline

        roles = self._roles(need)
        handler = roles is not None and roles.handler
        events = need_timeline(need, public_only=not handler)
        rows: Any = events
        return list(TimelineEventSerializer(rows, many=True, context={"show_actor": handler}).data)

    @extend_schema_field(serializers.ListField(child=serializers.CharField()))
    def get_actions(self, need: Need) -> list[str]:
        roles = self._roles(need)
        return list(roles.actions) if roles is not None else []

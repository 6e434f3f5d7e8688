"""The needs endpoints: thin. Rows come from the needs policy (need_list_for_scope), each step is
the needs service with the caller as the audited actor, and the services' refusals become the API's
error body with a stable code:

    NeedError                 → 400 validation_error (the service's field and sentence)
    NeedNotAllowed            → 403 permission_denied
    NeedTransitionNotAllowed  → 409 transition_not_allowed
    NeedAlreadyClaimed        → 409 already_claimed (the polite sentence for the one who was late)
    NotFoundOrForbidden       → 404 not_found
"""

from datetime import datetime
from typing import Any

from django.db.models import Q, QuerySet
from django.http import HttpResponse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django_filters.rest_framework import DjangoFilterBackend
from drf_spectacular.utils import OpenApiResponse, OpenApiTypes, extend_schema, extend_schema_view
from rest_framework import filters, mixins, renderers, serializers, status, viewsets
from rest_framework.decorators import action
from rest_framework.parsers import BaseParser, JSONParser, MultiPartParser
from rest_framework.permissions import IsAuthenticated
from rest_framework.request import Request
from rest_framework.response import Response

from tongxin.accounts.policies import Action, visible
from tongxin.core.actor import Actor
from tongxin.core.trees import is_within
from tongxin.insight.classifier import classify
from tongxin.needs import policies
from tongxin.needs import services as need_services
from tongxin.needs.categories import CATEGORIES
from tongxin.needs.deadlines import due_state_of
from tongxin.needs.models import Channel, EventKind, Need, NeedCategory, NeedPhoto
from tongxin.needs.selectors import need_list_for_scope, need_photo_jpeg
from tongxin.needs.services import (
    NeedAlreadyClaimed,
    NeedError,
    NeedNotAllowed,
    NeedTransitionNotAllowed,
)
from tongxin.needs.services.intake import clean_need_text
from tongxin.needs.transitions import allowed_from
from tongxin.people.models import Person
from tongxin.territory.models import Territory

from ..errors import ApiError
from ..idempotency import idempotent
from ..schema import IDEMPOTENCY_PARAMETER
from . import inputs as i
from . import serializers as s
from .filters import NeedFilter
from .steps import STEPS, TAG, NeedSteps

CATEGORY_TAG = gettext_lazy("诉求类别")
# The service names its fields after its arguments; the API after its body.
FIELD_NAMES = {"to": "target"}
MULTIPART_ACTIONS = frozenset({"create", "resolve_step", "attach_photos"})


def need_api_error(exc: Exception) -> Exception:
    """The needs services' refusals in the API's terms (see the module docstring)."""
    if isinstance(exc, NeedAlreadyClaimed):
        return ApiError(status_code=409, code="already_claimed", message=str(exc.message))
    if isinstance(exc, NeedTransitionNotAllowed):
        return ApiError(status_code=409, code="transition_not_allowed", message=str(exc.message))
    if isinstance(exc, NeedNotAllowed):
        return ApiError(status_code=403, code="permission_denied", message=str(exc.message))
    if isinstance(exc, NeedError) and exc.field in FIELD_NAMES:
        return NeedError(exc.message, field=FIELD_NAMES[exc.field])
    return exc


def suggestion_body(category: str, urgent: bool, confidence: float) -> dict[str, Any]:
    return {
        "category": category,
        "category_name": dict(CATEGORIES).get(category, category),
        "urgent": urgent,
        "confidence": confidence,
    }


def roles_for(user: Any, need: Need) -> s.NeedRoles:
    view_roots = policies.staff_roots(user, Action.VIEW)
    staff = is_within(need.community.path, view_roots) or (
        need.assigned_territory is not None and is_within(need.assigned_territory.path, view_roots)
    )
    handler = staff or policies.is_assignee(user, need)
    submitter = policies.is_submitter(user, need)
    actions = [step for step in STEPS if need.status in allowed_from(step) and policies.may(user, step, need)]
    for kind, name in ((EventKind.RECLASSIFY, "reclassify"), (EventKind.CONSENT, "story-consent")):
        if need.status in allowed_from(kind) and policies.may(user, kind, need):
            actions.append(name)
    return s.NeedRoles(handler=handler, submitter=submitter, actions=tuple(actions))


def own_community(user: Any) -> Territory | None:
    """The community (or village) the account's person lives in: where a resident's own need is."""
    person = getattr(user, "person", None) if getattr(user, "person_id", None) else None
    return own_community_of(person) if person is not None else None


class JPEGRenderer(renderers.BaseRenderer):
    """Names image/jpeg for content negotiation and the schema; the photo view answers with the
    bytes itself, and errors are always JSON."""

    media_type = "image/jpeg"
    format = "jpg"
    charset = None
    render_style = "binary"

    def render(
        self, data: Any, accepted_media_type: str | None = None, renderer_context: Any = None
    ) -> bytes:
        return renderers.JSONRenderer().render(data)


@extend_schema_view(
    list=extend_schema(
        operation_id="need_category_list",
        summary=gettext_lazy("诉求类别列表"),
        description=gettext_lazy("14个固定编码的诉求类别(名称可由管理员修改),按排序返回,不分页。"),
        tags=[str(CATEGORY_TAG)],
    )
)
class NeedCategoryViewSet(mixins.ListModelMixin, viewsets.GenericViewSet[NeedCategory]):
    """Open311 "GET services": what a need may be about."""

    queryset = NeedCategory.objects.order_by("order", "code")
    serializer_class = s.NeedCategorySerializer
    permission_classes = [IsAuthenticated]
    pagination_class = None
    filter_backends: list[Any] = []


@extend_schema_view(
    list=extend_schema(
        operation_id="need_list",
        summary=gettext_lazy("诉求列表"),
        description=gettext_lazy(
            "您能看到的诉求(本人的、经办的、辖区的、可认领的),分页返回。困难群体类别与不公开的诉求"
            "只有经办人看得到。可按状态、类别、紧急、属地、提交日期、时限状态筛选,按编号或内容搜索。"
        ),
        tags=[str(TAG)],
    ),
    retrieve=extend_schema(
        operation_id="need_retrieve",
        summary=gettext_lazy("诉求详情"),
        description=gettext_lazy(
            "按角色显示:联系电话对经办人为明文、对其他人脱敏;处理记录对居民只显示公开的部分;"
            "actions 列出您此刻可执行的操作。不在范围内的诉求与不存在的一样返回 404。"
        ),
        tags=[str(TAG)],
    ),
    create=extend_schema(
        operation_id="need_create",
        summary=gettext_lazy("提交诉求"),
        description=gettext_lazy(
            "来源记为“接口”。本人提交时可只填 text(社区默认为居住社区);代他人提交须填 person,"
            "或 caller_name / caller_phone,且社区在您的管辖范围内。不填 category(或 urgent)时采用"
            "分类模型的建议,并在 suggestion 中返回。可用 multipart/form-data 附照片(photos,可多张)。"
            "支持 Idempotency-Key。"
        ),
        request={"application/json": i.NeedCreateSerializer, "multipart/form-data": i.NeedCreateSerializer},
        responses={201: s.NeedDetailSerializer},
        parameters=[IDEMPOTENCY_PARAMETER],
        tags=[str(TAG)],
    ),
)
class NeedViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, NeedSteps):
    """Open311 "requests", with one POST per step of the 12345 work-order flow."""

    model = Need
    http_method_names = ["get", "post", "head", "options"]
    serializer_class = s.NeedSerializer
    filterset_class = NeedFilter
    filter_backends = [DjangoFilterBackend, filters.OrderingFilter]
    ordering_fields = [
        "submitted_at",
        "updated_at",
        "accept_due_at",
        "resolve_due_at",
        "urgent",
        "status",
        "id",
    ]
    ordering = ["-submitted_at", "-id"]
    # For the schema: the steps that answer 409, and the POSTs that honour an Idempotency-Key.
    conflict_actions = frozenset(
        {f"{step}_step" for step in STEPS} | {"reclassify", "story_consent", "attach_photos"}
    )
    idempotent_actions = conflict_actions | {"create"}

    def get_queryset(self) -> QuerySet[Any]:
        return need_list_for_scope(self.request.user).select_related(
            "assigned_territory", "assigned_org", "assigned_unit", "assigned_person"
        )

    def get_serializer_class(self) -> type[serializers.BaseSerializer[Any]]:
        return s.NeedSerializer if self.action == "list" else s.NeedDetailSerializer

    def initialize_request(self, request: Any, *args: Any, **kwargs: Any) -> Request:
        # DRF picks the parsers before it names the action; remember which one this request is.
        self._requested_action = getattr(self, "action_map", {}).get(request.method.lower())
        return super().initialize_request(request, *args, **kwargs)

    def get_parsers(self) -> list[BaseParser]:
        action = getattr(self, "action", None) or getattr(self, "_requested_action", None)
        if action in MULTIPART_ACTIONS:
            return [JSONParser(), MultiPartParser()]
        return super().get_parsers()

    def get_serializer_context(self) -> dict[str, Any]:
        context = super().get_serializer_context()
        now = timezone.now()
        context["due_state"] = lambda need: due_state_of(need, now)
        context["is_staff"] = bool(policies.staff_roots(self.request.user, Action.VIEW))
        return context

    def handle_exception(self, exc: Exception) -> Response:
        return super().handle_exception(need_api_error(exc))

    def retrieve(self, request: Request, pk: Any = None) -> Response:
        return Response(self.need_body(self.get_object()))

    def need_body(self, need: Need, *, suggestion: Any = None) -> dict[str, Any]:
        fresh = self.get_queryset().filter(pk=need.pk).select_related("person").first()
        # A step may take the need out of the caller's sight (a bounce); they still get the answer.
        need = fresh or Need.objects.select_related("category", "community", "person").get(pk=need.pk)
        roles = roles_for(self.request.user, need)
        context = {**self.get_serializer_context(), "roles": {need.pk: roles}}
        data = dict(s.NeedDetailSerializer(need, context=context).data)
        if suggestion is not None and data.get("suggestion") is None:
            data["suggestion"] = suggestion
        return data

    # --- intake -----------------------------------------------------------------------------

    def create(self, request: Request) -> Response:
        return idempotent(request, self._create)

    def _create(self) -> Response:
        request = self.request
        user = request.user
        form = i.NeedCreateSerializer(data=request.data, context=self.get_serializer_context())
        mine = own_community(user)
        communities = Territory.objects.filter(level__in=policies.COMMUNITY_LEVELS).filter(
            Q(pk__in=visible(user, Territory).values("pk")) | Q(pk=mine.pk if mine else None)
        )
        form.fields["community"].queryset = communities  # type: ignore[attr-defined]
        form.fields["person"].queryset = visible(user, Person)  # type: ignore[attr-defined]
        form.is_valid(raise_exception=True)
        data = form.validated_data
        text = clean_need_text(data["text"])
        person = data.get("person")
        caller_name, caller_phone = data.get("caller_name", ""), data.get("caller_phone", "")
        community = data.get("community") or own_community_of(person or getattr(user, "person", None))
        if (
            person is None
            and getattr(user, "person_id", None)
            and (
                not (caller_name or caller_phone)
                or community is None
                or not policies.may_submit_for(user, community)
            )
        ):
            # The caller's own need: nobody named, or an account that may not enter needs for
            # others (a resident's caller_phone is then simply how to reach them).
            person = user.person  # type: ignore[union-attr]
        if community is None:
            raise serializers.ValidationError({"community": [_("请选择诉求所在的社区或村。")]})
        category, urgent, suggestion = data.get("category"), data.get("urgent"), None
        if not category or urgent is None:
            guess = classify(text)
            suggestion = suggestion_body(guess.category, guess.urgent, guess.confidence)
            category, urgent = category or guess.category, guess.urgent if urgent is None else urgent
        need = need_services.need_submit(
            text=text,
            category=category,
            urgent=urgent,
            community=community,
            channel=Channel.API,
            person=person,
            caller_name=caller_name,
            caller_phone=caller_phone,
            tags=data.get("tags", []),
            place=data.get("place", ""),
            private=data.get("private", False),
            by=Actor.from_request(request),
            now=timezone.now(),
            photos=data.get("photos") or (),
        )
        return Response(self.need_body(need, suggestion=suggestion), status=status.HTTP_201_CREATED)

    @extend_schema(
        operation_id="need_classify",
        summary=gettext_lazy("诉求自动分类"),
        description=gettext_lazy(
            "给第三方受理应用用:按诉求内容返回建议的类别与是否紧急及置信度,不写入任何数据。"
        ),
        request=i.ClassifyRequestSerializer,
        responses={200: s.SuggestionSerializer},
        tags=[str(TAG)],
    )
    @action(detail=False, methods=["post"], url_path="classify")
    def classify(self, request: Request) -> Response:
        form = i.ClassifyRequestSerializer(data=request.data)
        form.is_valid(raise_exception=True)
        guess = classify(clean_need_text(form.validated_data["text"]))
        return Response(suggestion_body(guess.category, guess.urgent, guess.confidence))

    # --- photos -----------------------------------------------------------------------------

    @extend_schema(
        operation_id="need_photo",
        summary=gettext_lazy("诉求照片"),
        description=gettext_lazy("JPEG 图片(已去除拍摄位置等信息);能看到该诉求才能看到其照片。"),
        responses={(200, "image/jpeg"): OpenApiResponse(response=OpenApiTypes.BINARY)},
        tags=[str(TAG)],
    )
    @action(
        detail=True,
        methods=["get"],
        url_path=r"photos/(?P<photo_id>[0-9]{1,18})",
        url_name="photo",
        renderer_classes=[renderers.JSONRenderer, JPEGRenderer],
        filter_backends=[],
        pagination_class=None,
    )
    def photo(self, request: Request, pk: Any = None, photo_id: Any = None) -> Any:
        need = self.get_object()
        photo = NeedPhoto.objects.filter(need=need, pk=int(photo_id)).first()
        if photo is None:
            raise ApiError(status_code=404, code="not_found")
        response = HttpResponse(need_photo_jpeg(photo), content_type="image/jpeg")
        # Photos show people's homes: never kept by a shared cache.
        response["Cache-Control"] = "private, no-store"
        return response

    @extend_schema(
        operation_id="need_photos_add",
        summary=gettext_lazy("补充照片"),
        description=gettext_lazy(
            "multipart/form-data:stage 为 submit(居民或录入人补充问题照片,诉求未结束时)或 resolve"
            "(承办人上传办理结果照片)。每个环节最多4张;有一张不是图片则全部不保存。支持 Idempotency-Key。"
        ),
        request={"multipart/form-data": i.PhotoUploadSerializer},
        responses={200: s.NeedDetailSerializer},
        parameters=[IDEMPOTENCY_PARAMETER],
        tags=[str(TAG)],
    )
    @action(detail=True, methods=["post"], url_path="photos", url_name="photos")
    def attach_photos(self, request: Request, pk: Any = None) -> Response:
        def run(need: Need, data: dict[str, Any], by: Actor, now: datetime) -> Need:
            need_services.need_attach_photos(
                need=need, files=data["photos"], stage=data["stage"], by=by, now=now
            )
            return need

        return self._step(i.PhotoUploadSerializer, run)

    def finalize_response(self, request: Request, response: Any, *args: Any, **kwargs: Any) -> Any:
        if isinstance(response, Response) and getattr(self, "action", None) == "photo":
            # An error from the photo address is JSON whatever the client accepted.
            request.accepted_renderer = renderers.JSONRenderer()
            request.accepted_media_type = "application/json"
        return super().finalize_response(request, response, *args, **kwargs)


def own_community_of(person: Person | None) -> Territory | None:
    residence = person.residence if person is not None else None
    if residence is None:
        return None
    prefixes = [
        residence.path[:i] for i in range(Territory.steplen, len(residence.path) + 1, Territory.steplen)
    ]
    return (
        Territory.objects.filter(path__in=prefixes, level__in=policies.COMMUNITY_LEVELS)
        .order_by("-depth")
        .first()
    )

"""One POST per lifecycle step of a need (the 12345 work-order flow): each validates its small
body, looks the need up in the caller's scope, and runs the needs service with the caller as the
audited actor. The answer is the need as the caller now sees it (NeedViewSet.need_body)."""

from collections.abc import Callable
from datetime import datetime
from typing import Any

from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from drf_spectacular.utils import extend_schema
from rest_framework import serializers
from rest_framework.decorators import action
from rest_framework.request import Request
from rest_framework.response import Response

from tongxin.accounts.policies import visible
from tongxin.core.actor import Actor
from tongxin.needs import services as need_services
from tongxin.needs.models import Need
from tongxin.needs.selectors import need_list_for_scope
from tongxin.orgs.models import Organization
from tongxin.people.models import Person
from tongxin.territory.models import Territory
from tongxin.units.models import Unit

from ..errors import ApiError
from ..idempotency import idempotent
from ..schema import IDEMPOTENCY_PARAMETER
from ..views import ScopedViewSet, row_id
from . import inputs as i
from . import serializers as s

TAG = gettext_lazy("诉求")
TARGET_MODELS: dict[str, type[Any]] = {
    "territory": Territory,
    "organization": Organization,
    "unit": Unit,
    "person": Person,
}
# The lifecycle steps in the order a need meets them; "return" is a keyword in Python, hence the
# method names below end in "_step" and the URL keeps the word.
STEPS = (
    "accept",
    "return",
    "dispatch",
    "bounce",
    "claim",
    "start",
    "resolve",
    "visit",
    "archive",
    "withdraw",
    "merge",
    "reopen",
)


def _step_docs(summary: Any, description: Any, request: Any) -> Callable[[Any], Any]:
    return extend_schema(
        summary=summary,
        description=description,
        request=request,
        responses={200: s.NeedDetailSerializer},
        parameters=[IDEMPOTENCY_PARAMETER],
        tags=[str(TAG)],
    )


class NeedSteps(ScopedViewSet):
    """The step actions of NeedViewSet."""

    def need_body(self, need: Need, *, suggestion: Any = None) -> dict[str, Any]:
        raise NotImplementedError

    def _step(
        self, form_class: type[serializers.Serializer[Any]], run: Callable[..., Need], *, scoped: bool = True
    ) -> Response:
        def handle() -> Response:
            # A claim looks the need up unscoped: the one who was a moment late no longer sees it,
            # and must be thanked (409), not told it does not exist. The service still answers
            # "not found" to anyone who could never have claimed it.
            need = self.get_object() if scoped else self._unscoped_need()
            form = form_class(data=self.request.data)
            form.is_valid(raise_exception=True)
            done = run(
                need=need, data=form.validated_data, by=Actor.from_request(self.request), now=timezone.now()
            )
            return Response(self.need_body(done))

        return idempotent(self.request, handle)

    def _unscoped_need(self) -> Need:
        need = Need.objects.filter(pk=row_id(self.kwargs.get("pk"))).first()
        if need is None:
            raise ApiError(status_code=404, code="not_found")
        return need

    @_step_docs(
        gettext_lazy("受理"), gettext_lazy("待受理 → 已受理,受理时限开始计算办结时限。"), i.NoteSerializer
    )
    @action(detail=True, methods=["post"], url_path="accept")
    def accept_step(self, request: Request, pk: Any = None) -> Response:
        return self._step(
            i.NoteSerializer,
            lambda need, data, by, now: need_services.need_accept(
                need=need, note=data.get("note", ""), by=by, now=now
            ),
        )

    @_step_docs(
        gettext_lazy("退回"), gettext_lazy("待受理 → 已退回,须写明原因,居民会收到通知。"), i.ReasonSerializer
    )
    @action(detail=True, methods=["post"], url_path="return")
    def return_step(self, request: Request, pk: Any = None) -> Response:
        return self._step(
            i.ReasonSerializer,
            lambda need, data, by, now: need_services.need_return(
                need=need, reason=data["reason"], by=by, now=now
            ),
        )

    @_step_docs(
        gettext_lazy("派单"),
        gettext_lazy(
            '已受理 → 已派单。target 为 {"type": "territory|organization|unit|person", "id": 编号},'
            "须在您的管辖范围内。"
        ),
        i.DispatchSerializer,
    )
    @action(detail=True, methods=["post"], url_path="dispatch")
    def dispatch_step(self, request: Request, pk: Any = None) -> Response:
        def run(need: Need, data: dict[str, Any], by: Actor, now: datetime) -> Need:
            target = data["target"]
            model = TARGET_MODELS[target["type"]]
            to = visible(by.user, model).filter(pk=target["id"]).first()
            if to is None:
                raise serializers.ValidationError({"target": [_("找不到该承办对象,或不在您的管辖范围内。")]})
            return need_services.need_dispatch(need=need, to=to, note=data.get("note", ""), by=by, now=now)

        return self._step(i.DispatchSerializer, run)

    @_step_docs(
        gettext_lazy("退单"),
        gettext_lazy("承办方退回派单人,须写明原因;每一级只能退一次。"),
        i.ReasonSerializer,
    )
    @action(detail=True, methods=["post"], url_path="bounce")
    def bounce_step(self, request: Request, pk: Any = None) -> Response:
        return self._step(
            i.ReasonSerializer,
            lambda need, data, by, now: need_services.need_bounce(
                need=need, reason=data["reason"], by=by, now=now
            ),
        )

    @_step_docs(
        gettext_lazy("认领"),
        gettext_lazy(
            "党员和志愿者认领所住社区与服务社区的公开诉求,党员还可认领本支部的派单。"
            "同时认领时只有一人成功,另一人得到 409 already_claimed。"
        ),
        i.EmptySerializer,
    )
    @action(detail=True, methods=["post"], url_path="claim")
    def claim_step(self, request: Request, pk: Any = None) -> Response:
        return self._step(
            i.EmptySerializer,
            lambda need, data, by, now: need_services.need_claim(need=need, by=by, now=now),
            scoped=False,
        )

    @_step_docs(gettext_lazy("开始办理"), gettext_lazy("已派单或已认领 → 办理中。"), i.NoteSerializer)
    @action(detail=True, methods=["post"], url_path="start")
    def start_step(self, request: Request, pk: Any = None) -> Response:
        return self._step(
            i.NoteSerializer,
            lambda need, data, by, now: need_services.need_start(
                need=need, note=data.get("note", ""), by=by, now=now
            ),
        )

    @_step_docs(
        gettext_lazy("办结"),
        gettext_lazy("办理中 → 已办结,写明办理结果(居民可见);可用 multipart/form-data 附办结照片。"),
        {"application/json": i.ResolveSerializer, "multipart/form-data": i.ResolveSerializer},
    )
    @action(detail=True, methods=["post"], url_path="resolve")
    def resolve_step(self, request: Request, pk: Any = None) -> Response:
        def run(need: Need, data: dict[str, Any], by: Actor, now: datetime) -> Need:
            return need_services.need_resolve(
                need=need, result=data["result"], photos=data.get("photos") or (), by=by, now=now
            )

        return self._step(i.ResolveSerializer, run)

    @_step_docs(
        gettext_lazy("回访评价"),
        gettext_lazy("已办结 → 已回访:居民本人评价1–5星,或工作人员记录电话回访结果。"),
        i.VisitSerializer,
    )
    @action(detail=True, methods=["post"], url_path="visit")
    def visit_step(self, request: Request, pk: Any = None) -> Response:
        return self._step(
            i.VisitSerializer,
            lambda need, data, by, now: need_services.need_visit(
                need=need, rating=data["rating"], comment=data.get("comment", ""), by=by, now=now
            ),
        )

    @_step_docs(gettext_lazy("归档"), gettext_lazy("已回访或已退回 → 已归档。"), i.EmptySerializer)
    @action(detail=True, methods=["post"], url_path="archive")
    def archive_step(self, request: Request, pk: Any = None) -> Response:
        return self._step(
            i.EmptySerializer,
            lambda need, data, by, now: need_services.need_archive(need=need, by=by, now=now),
        )

    @_step_docs(gettext_lazy("撤回"), gettext_lazy("居民本人在办结前撤回诉求。"), i.OptionalReasonSerializer)
    @action(detail=True, methods=["post"], url_path="withdraw")
    def withdraw_step(self, request: Request, pk: Any = None) -> Response:
        return self._step(
            i.OptionalReasonSerializer,
            lambda need, data, by, now: need_services.need_withdraw(
                need=need, reason=data.get("reason", ""), by=by, now=now
            ),
        )

    @_step_docs(
        gettext_lazy("合并重复诉求"),
        gettext_lazy("把本诉求并入同一社区另一件尚在办理的诉求(into 为其编号)。"),
        i.MergeSerializer,
    )
    @action(detail=True, methods=["post"], url_path="merge")
    def merge_step(self, request: Request, pk: Any = None) -> Response:
        def run(need: Need, data: dict[str, Any], by: Actor, now: datetime) -> Need:
            into = need_list_for_scope(by.user).filter(pk=data["into"]).first()
            if into is None:
                raise serializers.ValidationError({"into": [_("只能合并到同一社区尚在办理中的诉求。")]})
            return need_services.need_merge(need=need, into=into, by=by, now=now)

        return self._step(i.MergeSerializer, run)

    @_step_docs(
        gettext_lazy("重新办理"),
        gettext_lazy("不满意(1–2星)的诉求回到已受理,重新派单办理。"),
        i.OptionalReasonSerializer,
    )
    @action(detail=True, methods=["post"], url_path="reopen")
    def reopen_step(self, request: Request, pk: Any = None) -> Response:
        return self._step(
            i.OptionalReasonSerializer,
            lambda need, data, by, now: need_services.need_reopen(
                need=need, reason=data.get("reason", ""), by=by, now=now
            ),
        )

    @_step_docs(
        gettext_lazy("更正类别"),
        gettext_lazy("工作人员更正类别与紧急程度;更正记录用于改进分类模型。"),
        i.ReclassifySerializer,
    )
    @action(detail=True, methods=["post"], url_path="reclassify")
    def reclassify(self, request: Request, pk: Any = None) -> Response:
        return self._step(
            i.ReclassifySerializer,
            lambda need, data, by, now: need_services.need_reclassify(
                need=need, category=data["category"], urgent=data["urgent"], by=by, now=now
            ),
        )

    @_step_docs(
        gettext_lazy("同意公开事迹"),
        gettext_lazy("居民本人同意(或撤回同意)以匿名方式公开该诉求的办理事迹。"),
        i.ConsentSerializer,
    )
    @action(detail=True, methods=["post"], url_path="story-consent", url_name="story-consent")
    def story_consent(self, request: Request, pk: Any = None) -> Response:
        return self._step(
            i.ConsentSerializer,
            lambda need, data, by, now: need_services.need_story_consent(
                need=need, consent=data["consent"], by=by, now=now
            ),
        )

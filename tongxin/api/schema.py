"""OpenAPI description of the API: Chinese summaries, stable operation ids, the token scheme, and
the one error body documented on every operation with each status it can take."""

from collections.abc import Callable
from typing import Any

from django.utils.text import format_lazy
from django.utils.translation import gettext_lazy as _
from drf_spectacular.extensions import OpenApiAuthenticationExtension
from drf_spectacular.openapi import AutoSchema
from drf_spectacular.utils import OpenApiParameter, OpenApiTypes, extend_schema, extend_schema_view
from rest_framework import serializers

from .errors import ERROR_CODE_CHOICES

IDEMPOTENCY_PARAMETER = OpenApiParameter(
    name="Idempotency-Key",
    type=OpenApiTypes.STR,
    location=OpenApiParameter.HEADER,
    required=False,
    description=_(
        "幂等键(1–255个可见字符)。同一账号以同一键、同样内容重试时只新建一条记录,并返回与首次相同的"
        "状态和内容(响应头 Idempotent-Replayed: true);同一键用于不同内容时返回 422 "
        "idempotency_key_reused。保存24小时。"
    ),
)


class ErrorSerializer(serializers.Serializer[Any]):
    """所有错误响应的统一结构。"""

    code = serializers.ChoiceField(choices=ERROR_CODE_CHOICES, help_text=_("稳定的错误代码"))
    message = serializers.CharField(help_text=_("面向用户的中文说明"))
    fields = serializers.DictField(  # type: ignore[assignment]
        child=serializers.ListField(child=serializers.CharField()),
        help_text=_("字段名 → 该字段的错误说明(仅 validation_error 时非空)"),
    )
    wait = serializers.IntegerField(required=False, help_text=_("仅 throttled:需等待的秒数"))

    class Meta:
        ref_name = "Error"


ERROR_DESCRIPTIONS: dict[str, Any] = {
    "400": _("请求有误:validation_error(fields 给出各字段说明)或 parse_error"),
    "401": _("not_authenticated:未登录,或令牌无效、已撤销、已过期"),
    "403": _("permission_denied、csrf_failed(会话方式缺 CSRF 令牌)或 second_factor_required(未完成二次验证)"),
    "404": _("not_found:记录不存在,或不在您的权限范围内(两者无法区分)"),
    "409": _(
        "transition_not_allowed:诉求当前状态不能执行此操作;already_claimed:已被他人认领(message 为致谢的话)"
    ),
    "415": _("unsupported_media_type:请使用 application/json"),
    "422": _("idempotency_key_reused:同一幂等键用于了不同的请求内容"),
    "429": _("throttled:请求过于频繁;wait 与 Retry-After 给出需等待的秒数"),
}


class TongxinAutoSchema(AutoSchema):
    def _get_response_bodies(self, direction: str = "response") -> dict[str, Any]:
        responses: dict[str, Any] = super()._get_response_bodies(direction)  # type: ignore[arg-type]
        for code in self._error_codes():
            if code not in responses:
                response = self._get_response_for_code(ErrorSerializer, code, direction=direction)
                response["description"] = str(ERROR_DESCRIPTIONS[code])
                if code == "429":
                    response["headers"] = {
                        "Retry-After": {"schema": {"type": "integer"}, "description": str(_("需等待的秒数"))}
                    }
                responses[code] = response
        return responses

    def _error_codes(self) -> list[str]:
        codes = ["401", "403", "429"]
        if self.method == "GET":
            codes.append("404" if "{" in self.path else "400")
            if "{" not in self.path:
                codes.append("404")  # a page number past the end
        else:
            codes += ["400", "415"]
            if "{" in self.path or self._is_list_view():
                codes.append("404")  # a missing row, or a list's page number past the end
            action = getattr(self.view, "action", None)
            if self._is_create_operation() or action in getattr(self.view, "idempotent_actions", ()):
                codes.append("422")
            if action in getattr(self.view, "conflict_actions", ()):
                codes.append("409")
        return sorted(set(codes))


class TokenScheme(OpenApiAuthenticationExtension):
    target_class = "tongxin.api.tokens.TokenAuthentication"
    name = "tokenAuth"

    def get_security_definition(self, auto_schema: AutoSchema) -> dict[str, Any]:
        return {
            "type": "apiKey",
            "in": "header",
            "name": "Authorization",
            "description": str(
                _("请求头 Authorization: Token <令牌>。令牌由管理员用 manage.py api_token create 签发。")
            ),
        }


class VerifiedSessionScheme(OpenApiAuthenticationExtension):
    target_class = "tongxin.api.authentication.VerifiedSessionAuthentication"
    name = "cookieAuth"

    def get_security_definition(self, auto_schema: AutoSchema) -> dict[str, Any]:
        return {
            "type": "apiKey",
            "in": "cookie",
            "name": "sessionid",
            "description": str(_("网页登录会话(须已完成二次验证);写操作须带 X-CSRFToken 请求头。")),
        }


def api_docs(
    name: str,
    label: Any,
    *,
    create: type[serializers.Serializer[Any]] | None = None,
    update: type[serializers.Serializer[Any]] | None = None,
) -> Callable[[type], type]:
    """Operation ids `<name>_<action>` and Chinese summaries for one viewset's operations."""

    def decorate(view: type) -> type:
        read = view.serializer_class  # type: ignore[attr-defined]
        ops: dict[str, Any] = {
            "list": extend_schema(
                operation_id=f"{name}_list",
                summary=format_lazy(_("{}列表"), label),
                description=_("您权限范围内的记录,分页返回(page、page_size,每页最多100条),可筛选、排序。"),
                tags=[str(label)],
            ),
            "retrieve": extend_schema(
                operation_id=f"{name}_retrieve",
                summary=format_lazy(_("{}详情"), label),
                description=_("不在您权限范围内的记录与不存在的记录一样返回 404。"),
                tags=[str(label)],
            ),
        }
        if create is not None:
            ops["create"] = extend_schema(
                operation_id=f"{name}_create",
                summary=format_lazy(_("新增{}"), label),
                description=_("按与网页相同的规则校验;有任何错误时不写入任何数据。支持 Idempotency-Key。"),
                request=create,
                responses={201: read},
                parameters=[IDEMPOTENCY_PARAMETER],
                tags=[str(label)],
            )
        if update is not None:
            ops["update"] = extend_schema(
                operation_id=f"{name}_update",
                summary=format_lazy(_("修改{}(整体)"), label),
                request=update,
                responses={200: read},
                tags=[str(label)],
            )
            ops["partial_update"] = extend_schema(
                operation_id=f"{name}_partial_update",
                summary=format_lazy(_("修改{}(部分字段)"), label),
                request=update,
                responses={200: read},
                tags=[str(label)],
            )
        return extend_schema_view(**ops)(view)

    return decorate

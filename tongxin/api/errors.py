"""One error body for every failure of the API, with a stable code a client can branch on:

    {"code": "<code>", "message": "<一句中文>", "fields": {"<field>": ["<中文说明>", ...]}}

`fields` is filled for validation_error and empty otherwise; throttled adds `wait` (seconds, also
in the Retry-After header). The codes are listed in ERROR_CODES and in the schema."""

import math
from typing import Any

from django.core.exceptions import PermissionDenied as DjangoPermissionDenied
from django.core.exceptions import ValidationError as DjangoValidationError
from django.http import Http404
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from rest_framework import exceptions, status
from rest_framework.response import Response

from tongxin.core.errors import ApplicationError, NotFoundOrForbidden

ERROR_CODES: dict[str, Any] = {
    "validation_error": gettext_lazy("提交的数据有误,请按各字段的说明修改。"),
    "parse_error": gettext_lazy("请求内容无法解析,请检查 JSON 格式。"),
    "not_authenticated": gettext_lazy("未登录,或登录凭据无效、已过期。"),
    "second_factor_required": gettext_lazy("请先在网页上完成二次验证(动态口令),再使用接口。"),
    "permission_denied": gettext_lazy("您无权执行此操作。"),
    "csrf_failed": gettext_lazy("会话方式提交须附带有效的 CSRF 令牌(X-CSRFToken 请求头)。"),
    "not_found": gettext_lazy("未找到该记录,或您无权查看。"),
    "method_not_allowed": gettext_lazy("该地址不支持此请求方法。"),
    "not_acceptable": gettext_lazy("无法按请求的格式返回内容,请接受 application/json。"),
    "unsupported_media_type": gettext_lazy("不支持该请求内容类型,请使用 application/json。"),
    "transition_not_allowed": gettext_lazy("该诉求当前的状态不能执行此操作。"),
    "already_claimed": gettext_lazy("该诉求刚刚已被他人认领,感谢您的热心!"),
    "idempotency_key_reused": gettext_lazy("该 Idempotency-Key 已用于另一个不同的请求,请换一个新的键。"),
    "throttled": gettext_lazy("请求过于频繁,请稍后再试。"),
    "server_error": gettext_lazy("服务器内部错误,请稍后再试。"),
}

ERROR_CODE_CHOICES = [(code, str(message)) for code, message in ERROR_CODES.items()]


class ApiError(exceptions.APIException):
    """An error that is already in the API's terms: a status, a code and a message."""

    def __init__(self, *, status_code: int, code: str, message: str | None = None) -> None:
        self.status_code = status_code
        self.error_code = code
        super().__init__(detail=message or str(ERROR_CODES[code]), code=code)


class DomainRefusal(exceptions.ValidationError):
    """A rule of the domain said no: its Chinese sentence is the message, and also the field's
    message when the rule names a field."""

    def __init__(self, exc: ApplicationError) -> None:
        self.sentence = str(exc.message)
        super().__init__({exc.field: [self.sentence]} if exc.field else {})


def error_body(code: str, message: Any = None, fields: dict[str, list[str]] | None = None) -> dict[str, Any]:
    return {"code": code, "message": str(message or ERROR_CODES[code]), "fields": fields or {}}


def _field_messages(detail: Any) -> dict[str, list[str]]:
    """DRF's nested error detail flattened to field → list of messages; nested keys are joined
    with dots (a list position becomes its index)."""
    out: dict[str, list[str]] = {}

    def walk(prefix: str, value: Any) -> None:
        if isinstance(value, dict):
            for key, sub in value.items():
                walk(f"{prefix}.{key}" if prefix else str(key), sub)
        elif isinstance(value, list) and value and all(not isinstance(v, dict | list) for v in value):
            out.setdefault(prefix or "non_field_errors", []).extend(str(v) for v in value)
        elif isinstance(value, list):
            for i, sub in enumerate(value):
                walk(f"{prefix}.{i}" if prefix else str(i), sub)
        else:
            out.setdefault(prefix or "non_field_errors", []).append(str(value))

    walk("", detail)
    return out


def django_validation_fields(exc: DjangoValidationError) -> dict[str, list[str]]:
    if hasattr(exc, "error_dict"):
        return {
            ("non_field_errors" if k == "__all__" else k): [str(m) for m in v]
            for k, v in exc.message_dict.items()
        }
    return {"non_field_errors": [str(m) for m in exc.messages]}


def _as_api_exception(exc: Exception) -> exceptions.APIException | None:
    if isinstance(exc, NotFoundOrForbidden | Http404):
        return exceptions.NotFound()
    if isinstance(exc, DjangoPermissionDenied):
        return exceptions.PermissionDenied()
    if isinstance(exc, DjangoValidationError):
        return exceptions.ValidationError(django_validation_fields(exc))
    if isinstance(exc, ApplicationError):
        return DomainRefusal(exc)
    if isinstance(exc, exceptions.APIException):
        return exc
    return None


def api_exception_handler(exc: Exception, context: dict[str, Any]) -> Response | None:
    # Imported here: rest_framework.views imports the authentication classes, which use ApiError.
    from rest_framework.views import set_rollback

    api_exc = _as_api_exception(exc)
    if api_exc is None:
        return None  # a bug: Django's 500 handling and logging take it
    headers: dict[str, str] = {}
    body = _body_for(api_exc)
    if isinstance(api_exc, exceptions.Throttled):
        wait = math.ceil(getattr(api_exc, "wait", None) or 1)
        body["wait"] = wait
        headers["Retry-After"] = str(wait)
    if isinstance(api_exc, exceptions.NotAuthenticated | exceptions.AuthenticationFailed):
        authenticate = getattr(api_exc, "auth_header", None)
        if authenticate:
            headers["WWW-Authenticate"] = authenticate
    set_rollback()
    return Response(body, status=api_exc.status_code, headers=headers)


def _body_for(exc: exceptions.APIException) -> dict[str, Any]:
    if isinstance(exc, ApiError):
        return error_body(exc.error_code, exc.detail)
    if isinstance(exc, DomainRefusal):
        return error_body("validation_error", exc.sentence, _field_messages(exc.detail))
    if isinstance(exc, exceptions.ValidationError):
        return error_body("validation_error", None, _field_messages(exc.detail))
    if isinstance(exc, exceptions.ParseError):
        return error_body("parse_error")
    if isinstance(exc, exceptions.NotAuthenticated | exceptions.AuthenticationFailed):
        # One message for every kind of failure: which part was wrong is not told.
        return error_body("not_authenticated")
    if isinstance(exc, exceptions.PermissionDenied):
        if str(exc.detail).startswith("CSRF Failed"):
            return error_body("csrf_failed")
        return error_body("permission_denied")
    if isinstance(exc, exceptions.NotFound):
        return error_body("not_found")
    if isinstance(exc, exceptions.MethodNotAllowed):
        return error_body("method_not_allowed")
    if isinstance(exc, exceptions.NotAcceptable):
        return error_body("not_acceptable")
    if isinstance(exc, exceptions.UnsupportedMediaType):
        return error_body("unsupported_media_type")
    if isinstance(exc, exceptions.Throttled):
        return error_body(
            "throttled",
            _("请求过于频繁,请在 %(n)s 秒后再试。") % {"n": math.ceil(getattr(exc, "wait", None) or 1)},
        )
    return (
        error_body("server_error")
        if exc.status_code >= status.HTTP_500_INTERNAL_SERVER_ERROR
        else error_body("validation_error", str(exc.detail))
    )

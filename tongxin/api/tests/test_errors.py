"""The error body for what the services raise: their Chinese sentences arrive intact, at the
field when they name one."""

from django.core.exceptions import ValidationError

from tongxin.api.errors import api_exception_handler
from tongxin.core.errors import ApplicationError, NotFoundOrForbidden


def body(exc: Exception) -> tuple[int, dict]:
    response = api_exception_handler(exc, {})
    assert response is not None
    return response.status_code, response.data


def test_a_domain_refusal_keeps_its_sentence_as_the_message_and_at_its_field() -> None:
    status, data = body(ApplicationError("不能把节点移动到它自己或它的下级节点之下。", field="parent"))
    assert status == 400
    assert data == {
        "code": "validation_error",
        "message": "不能把节点移动到它自己或它的下级节点之下。",
        "fields": {"parent": ["不能把节点移动到它自己或它的下级节点之下。"]},
    }
    status, data = body(ApplicationError("“杨树浦社区”仍有关联的党组织,不能删除。"))
    assert (status, data["message"], data["fields"]) == (400, "“杨树浦社区”仍有关联的党组织,不能删除。", {})


def test_a_service_validation_error_keeps_every_field_message() -> None:
    status, data = body(ValidationError({"code": "区划代码已被使用。", "__all__": ["整体有误。"]}))
    assert status == 400
    assert data["fields"] == {"code": ["区划代码已被使用。"], "non_field_errors": ["整体有误。"]}


def test_not_found_or_forbidden_is_the_one_404() -> None:
    assert body(NotFoundOrForbidden("x")) == (
        404,
        {"code": "not_found", "message": "未找到该记录,或您无权查看。", "fields": {}},
    )


def test_a_bug_is_left_to_django() -> None:
    assert api_exception_handler(ZeroDivisionError(), {}) is None

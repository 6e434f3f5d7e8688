"""Template helpers of the needs pages: the navigation's count of needs waiting."""

from django import template

register = template.Library()


@register.simple_tag(takes_context=True)
def needs_waiting(context: template.Context) -> int:
    """待受理 + 待派单 in the account's communities, once per page (cached on the request)."""
    from ..needs_queue import waiting_count

    request = context.get("request")
    if request is None or not getattr(request.user, "is_authenticated", False):
        return 0
    if not hasattr(request, "_needs_waiting"):
        request._needs_waiting = waiting_count(request.user)
    return request._needs_waiting  # type: ignore[no-any-return]


@register.filter
def make_list_of_one(value: object) -> list[object]:
    return [value] if value else []


@register.filter
def split_words(value: str) -> list[str]:
    return value.split()


@register.filter
def get_field(form: object, name: str) -> object:
    return form[name]  # type: ignore[index]


@register.simple_tag(takes_context=True)
def needs_dispatcher(context: template.Context) -> bool:
    """Office staff with a territory: they dispatch, so they see 派单推荐 (helper "matching")."""
    from tongxin.needs.policies import staff_roots

    request = context.get("request")
    user = getattr(request, "user", None)
    return bool(user is not None and getattr(user, "is_authenticated", False) and staff_roots(user))


@register.simple_tag
def optional_url(name: str) -> str:
    """The address of a page another app provides, or "" while it is not mounted."""
    from django.urls import NoReverseMatch, reverse

    try:
        return reverse(name)
    except NoReverseMatch:
        return ""

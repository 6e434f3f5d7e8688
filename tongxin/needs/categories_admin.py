"""Administrators' edits of the need categories (DESIGN.md §11): the names and their order.

The codes never change: deadline rules (tongxin.workdays.policy), the classifier and the reports
key on them, so a rename is only what people read. Who may edit is the district administrator and
the system administrator; for everyone else the settings pages do not exist (the same 404)."""

import unicodedata
from datetime import datetime
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from tongxin.accounts.models import Role
from tongxin.accounts.policies import roles_of
from tongxin.audit.models import AuditAction
from tongxin.audit.services import audit_record
from tongxin.core.actor import Actor
from tongxin.core.errors import NotFoundOrForbidden
from tongxin.core.validators import clean_text

from .models import NeedCategory

SETTINGS_ROLES = frozenset({Role.DISTRICT_ADMIN, Role.SYSTEM_ADMIN})
NAME_MAX = 20
ORDER_MAX = 999
# Besides letters and digits (Chinese characters are letters to Unicode), a category name may hold
# only the two marks Chinese lists use inside a name, and plain spaces for Latin words.
NAME_MARKS = frozenset("、· ")


def may_edit_settings(user: Any) -> bool:
    """Whether the account may open the settings pages (诉求类别, 工作日历)."""
    return bool(roles_of(user) & SETTINGS_ROLES)


def _name_errors(name: str, *, code: str) -> list[str]:
    if not name:
        return [_("请填写类别名称。")]
    errors = []
    if len(name) > NAME_MAX:
        errors.append(_("类别名称不能超过 %(max)s 个字(现有 %(n)s 个)。") % {"max": NAME_MAX, "n": len(name)})
    odd = sorted({c for c in name if c not in NAME_MARKS and unicodedata.category(c)[0] not in "LN"})
    if odd:
        errors.append(
            _("类别名称只能包含汉字、字母、数字和“、”“·”,不能包含:%(chars)s") % {"chars": " ".join(odd)}
        )
    taken = NeedCategory.objects.exclude(code=code).filter(name__iexact=name).first()
    if taken is not None:
        errors.append(
            _("已有名为“%(name)s”的类别(编码 %(code)s)。") % {"name": taken.name, "code": taken.code}
        )
    return errors


def need_category_rename(*, code: str, name: str, order: int, by: Actor, now: datetime) -> NeedCategory:
    """Give a category a new name and place in lists. Raises ValidationError keyed by field
    ("name", "order"); bad input changes nothing, and saving what is already there writes no
    audit row. A system actor (a command, a test) may edit; an account needs a settings role."""
    if by.user is not None and not may_edit_settings(by.user):
        raise NotFoundOrForbidden(_("未找到该记录,或您无权查看。"))
    name = " ".join(clean_text(name).split())
    with transaction.atomic():
        category = NeedCategory.objects.select_for_update().filter(code=code).first()
        if category is None:
            raise NotFoundOrForbidden(_("未找到该记录,或您无权查看。"))
        errors: dict[str, list[str]] = {}
        if name_errors := _name_errors(name, code=code):
            errors["name"] = name_errors
        if isinstance(order, bool) or not isinstance(order, int) or not 0 <= order <= ORDER_MAX:
            errors["order"] = [_("排序须是 0 到 %(max)s 之间的整数。") % {"max": ORDER_MAX}]
        if errors:
            raise ValidationError(errors)
        before = {"name": category.name, "order": category.order}
        after = {"name": name, "order": order}
        if before == after:
            return category
        category.name, category.order = name, order
        category.save(update_fields=["name", "order"])
        audit_record(
            actor=by,
            action=AuditAction.UPDATE,
            target=category,
            detail={"code": code, "before": before, "after": after},
            now=now,
        )
    return category

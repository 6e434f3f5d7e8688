"""The 设置 navigation entry's question, asked of the same rule the settings pages apply."""

from django import template

from tongxin.needs.categories_admin import may_edit_settings as _may_edit_settings

register = template.Library()


@register.filter
def may_edit_settings(user: object) -> bool:
    return _may_edit_settings(user)

from django import forms
from django.contrib.auth.forms import AuthenticationForm
from django.utils.translation import gettext_lazy as _


class LoginForm(AuthenticationForm):
    error_messages = {
        "invalid_login": _("用户名或密码不正确。连续失败5次,账号将被锁定15分钟。"),
        "inactive": _("该账号已停用,请联系系统管理员。"),
    }

    def __init__(self, *args: object, **kwargs: object) -> None:
        super().__init__(*args, **kwargs)  # type: ignore[arg-type]
        self.fields["username"].label = _("用户名")
        self.fields["password"].label = _("密码")


class CodeForm(forms.Form):
    code = forms.CharField(
        label=_("验证码"),
        max_length=12,
        widget=forms.TextInput(
            attrs={"autocomplete": "one-time-code", "inputmode": "numeric", "autofocus": True}
        ),
        help_text=_("输入手机令牌上的6位数字,或一个8位恢复码。"),
    )

"""Second factor: TOTP enrolment (QR code and secret), verification, and recovery codes."""

import base64
from io import BytesIO

import qrcode
import qrcode.image.svg
from django.utils import timezone
from django.utils.translation import gettext as _
from django_otp import match_token
from django_otp.plugins.otp_totp.models import TOTPDevice

from .models import User


def confirmed_totp(user: User) -> TOTPDevice | None:
    return TOTPDevice.objects.filter(user=user, confirmed=True).first()


def base32_secret(device: TOTPDevice) -> str:
    return base64.b32encode(device.bin_key).decode()


def provisioning_qr_svg(device: TOTPDevice) -> str:
    """The otpauth:// URI as an inline SVG QR code, so enrolment works with no network."""
    uri = device.config_url  # carries OTP_TOTP_ISSUER
    image = qrcode.make(uri, image_factory=qrcode.image.svg.SvgPathImage, box_size=8)
    buffer = BytesIO()
    image.save(buffer)
    return buffer.getvalue().decode()


def verify_code(user: User, code: str) -> object | None:
    """The device that accepts `code` (a TOTP code or a single-use recovery code), or None.
    django-otp throttles repeated failures per device."""
    code = "".join(code.split())
    if not code.isdigit():
        return None
    return match_token(user, code)


def seconds_to_wait(user: User) -> int:
    """How long before the next code may be tried: django-otp doubles the wait after each
    failure, which is what makes guessing six digits hopeless."""
    device = confirmed_totp(user)
    if device is None:
        return 0
    allowed, info = device.verify_is_allowed()
    locked_until = (info or {}).get("locked_until")
    if allowed or locked_until is None:
        return 0
    return max(1, int((locked_until - timezone.now()).total_seconds()) + 1)


def refusal_message(wait: int) -> str:
    if wait:
        return _("尝试过于频繁,请 %(n)s 秒后再试。") % {"n": wait}
    return _("验证码不正确或已过期,请输入手机令牌上当前显示的6位数字。")


def current_totp_code(device: TOTPDevice) -> str:
    """For the demo command only: what an authenticator app would show now."""
    from django_otp.oath import TOTP

    totp = TOTP(device.bin_key, device.step, device.t0, device.digits, device.drift)
    return f"{totp.token():0{device.digits}d}"

"""The slot's QR codes. The code shown on the organiser's screen at the venue changes every minute
and is good for LIVE_MAX_AGE seconds (a photo of it sent to a friend at home soon stops working);
the code printed on the paper sign-in sheet is good for the slot's check-in window only, since
paper cannot refresh itself. This is by design: a photo of the sheet works for the whole window
(the organiser at the venue, the hours capped by the slot and the roster confirmation are the
checks). Both carry the slot's key: renewing the key voids every code issued — the organiser's
roster page (activities:roster) has a button "更换签到二维码" (services.slot_qr_renew); print the
sheet again afterwards.

Tokens are django.core.signing TimestampSigner values whose clock is the caller's `now`."""

import secrets
from datetime import datetime
from io import BytesIO

import segno
from django.core import signing
from django.utils.crypto import constant_time_compare
from django.utils.translation import gettext as _

from .models import Slot
from .services.errors import QrExpired, QrInvalid

LIVE_SALT = "tongxin.activities.qr.live"
SHEET_SALT = "tongxin.activities.qr.sheet"
REFRESH_SECONDS = 60
LIVE_MAX_AGE = 2 * REFRESH_SECONDS  # the code just replaced still works while people walk up


def new_qr_key() -> str:
    return secrets.token_urlsafe(12)


class ClockSigner(signing.TimestampSigner):
    """A TimestampSigner that reads the caller's clock instead of time.time()."""

    def __init__(self, *, now: datetime, salt: str) -> None:
        super().__init__(salt=salt)
        self.now = now

    def timestamp(self) -> str:
        return signing.b62_encode(int(self.now.timestamp()))

    def unsign(self, value: str, max_age: float | None = None) -> str:  # type: ignore[override]
        result = signing.Signer.unsign(self, value)
        payload, stamp = result.rsplit(self.sep, 1)
        if max_age is not None and self.now.timestamp() - signing.b62_decode(stamp) > max_age:
            raise signing.SignatureExpired(f"older than {max_age} s")
        return payload


def live_token(slot: Slot, *, now: datetime) -> str:
    return ClockSigner(now=now, salt=LIVE_SALT).sign(f"{slot.pk}.{slot.qr_key}")


def sheet_token(slot: Slot) -> str:
    return "p" + signing.Signer(salt=SHEET_SALT).sign(f"{slot.pk}.{slot.qr_key}")


def _slot_of(payload: str) -> Slot:
    pk, _sep, key = payload.partition(".")
    slot = Slot.objects.select_related("activity").filter(pk=int(pk)).first() if pk.isdigit() else None
    if slot is None or not constant_time_compare(slot.qr_key, key):
        raise QrInvalid(_("二维码无效,请扫描现场最新二维码。"))
    return slot


def slot_from_token(token: str, *, now: datetime) -> tuple[Slot, bool]:
    """The slot a scanned code stands for, and whether it came from the paper sheet."""
    try:
        if token.startswith("p"):
            return _slot_of(signing.Signer(salt=SHEET_SALT).unsign(token[1:])), True
        return _slot_of(ClockSigner(now=now, salt=LIVE_SALT).unsign(token, max_age=LIVE_MAX_AGE)), False
    except signing.SignatureExpired:
        raise QrExpired(_("二维码已过期,请扫描现场最新二维码。")) from None
    except (signing.BadSignature, ValueError):
        raise QrInvalid(_("二维码无效,请扫描现场最新二维码。")) from None


def qr_svg(url: str, *, scale: int = 8) -> str:
    """The QR code of `url` as inline SVG (no XML declaration, sized by its viewBox)."""
    buffer = BytesIO()
    segno.make(url, error="m").save(
        buffer, kind="svg", scale=scale, xmldecl=False, svgns=True, border=2, omitsize=True
    )
    return buffer.getvalue().decode()

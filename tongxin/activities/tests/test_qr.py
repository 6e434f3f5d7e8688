"""The slot's QR tokens: the live one expires, the paper one does not, a renewed key voids both,
and a forged one is refused."""

from datetime import timedelta

import pytest

from conftest import NOW
from tongxin.activities.qr import LIVE_MAX_AGE, live_token, qr_svg, sheet_token, slot_from_token
from tongxin.activities.services import QrExpired, QrInvalid

from .conftest import make_activity

pytestmark = pytest.mark.django_db


def test_live_token_expires_and_sheet_token_does_not(aw) -> None:  # type: ignore[no-untyped-def]
    slot = make_activity(aw).slots.get()
    token = live_token(slot, now=NOW)
    assert slot_from_token(token, now=NOW + timedelta(seconds=LIVE_MAX_AGE)) == (slot, False)
    with pytest.raises(QrExpired) as err:
        slot_from_token(token, now=NOW + timedelta(seconds=LIVE_MAX_AGE + 1))
    assert err.value.message == "二维码已过期,请扫描现场最新二维码。"
    paper = sheet_token(slot)
    assert slot_from_token(paper, now=NOW + timedelta(days=3)) == (slot, True)
    slot.qr_key = "renewed"
    slot.save()
    for old in (token, paper):
        with pytest.raises(QrInvalid):
            slot_from_token(old, now=NOW)
    with pytest.raises(QrInvalid):
        slot_from_token(token[:-2] + "xx", now=NOW)
    with pytest.raises(QrInvalid):
        slot_from_token("garbage", now=NOW)


def test_qr_svg_is_inline_svg() -> None:
    svg = qr_svg("https://example.org/activities/m/scan/abc/")
    assert svg.startswith("<svg")
    assert "viewBox" in svg

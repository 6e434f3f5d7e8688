"""The needs pages in English: after the language switch no Chinese is left in the page's own
words (the resident's text, names of places and categories are data and stay as entered)."""

import re

import pytest
from django.conf import settings

from conftest import NOW
from tongxin.needs.models import NeedCategory
from tongxin.needs.services import need_accept
from tongxin.needs.tests.conftest import actor, submit
from tongxin.notifications.models import Notification

from .test_needs_intake import client_for

pytestmark = pytest.mark.django_db
HAN = re.compile(r"[\u4e00-\u9fff]+")
# Data shown on the pages: the need's text, places, categories, names, statuses' stored words.
DATA = {"中文", "急", "难", "愁", "怨", "盼", "忧", "同心"}


def words_left(html: str, data: str) -> set[str]:
    body = re.sub(r"<(script|style)[^>]*>.*?</\1>", "", html, flags=re.S)
    text = re.sub(r"<[^>]+>", " ", body)
    return {w for w in HAN.findall(text) if w not in DATA and w not in data}


@pytest.mark.parametrize("path", ["/m/", "/m/needs/", "/m/needs/new/", "/m/needs/{pk}/", "/m/inbox/"])
def test_the_needs_pages_are_english_after_the_switch(nw, path) -> None:  # type: ignore[no-untyped-def]
    need = submit(nw)
    need_accept(need=need, by=actor(nw.staff11), now=NOW)
    client = client_for(nw.resident)
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    html = client.get(path.format(pk=need.pk)).content.decode()
    data = (
        need.text
        + need.place
        + "杨树浦社区第一网格"
        + "".join(NeedCategory.objects.values_list("name", flat=True))
        # Messages are stored as written when the step ran (in Chinese here): data, not chrome.
        + "".join(t + b for t, b in Notification.objects.values_list("title", "body"))
    )
    assert words_left(html, data) == set()
    assert "My needs" in html or "Report a problem" in html or "Messages" in html

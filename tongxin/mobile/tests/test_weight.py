"""A typical phone page, with the stylesheet and script it loads, stays under 150 KB compressed
(a weak phone on a slow network); measured by size, not by timing."""

import pytest
from django.test import Client

from tongxin.mobile.weight import page_weight

pytestmark = pytest.mark.django_db
LIMIT = 150 * 1024


@pytest.mark.parametrize("path", ["/m/login/", "/m/", "/m/me/"])
def test_a_phone_page_weighs_under_150_kb_compressed(world, phone_login, path) -> None:  # type: ignore[no-untyped-def]
    client = Client() if path == "/m/login/" else phone_login("13812345678")
    parts = page_weight(client, path)
    urls = [p.url for p in parts]
    assert urls == [path, "/static/css/mobile.css", "/static/js/mobile.js"]  # nothing else is loaded
    assert all(p.gzipped > 0 for p in parts)
    assert sum(p.gzipped for p in parts) < LIMIT


@pytest.mark.parametrize(
    ("path", "assets"),
    [
        ("/m/needs/", []),
        ("/m/inbox/", []),
        ("/m/needs/new/", ["/static/vendor/htmx/htmx.min.js"]),  # the suggestion while typing
    ],
)
def test_the_needs_pages_stay_light_too(world, phone_login, path, assets) -> None:  # type: ignore[no-untyped-def]
    parts = page_weight(phone_login("13812345678"), path)
    assert [p.url for p in parts] == [path, "/static/css/mobile.css", "/static/js/mobile.js", *assets]
    assert sum(p.gzipped for p in parts) < LIMIT

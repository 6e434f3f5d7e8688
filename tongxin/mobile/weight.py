"""What a phone downloads for one page: the HTML and every stylesheet and script it references,
each gzip-compressed as whitenoise serves static files (level 9) and as a proxy would the HTML."""

import gzip
import re
from dataclasses import dataclass

from django.test import Client

_ASSET = re.compile(r'<(?:link[^>]+rel="stylesheet"[^>]+href|script[^>]+src)="(/static/[^"]+)"')


@dataclass(frozen=True)
class Part:
    url: str
    raw: int
    gzipped: int


def _part(url: str, body: bytes) -> Part:
    return Part(url=url, raw=len(body), gzipped=len(gzip.compress(body, compresslevel=9)))


def page_weight(client: Client, path: str) -> list[Part]:
    """The page at `path` and its assets, as `client` (logged in or not) receives them."""
    response = client.get(path)
    if response.status_code != 200:
        raise ValueError(f"{path} answered {response.status_code}")
    html = response.content
    parts = [_part(path, html)]
    for url in dict.fromkeys(_ASSET.findall(html.decode())):
        asset = client.get(url)
        body = b"".join(asset.streaming_content) if asset.streaming else asset.content  # type: ignore[attr-defined]
        parts.append(_part(url, body))
    return parts

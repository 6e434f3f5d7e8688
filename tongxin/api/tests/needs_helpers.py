"""Shared by the needs API tests: the needs world (tongxin.needs.tests.conftest) and token clients
for its accounts."""

import io
from typing import Any

from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image
from rest_framework.test import APIClient

from .conftest import token_client

NEEDS = "/api/v1/needs/"
LAMP = "3号楼楼道灯坏了一个星期,晚上老人上下楼看不见。"


def clients(nw: Any) -> Any:
    """One token client per account of the needs world, by the same names."""

    class Clients:
        pass

    out = Clients()
    for name in (
        "staff11",
        "staff12",
        "street1",
        "staff21",
        "grid",
        "branch11",
        "resident",
        "other_resident",
        "alice",
        "carol",
        "bob",
        "erin",
    ):
        setattr(out, name, token_client(getattr(nw, name)))
    return out


def url(need_id: int, step: str = "") -> str:
    return f"{NEEDS}{need_id}/{step}/" if step else f"{NEEDS}{need_id}/"


def step(client: APIClient, need_id: int, name: str, body: dict[str, Any] | None = None) -> Any:
    return client.post(url(need_id, name), body or {}, format="json")


def jpeg_upload(name: str = "photo.jpg", size: tuple[int, int] = (64, 48)) -> SimpleUploadedFile:
    buffer = io.BytesIO()
    Image.new("RGB", size, (200, 30, 30)).save(buffer, "JPEG")
    return SimpleUploadedFile(name, buffer.getvalue(), content_type="image/jpeg")

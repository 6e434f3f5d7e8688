"""Photos over the API: sent with the need (multipart), served as JPEG only to those who may see
the need, and a file that is not an image refused with nothing written."""

import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image

from tongxin.needs.models import Need, NeedPhoto, Status
from tongxin.needs.tests.conftest import nw  # noqa: F401 - fixtures

from .conftest import MISSING_PK
from .needs_helpers import LAMP, NEEDS, clients, jpeg_upload, url

pytestmark = pytest.mark.django_db


def test_a_need_with_photos_and_who_may_see_them(nw) -> None:  # type: ignore[no-untyped-def]  # noqa: F811
    c = clients(nw)
    response = c.resident.post(
        NEEDS,
        {
            "text": LAMP,
            "category": "facility",
            "tags": ["急", "盼"],
            "photos": [jpeg_upload(), jpeg_upload("b.jpg")],
        },
        format="multipart",
    )
    assert response.status_code == 201, response.json()
    body = response.json()
    assert body["tags"] == ["急", "盼"]
    assert len(body["photos"]) == 2
    photo_url = body["photos"][0]["url"]
    assert photo_url.startswith(f"{NEEDS}{body['id']}/photos/")
    for client in (c.resident, c.staff11, c.street1):
        image = client.get(photo_url)
        assert image.status_code == 200
        assert image["Content-Type"] == "image/jpeg"
        assert image["Cache-Control"] == "private, no-store"
        assert Image.open(io.BytesIO(image.content)).format == "JPEG"
    missing = c.staff21.get(f"{NEEDS}{MISSING_PK}/photos/1/")
    for client in (c.staff21, c.other_resident):
        refused = client.get(photo_url)
        assert refused.status_code == 404
        assert refused["Content-Type"] == "application/json"
        assert refused.json() == missing.json()
    # A photo asked for under another need's number is not there.
    other = c.resident.post(NEEDS, {"text": LAMP, "category": "facility"}, format="json").json()["id"]
    photo_id = body["photos"][0]["id"]
    assert c.resident.get(f"{NEEDS}{other}/photos/{photo_id}/").status_code == 404


def test_a_file_that_is_not_an_image_writes_nothing(nw) -> None:  # type: ignore[no-untyped-def]  # noqa: F811
    c = clients(nw)
    before = (Need.objects.count(), NeedPhoto.objects.count())
    fake = SimpleUploadedFile("photo.jpg", b"%PDF-1.4 not an image", content_type="image/jpeg")
    response = c.resident.post(
        NEEDS, {"text": LAMP, "category": "facility", "photos": [jpeg_upload(), fake]}, format="multipart"
    )
    assert response.status_code == 400, response.json()
    assert list(response.json()["fields"]) == ["photos"]
    assert (Need.objects.count(), NeedPhoto.objects.count()) == before


def test_resolve_with_photos_of_the_result(nw) -> None:  # type: ignore[no-untyped-def]  # noqa: F811
    c = clients(nw)
    pk = c.resident.post(NEEDS, {"text": LAMP, "category": "facility"}, format="json").json()["id"]
    Need.objects.filter(pk=pk).update(status=Status.IN_PROGRESS)
    resolved = c.staff11.post(
        url(pk, "resolve"), {"result": "已更换灯泡。", "photos": [jpeg_upload()]}, format="multipart"
    )
    assert resolved.status_code == 200, resolved.json()
    assert [p["stage"] for p in resolved.json()["photos"]] == ["resolve"]
    assert resolved.json()["resolution"] == "已更换灯泡。"


def test_photos_added_later_by_whoever_may(nw) -> None:  # type: ignore[no-untyped-def]  # noqa: F811
    c = clients(nw)
    pk = c.resident.post(NEEDS, {"text": LAMP, "category": "facility"}, format="json").json()["id"]
    added = c.resident.post(
        url(pk, "photos"), {"stage": "submit", "photos": [jpeg_upload()]}, format="multipart"
    )
    assert added.status_code == 200, added.json()
    assert [p["stage"] for p in added.json()["photos"]] == ["submit"]
    # Photos of the result come from the handlers, and only while the need is being handled.
    result = c.resident.post(
        url(pk, "photos"), {"stage": "resolve", "photos": [jpeg_upload()]}, format="multipart"
    )
    assert (result.status_code, result.json()["code"]) == (403, "permission_denied")
    early = c.staff11.post(
        url(pk, "photos"), {"stage": "resolve", "photos": [jpeg_upload()]}, format="multipart"
    )
    assert (early.status_code, early.json()["code"]) == (409, "transition_not_allowed")
    stranger = c.other_resident.post(
        url(pk, "photos"), {"stage": "submit", "photos": [jpeg_upload()]}, format="multipart"
    )
    assert stranger.status_code == 404
    assert NeedPhoto.objects.filter(need_id=pk).count() == 1

"""Photos: only real images, re-encoded upright without EXIF, at most 1600 px, encrypted at rest,
at most four per stage, a bad batch changes nothing."""

import io
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image

from conftest import NOW
from tongxin.core.errors import NotFoundOrForbidden
from tongxin.needs.models import Need, NeedPhoto, PhotoStage
from tongxin.needs.selectors import need_photo_jpeg
from tongxin.needs.services import (
    NeedError,
    need_accept,
    need_attach_photos,
    need_claim,
    need_resolve,
    need_start,
)
from tongxin.needs.services import photos as photos_module

from .conftest import actor, submit

pytestmark = pytest.mark.django_db


def image_file(
    name: str = "p.jpg",
    *,
    size: tuple[int, int] = (40, 30),
    fmt: str = "JPEG",
    mode: str = "RGB",
    exif_orientation: int | None = None,
    gps: bool = False,
) -> SimpleUploadedFile:
    img = Image.new(mode, size, (200, 30, 30) if mode == "RGB" else (200, 30, 30, 0))
    out = io.BytesIO()
    kwargs: dict[str, Any] = {}
    if exif_orientation is not None or gps:
        exif = Image.Exif()
        if exif_orientation is not None:
            exif[0x0112] = exif_orientation
        if gps:
            exif[0x8825] = {1: "N", 2: (31.0, 15.0, 0.0)}
        exif[0x010F] = "PhoneMaker"
        kwargs["exif"] = exif
    img.save(out, format=fmt, **kwargs)
    return SimpleUploadedFile(name, out.getvalue(), content_type=f"image/{fmt.lower()}")


def test_submit_with_photos_stores_upright_small_jpegs_without_exif_encrypted(nw) -> None:  # type: ignore[no-untyped-def]
    files = [
        image_file("a.jpg", size=(4000, 3000), exif_orientation=6, gps=True),
        image_file("b.png", fmt="PNG", mode="RGBA"),
        image_file("c.webp", fmt="WEBP"),
    ]
    need = submit(nw, photos=files)
    photos = list(need.photos.order_by("pk"))
    assert [p.stage for p in photos] == [PhotoStage.SUBMIT] * 3
    first = photos[0]
    # Orientation 6 (rotate 90° clockwise): the 4000x3000 landscape becomes an upright portrait.
    assert (first.width, first.height) == (1200, 1600)
    raw = bytes(first.data)
    assert not raw.startswith(b"\xff\xd8")  # encrypted, not a JPEG in the row
    jpeg = need_photo_jpeg(first)
    assert first.size == len(jpeg)
    with Image.open(io.BytesIO(jpeg)) as img:
        assert img.format == "JPEG"
        assert img.size == (1200, 1600)
        assert not img.getexif()  # no orientation, no maker, no GPS left
        assert b"PhoneMaker" not in jpeg
    # A transparent PNG becomes white, not black.
    with Image.open(io.BytesIO(need_photo_jpeg(photos[1]))) as img:
        assert img.getpixel((5, 5))[0] > 240
    assert first.uploaded_by == nw.resident


@pytest.mark.parametrize(
    ("content", "name", "message"),
    [
        (b"%PDF-1.4 not an image", "a.pdf", "不是可识别的图片"),
        (b"GIF89a" + b"\x00" * 50, "a.gif", "不是可识别的图片"),
        (b"\xff\xd8\xff\xe0" + b"\x00" * 40, "broken.jpg", "不是可识别的图片"),
        (b"", "empty.jpg", "不是可识别的图片"),
    ],
)
def test_non_images_are_refused_and_nothing_is_written(nw, content, name, message) -> None:  # type: ignore[no-untyped-def]
    good = image_file("ok.jpg")
    with pytest.raises(NeedError) as exc:
        submit(nw, photos=[good, SimpleUploadedFile(name, content)])
    assert exc.value.field == "photos"
    assert "第2张" in str(exc.value.message)
    assert message in str(exc.value.message)
    assert Need.objects.count() == 0
    assert NeedPhoto.objects.count() == 0


def test_a_real_gif_is_not_an_accepted_format(nw) -> None:  # type: ignore[no-untyped-def]
    with pytest.raises(NeedError, match="JPG、PNG或WebP"):
        submit(nw, photos=[image_file("a.gif", fmt="GIF", mode="RGB")])


def test_more_than_eight_megabytes_is_refused_before_decoding(nw) -> None:  # type: ignore[no-untyped-def]
    big = SimpleUploadedFile("big.jpg", b"\xff\xd8" + b"\x00" * (8 * 1024 * 1024))
    with pytest.raises(NeedError, match="超过8MB"):
        submit(nw, photos=[big])
    assert Need.objects.count() == 0


def test_a_decompression_bomb_is_refused(nw) -> None:  # type: ignore[no-untyped-def]
    # A small PNG that declares 20,000 x 20,000 pixels (400 MP): refused from its header.
    img = Image.new("1", (20_000, 20_000))
    out = io.BytesIO()
    img.save(out, format="PNG", optimize=True)
    assert len(out.getvalue()) < 8 * 1024 * 1024
    with pytest.raises(NeedError, match="像素尺寸过大"):
        submit(nw, photos=[SimpleUploadedFile("bomb.png", out.getvalue())])
    assert Need.objects.count() == 0


def test_at_most_four_per_stage(nw) -> None:  # type: ignore[no-untyped-def]
    with pytest.raises(NeedError, match="最多上传4张"):
        submit(nw, photos=[image_file(f"{i}.jpg") for i in range(5)])
    need = submit(nw, photos=[image_file(f"{i}.jpg") for i in range(3)])
    with pytest.raises(NeedError, match="已有3张,还可上传1张"):
        need_attach_photos(
            need=need,
            files=[image_file(), image_file()],
            stage=PhotoStage.SUBMIT,
            by=actor(nw.resident),
            now=NOW,
        )
    added = need_attach_photos(
        need=need, files=[image_file()], stage=PhotoStage.SUBMIT, by=actor(nw.resident), now=NOW
    )
    assert len(added) == 1
    assert need.photos.count() == 4


def test_resolve_with_photos_and_refusals_leave_the_need_as_it_was(nw) -> None:  # type: ignore[no-untyped-def]
    need = submit(nw)
    need_accept(need=need, by=actor(nw.staff11), now=NOW)
    need_claim(need=need, by=actor(nw.alice), now=NOW)
    need_start(need=need, by=actor(nw.alice), now=NOW)
    with pytest.raises(NeedError):
        need_resolve(
            need=need,
            result="已修好",
            by=actor(nw.alice),
            now=NOW,
            photos=[image_file(), SimpleUploadedFile("x.txt", b"hello")],
        )
    need.refresh_from_db()
    assert need.status == "in_progress"
    assert need.photos.count() == 0
    need_resolve(need=need, result="已修好", by=actor(nw.alice), now=NOW, photos=[image_file(), image_file()])
    need.refresh_from_db()
    assert need.status == "resolved"
    assert list(need.photos.values_list("stage", flat=True)) == [PhotoStage.RESOLVE] * 2


def test_who_may_attach_photos(nw) -> None:  # type: ignore[no-untyped-def]
    need = submit(nw)
    # A resident of another household does not even see the need.
    with pytest.raises(NotFoundOrForbidden):
        need_attach_photos(
            need=need, files=[image_file()], stage=PhotoStage.SUBMIT, by=actor(nw.other_resident), now=NOW
        )
    # The resident may not add "result" photos.
    with pytest.raises(NeedError):
        need_attach_photos(
            need=need, files=[image_file()], stage=PhotoStage.RESOLVE, by=actor(nw.resident), now=NOW
        )
    # Staff may add photos of the problem on the resident's behalf.
    need_attach_photos(
        need=need, files=[image_file()], stage=PhotoStage.SUBMIT, by=actor(nw.staff11), now=NOW
    )
    assert need.photos.count() == 1


def test_limits_are_the_documented_ones() -> None:
    assert photos_module.MAX_BYTES == 8 * 1024 * 1024
    assert photos_module.MAX_PER_STAGE == 4
    assert photos_module.MAX_SIDE == 1600

"""Photos of a need: of the problem (from the resident) and of the result (from the handler).

Only real images are kept, and never as uploaded: each is decoded by Pillow, turned upright by
its EXIF orientation, shrunk to at most 1600 px on the longest side and re-encoded as JPEG, which
drops EXIF (GPS included: a photo taken at home says where home is). The JPEG is encrypted with
the personal-data key before it reaches the row. A batch is all or nothing: one bad file and no
photo of the batch is kept, so the resident fixes the one and sends the same set again."""

import io
import warnings
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from django.db import transaction
from django.utils.translation import gettext as _
from PIL import Image, ImageOps, UnidentifiedImageError

from tongxin.audit.models import AuditAction
from tongxin.audit.services import audit_record
from tongxin.core.actor import Actor
from tongxin.core.crypto import field_cipher
from tongxin.core.errors import NotFoundOrForbidden

from .. import policies
from ..models import Need, NeedPhoto, PhotoStage
from ..models import Status as S
from ..transitions import OPEN
from .errors import NeedError, NeedNotAllowed, NeedTransitionNotAllowed

MAX_BYTES = 8 * 1024 * 1024
MAX_PER_STAGE = 4
MAX_SIDE = 1600
# A 8 MB file can declare a 50,000 x 50,000 canvas (a decompression bomb): refuse anything whose
# header declares more pixels than a 50-megapixel phone camera makes, before decoding it.
MAX_PIXELS = 50_000_000
JPEG_QUALITY = 82
# What Pillow reports for the formats we accept. MPO is the JPEG variant some phones write;
# HEIF appears only if a plugin (pillow-heif) teaches Pillow to read it.
ACCEPTED_FORMATS = frozenset({"JPEG", "MPO", "PNG", "WEBP", "HEIF"})
# Photos of the result: while handling, and just after (the handler forgot one).
PHOTO_RESULT_STATUSES = frozenset({S.DISPATCHED, S.CLAIMED, S.IN_PROGRESS, S.RESOLVED})


@dataclass(frozen=True)
class PreparedPhoto:
    """A checked, re-encoded photo, not yet stored."""

    jpeg: bytes
    width: int
    height: int


def _error(message: str) -> NeedError:
    return NeedError(message, field="photos")


def _read(file: Any, n: int) -> bytes:
    """At most MAX_BYTES + 1 bytes, whatever the upload claims its size is."""
    if hasattr(file, "seek"):
        file.seek(0)
    data = file.read(MAX_BYTES + 1)
    if not isinstance(data, bytes):
        raise _error(_("第%(n)d张照片无法读取,请重新选择。") % {"n": n})
    return data


def prepare_photo(file: Any, n: int) -> PreparedPhoto:
    """Check and re-encode one upload (`n` is its position, for the message)."""
    declared = getattr(file, "size", None)
    if declared is not None and declared > MAX_BYTES:
        raise _error(_("第%(n)d张照片超过8MB,请换一张或压缩后再上传。") % {"n": n})
    data = _read(file, n)
    if len(data) > MAX_BYTES:
        raise _error(_("第%(n)d张照片超过8MB,请换一张或压缩后再上传。") % {"n": n})
    not_image = _("第%(n)d张不是可识别的图片,请上传JPG、PNG或WebP格式的照片。") % {"n": n}
    too_large = _("第%(n)d张照片的像素尺寸过大,请换一张。") % {"n": n}
    try:
        with warnings.catch_warnings():
            # Pillow's own bomb check only warns below twice its limit: make it refuse.
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            with Image.open(io.BytesIO(data)) as probe:
                if probe.format not in ACCEPTED_FORMATS:
                    raise _error(not_image)
                width, height = probe.size
                if width < 1 or height < 1:
                    raise _error(not_image)
                if width * height > MAX_PIXELS:
                    raise _error(too_large)
                probe.verify()  # a truncated or corrupt file fails here, before decoding
            with Image.open(io.BytesIO(data)) as img:
                img.seek(0)  # an animated WebP: its first frame
                if img.format in ("JPEG", "MPO"):
                    # Let the JPEG decoder scale down by 1/2, 1/4 or 1/8 while decoding, never below
                    # the target size: a 12-megapixel photo decodes several times faster.
                    scale = MAX_SIDE / max(width, height)
                    if scale < 1:
                        img.draft("RGB", (int(width * scale), int(height * scale)))
                img.load()
                upright = ImageOps.exif_transpose(img)
                rgb = _flatten(upright)
    except (Image.DecompressionBombError, Image.DecompressionBombWarning):
        raise _error(too_large) from None
    except (UnidentifiedImageError, OSError, SyntaxError, ValueError, EOFError):
        raise _error(not_image) from None
    rgb.thumbnail((MAX_SIDE, MAX_SIDE), Image.Resampling.LANCZOS)
    out = io.BytesIO()
    # No exif= argument: the new JPEG carries no metadata at all.
    rgb.save(out, format="JPEG", quality=JPEG_QUALITY, optimize=True)
    return PreparedPhoto(jpeg=out.getvalue(), width=rgb.width, height=rgb.height)


def _flatten(img: Image.Image) -> Image.Image:
    """RGB for JPEG: transparent parts become white (as a phone shows them), not black."""
    if img.mode in ("RGBA", "LA") or (img.mode == "P" and "transparency" in img.info):
        rgba = img.convert("RGBA")
        background = Image.new("RGB", rgba.size, (255, 255, 255))
        background.paste(rgba, mask=rgba.getchannel("A"))
        return background
    return img.convert("RGB")


def check_room(*, existing: int, adding: int) -> None:
    """At most MAX_PER_STAGE photos per stage of a need, those already there included."""
    if existing + adding <= MAX_PER_STAGE:
        return
    if existing:
        raise _error(
            _("每个环节最多%(max)d张照片,已有%(have)d张,还可上传%(left)d张。")
            % {"max": MAX_PER_STAGE, "have": existing, "left": max(MAX_PER_STAGE - existing, 0)}
        )
    raise _error(_("最多上传%(max)d张照片。") % {"max": MAX_PER_STAGE})


def prepare_photos(files: Sequence[Any]) -> list[PreparedPhoto]:
    """Check a batch: the count first (cheap), then each file. Raises on the first bad one."""
    files = [f for f in files if f is not None]
    check_room(existing=0, adding=len(files))
    return [prepare_photo(f, i) for i, f in enumerate(files, start=1)]


def store_photos(
    *, need: Need, prepared: Sequence[PreparedPhoto], stage: str, by_user: Any, now: datetime
) -> list[NeedPhoto]:
    """Encrypt and insert (inside the caller's transaction)."""
    if stage not in PhotoStage.values:
        raise _error(_("照片环节无效。"))
    cipher = field_cipher()
    photos = [
        NeedPhoto(
            need=need,
            stage=stage,
            data=cipher.encrypt(p.jpeg),
            width=p.width,
            height=p.height,
            size=len(p.jpeg),
            uploaded_by=by_user,
            uploaded_at=now,
        )
        for p in prepared
    ]
    return NeedPhoto.objects.bulk_create(photos)


def photo_count(need: Need, stage: str) -> int:
    return NeedPhoto.objects.filter(need=need, stage=stage).count()


def need_attach_photos(
    *, need: Need, files: Sequence[Any], stage: str, by: Actor, now: datetime
) -> list[NeedPhoto]:
    """Add photos to a need after the fact: the resident (or whoever entered it) adds photos of the
    problem while it is open; the handlers add photos of the result while handling or after."""
    from .steps import lock_need

    if stage not in PhotoStage.values:
        raise _error(_("照片环节无效。"))
    prepared = prepare_photos(files)
    if not prepared:
        raise _error(_("请选择要上传的照片。"))
    user = by.user
    with transaction.atomic():
        locked = lock_need(need.pk)
        if user is None or not Need.objects.filter(policies.visible_q(user), pk=locked.pk).exists():
            raise NotFoundOrForbidden(_("未找到该诉求,或您无权查看。"))
        if not policies.may_attach_photos(user, locked, stage):
            raise NeedNotAllowed(step=_("上传照片"))
        allowed = OPEN if stage == PhotoStage.SUBMIT else PHOTO_RESULT_STATUSES
        if locked.status not in allowed:
            raise NeedTransitionNotAllowed(status=locked.status, step=_("上传照片"))
        check_room(existing=photo_count(locked, stage), adding=len(prepared))
        stored = store_photos(need=locked, prepared=prepared, stage=stage, by_user=user, now=now)
        audit_record(
            actor=by,
            action=AuditAction.UPDATE,
            target=locked,
            detail={"step": "photos", "stage": stage, "count": len(stored)},
            now=now,
        )
    return stored

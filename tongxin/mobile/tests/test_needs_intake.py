"""我要反映 on the phone: the form, the suggestion while typing, duplicate hints, and every kind of
bad input refused at its field with what the resident typed kept and nothing written."""

import io
import re
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from PIL import Image

from tongxin.needs.models import Channel, Need, NeedPhoto, Status
from tongxin.needs.tests.conftest import submit

pytestmark = pytest.mark.django_db
MODEL_BACKEND = "django.contrib.auth.backends.ModelBackend"
LAMP = "3号楼楼道灯坏了一个星期,晚上老人上下楼看不见,请帮忙修一下。"


def client_for(user: Any) -> Client:
    client = Client()
    client.force_login(user, backend=MODEL_BACKEND)
    return client


def png(width: int = 40, height: int = 30) -> SimpleUploadedFile:
    buffer = io.BytesIO()
    Image.new("RGB", (width, height), (200, 30, 30)).save(buffer, "PNG")
    return SimpleUploadedFile("photo.png", buffer.getvalue(), content_type="image/png")


def post(client: Client, **fields: Any) -> Any:
    data = {"text": LAMP, "category": "", "place": "3号楼", "contact": "mine", **fields}
    return client.post("/m/needs/new/", data)


def test_the_form_is_made_for_a_phone_and_preset_to_where_she_lives(nw) -> None:  # type: ignore[no-untyped-def]
    nw.fang.address = "杨树浦路100弄3号502室"
    nw.fang.save()
    html = client_for(nw.resident).get("/m/needs/new/").content.decode()
    assert "遇到了什么困难?" in html
    assert "杨树浦社区" in html
    assert 'value="杨树浦路100弄3号"' in html  # the building, not the flat
    assert "502室" not in html
    assert "136****2222" in html
    assert "13611112222" not in html
    assert 'accept="image/*" capture="environment"' in html
    assert "/static/vendor/htmx/htmx.min.js" in html
    assert 'hx-post="/m/needs/suggest/"' in html
    assert "delay:600ms" in html
    for name in ("养老助老", "公共设施维修", "政策咨询与办事", "其他"):
        assert name in html
    for tag in "急难愁怨盼忧":
        assert f'value="{tag}"' in html
    assert "bootstrap" not in html
    assert "echarts" not in html


def test_a_resident_without_a_community_is_told_where_to_go(nw) -> None:  # type: ignore[no-untyped-def]
    nw.fang.residence = None
    nw.fang.save()
    html = client_for(nw.resident).get("/m/needs/new/").content.decode()
    assert "您还没有登记居住社区" in html
    assert 'name="text"' not in html


def test_the_category_is_suggested_while_she_types(nw) -> None:  # type: ignore[no-untyped-def]
    client = client_for(nw.resident)
    html = client.post("/m/needs/suggest/", {"text": LAMP, "category": ""}).content.decode()
    assert "系统建议" in html
    assert '<option value="property" selected>' in html or '<option value="facility" selected>' in html
    assert 'name="urgent" id="id_urgent" data-choice>' in html  # not urgent
    urgent = client.post("/m/needs/suggest/", {"text": "我妈妈在家摔倒了起不来,快来人"}).content.decode()
    assert '<option value="elderly" selected>' in urgent
    assert "data-choice checked" in urgent
    assert 'href="tel:120"' in urgent  # call an ambulance
    # Once she chose by hand, the suggestion shows but her choice stays.
    kept = client.post(
        "/m/needs/suggest/", {"text": LAMP, "category": "other", "chosen": "1"}
    ).content.decode()
    assert '<option value="other" selected>' in kept
    assert "系统建议" in kept


def test_a_few_characters_are_not_enough_to_guess(nw) -> None:  # type: ignore[no-untyped-def]
    html = client_for(nw.resident).post("/m/needs/suggest/", {"text": "灯"}).content.decode()
    assert "系统建议" not in html
    assert " selected>" not in html


def test_the_suggestion_needs_a_login_and_a_post(nw) -> None:  # type: ignore[no-untyped-def]
    assert Client().post("/m/needs/suggest/", {"text": LAMP}).status_code == 302
    assert client_for(nw.resident).get("/m/needs/suggest/").status_code == 405


def test_similar_open_needs_of_the_community_are_hinted_without_private_texts(nw) -> None:  # type: ignore[no-untyped-def]
    submit(nw, by=nw.other_resident, text="3号楼的楼道灯坏了好几天了,晚上黑漆漆的")
    submit(
        nw,
        by=nw.other_resident,
        category="elderly",
        text="3号楼楼道灯坏了,我家老人腿脚不好晚上出不了门",
    )
    html = client_for(nw.resident).post("/m/needs/suggest/", {"text": LAMP}).content.decode()
    assert "同一社区已有类似的诉求" in html
    assert "3号楼的楼道灯坏了好几天了" in html
    assert "腿脚不好" not in html  # a sensitive category: only that one exists
    assert "同一社区已有类似诉求在办理" in html
    assert "这也是我的问题" in html


def test_a_resident_submits_a_need_with_a_photo_tags_and_another_number(nw) -> None:  # type: ignore[no-untyped-def]
    client = client_for(nw.resident)
    response = client.post(
        "/m/needs/new/",
        {
            "text": LAMP,
            "category": "facility",
            "urgent": "on",
            "place": "3号楼2单元",
            "contact": "other",
            "other_phone": "139 0000 1111",
            "private": "on",
            "tags": ["愁", "急"],
            "photos": [png()],
        },
    )
    need = Need.objects.get()
    assert response.status_code == 302
    assert response["Location"] == f"/m/needs/{need.pk}/"
    assert need.person_id == nw.fang.pk
    assert need.submitted_by_id == nw.resident.pk
    assert need.channel == Channel.MOBILE
    assert need.community_id == nw.w.c11.pk
    assert (need.category_id, need.urgent, need.private) == ("facility", True, True)
    assert need.tags == ["急", "愁"]
    assert need.place == "3号楼2单元"
    assert need.caller_phone == "13900001111"
    assert need.contact_phone == "13900001111"  # the number she asked to be called on
    assert NeedPhoto.objects.filter(need=need).count() == 1
    assert need.suggested_category  # the classifier's proposal is kept beside the choice
    page = client.get(response["Location"]).content.decode()
    assert "已提交" in page
    assert "待受理" in page


def test_an_empty_category_takes_the_suggestion(nw) -> None:  # type: ignore[no-untyped-def]
    post(client_for(nw.resident), text="我妈妈在家摔倒了起不来")
    need = Need.objects.get()
    assert need.category_id == "elderly"


@pytest.mark.parametrize(
    ("fields", "message"),
    [
        ({"text": "   "}, "请填写内容。"),
        ({"text": "楼道灯坏了。" * 200}, "内容过长,请控制在1000字以内。"),
        ({"place": "楼" * 101}, "地点请控制在100字以内。"),
        ({"contact": "other", "other_phone": ""}, "请填写要联系的号码。"),
        ({"contact": "other", "other_phone": "12345"}, "手机号"),
        ({"category": "nonsense"}, "选择一个有效的选项"),
    ],
)
def test_bad_input_is_refused_at_the_field_and_kept(nw, fields, message) -> None:  # type: ignore[no-untyped-def]
    client = client_for(nw.resident)
    response = post(client, urgent="on", tags=["盼"], **fields)
    html = response.content.decode()
    assert response.status_code == 200
    assert message in html or message in html.replace("&quot;", '"')
    assert 'aria-invalid="true"' in html
    assert Need.objects.count() == 0
    assert re.search(r'value="盼"[^>]*checked', html)  # her other choices are kept
    assert re.search(r'name="urgent"[^>]*checked', html)
    if fields.get("text", "").strip():
        assert fields["text"][:30] in html


def test_a_non_image_and_an_oversize_photo_are_refused_and_must_be_chosen_again(nw) -> None:  # type: ignore[no-untyped-def]
    client = client_for(nw.resident)
    fake = SimpleUploadedFile("notes.jpg", b"this is not a picture", content_type="image/jpeg")
    html = post(client, photos=[png(), fake]).content.decode()
    assert "第2张不是可识别的图片" in html
    assert "请重新选择" in html
    assert LAMP in html
    big = SimpleUploadedFile("big.jpg", b"\xff" * (8 * 1024 * 1024 + 1), content_type="image/jpeg")
    html = post(client, photos=[big]).content.decode()
    assert "第1张照片超过8MB" in html
    assert Need.objects.count() == 0
    assert NeedPhoto.objects.count() == 0


def test_more_than_four_photos_are_refused(nw) -> None:  # type: ignore[no-untyped-def]
    html = post(client_for(nw.resident), photos=[png() for _ in range(5)]).content.decode()
    assert "最多可以上传4张照片。" in html
    assert Need.objects.count() == 0


def test_a_stranger_is_asked_to_log_in(nw) -> None:  # type: ignore[no-untyped-def]
    response = Client().post("/m/needs/new/", {"text": LAMP})
    assert response.status_code == 302
    assert response["Location"].startswith("/m/login/")
    assert Need.objects.count() == 0
    assert Status.SUBMITTED  # the import is used

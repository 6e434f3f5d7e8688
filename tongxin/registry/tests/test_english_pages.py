"""The English switch covers what the QA found still Chinese: the age bands, the export files
(name, sheet, headers, the personal-data notice), the search examples, the 清除 boxes and the
form messages. Names of people and places stay as recorded."""

import re
from io import BytesIO

import pytest
from openpyxl import load_workbook

pytestmark = pytest.mark.django_db

CHINESE = re.compile(r"[\u3400-\u9fff]")


@pytest.fixture
def english(street1):  # type: ignore[no-untyped-def]
    street1.cookies["django_language"] = "en"
    return street1


def test_age_bands_and_search_example_are_in_english(world, english) -> None:  # type: ignore[no-untyped-def]
    html = english.get("/persons/").content.decode()
    assert "18-35 years" in html
    assert "80 and over" in html
    assert "80岁以上" not in html
    assert "e.g. dhljd or dinghailujiedao finds “定海路街道”" in html
    assert "The exported file holds full ID numbers" in html
    orgs = english.get("/orgs/", {"q": "x"}).content.decode()
    assert 'placeholder="e.g. 定海路街道党工委 or dhljddgw"' in orgs


def test_exports_are_named_and_headed_in_english(world, english) -> None:  # type: ignore[no-untyped-def]
    response = english.post("/members/export/", {"q": ""})
    assert "filename*=UTF-8''Members-" in response["Content-Disposition"]
    book = load_workbook(BytesIO(response.content))
    assert book.sheetnames == ["Members", "Read me"]
    headers = [c.value for c in book.active[1]]
    assert headers[:3] == ["Name", "Gender", "ID number"]
    assert not any(CHINESE.search(h) for h in headers)
    assert "Keep it safe" in book["Read me"]["A1"].value
    persons = load_workbook(BytesIO(english.post("/persons/export/", {"q": ""}).content))
    assert not any(CHINESE.search(str(c.value)) for c in persons.active[1])


def test_the_audit_log_keeps_the_export_in_chinese(world, english) -> None:  # type: ignore[no-untyped-def]
    from tongxin.audit.models import AuditAction, AuditEvent

    english.post("/members/export/", {"q": ""})
    assert (
        AuditEvent.objects.filter(action=AuditAction.EXPORT).latest("seq").object_repr.startswith("党员名册")
    )


def test_new_form_words_are_in_english(world, english) -> None:  # type: ignore[no-untyped-def]
    html = english.get(f"/persons/{world.alice.pk}/edit/").content.decode()
    assert "Remove the mobile number" in html
    assert "清除" not in html
    response = english.post(
        "/persons/new/", {"name": "王" * 300, "id_number": "", "ethnicity": "汉族", "residence": world.c11.pk}
    )
    assert "Name can be at most 50 characters long." in response.content.decode()

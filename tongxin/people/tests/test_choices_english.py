"""The 民族 and 学历 lists read in English on the English pages, while what is stored (and what the
import and the checks match on) stays the Chinese name."""

import html as html_lib
import re
from collections.abc import Iterator

import pytest
from django.conf import settings
from django.test import Client
from django.utils import translation

from conftest import make_account, new_id_number
from tongxin.accounts.models import Role
from tongxin.people.models import Person
from tongxin.registry.tests.conftest import verified_client

pytestmark = pytest.mark.django_db

CHINESE = re.compile(r"[\u3400-\u9fff]")


@pytest.fixture
def english(world) -> Iterator[Client]:  # type: ignore[no-untyped-def]
    client = verified_client(make_account("street1", (Role.STREET_STAFF, world.street1)))
    client.cookies["django_language"] = "en"
    # The locale middleware leaves English active in this thread; the tests after these read
    # Chinese messages.
    with translation.override(settings.LANGUAGE_CODE):
        yield client


def options(page: str, name: str) -> dict[str, str]:
    """value → label of the <select name=…> on the page."""
    select = re.search(rf'<select name="{name}".*?</select>', page, re.S)
    assert select is not None, name
    found = re.findall(r'<option value="([^"]*)"[^>]*>([^<]*)</option>', select.group(0))
    return {value: html_lib.unescape(label) for value, label in found}


def test_the_form_offers_english_names_and_stores_the_chinese_ones(world, english) -> None:  # type: ignore[no-untyped-def]
    page = english.get("/persons/new/").content.decode()
    ethnic, education = options(page, "ethnicity"), options(page, "education")
    assert ethnic["汉族"] == "Han"
    assert ethnic["维吾尔族"] == "Uyghur"
    assert education["大学本科"] == "Bachelor's degree"
    assert education["研究生(博士)"] == "Postgraduate (doctorate)"
    assert len(ethnic) == 58
    assert not [label for label in [*ethnic.values(), *education.values()] if CHINESE.search(label)]

    data = {
        "name": "赵桂兰",
        "id_number": new_id_number(),
        "ethnicity": "壮族",
        "education": "大学本科",
        "residence": str(world.c11.pk),
    }
    response = english.post("/persons/new/", data)
    assert response.status_code == 302
    person = Person.objects.get(name="赵桂兰")
    assert (person.ethnicity, person.education) == ("壮族", "大学本科")

    edit = english.get(f"/persons/{person.pk}/edit/").content.decode()
    assert '<option value="壮族" selected>Zhuang</option>' in edit
    assert '<option value="大学本科" selected>Bachelor&#x27;s degree</option>' in edit


def test_an_english_label_is_not_a_value(world, english) -> None:  # type: ignore[no-untyped-def]
    data = {"name": "赵桂兰", "id_number": new_id_number(), "ethnicity": "Han", "residence": world.c11.pk}
    response = english.post("/persons/new/", data)
    assert response.status_code == 200
    assert "Please choose Ethnic group from the list." in response.content.decode()
    assert not Person.objects.filter(name="赵桂兰").exists()

"""Odd numbers typed into the time bank and the catalogue get a clear Chinese message, never a
server error, and change nothing."""

import pytest
from django.core.cache import cache
from django.test import Client

from tongxin.ledger.models import Currency
from tongxin.ledger.selectors import balance_of
from tongxin.registry.tests.conftest import verified_client
from tongxin.rewards.models import CatalogueItem, TimeBankTransfer

pytestmark = pytest.mark.django_db
MODEL_BACKEND = "django.contrib.auth.backends.ModelBackend"


@pytest.fixture(autouse=True)
def _fresh_cache():  # type: ignore[no-untyped-def]
    cache.clear()
    yield
    cache.clear()


def phone(user) -> Client:  # type: ignore[no-untyped-def]
    client = Client(raise_request_exception=False)
    client.force_login(user, backend=MODEL_BACKEND)
    return client


@pytest.mark.parametrize("amount", ["9e999999", "1e2", "1E-3", "٣", "²", "１", "NaN", "Infinity", "1.2.3"])
def test_odd_credit_amounts_are_refused_in_chinese(rw, amount) -> None:  # type: ignore[no-untyped-def]
    client = phone(rw.son_user)
    transfer = client.post(
        "/rewards/m/timebank/transfer/", {"name": "赵桂兰", "mobile": "13600001111", "amount": amount}
    )
    assert transfer.status_code == 400
    assert "请输入数字,如 1 或 1.5。" in transfer.content.decode()
    donate = client.post("/rewards/m/timebank/donate/", {"community": rw.w.c21.pk, "amount": amount})
    assert donate.status_code == 400
    assert "请输入数字,如 1 或 1.5。" in donate.content.decode()
    assert not TimeBankTransfer.objects.exists()
    assert balance_of(person=rw.son, currency=Currency.CREDITS) == 600


def test_a_huge_plain_amount_is_over_the_limit(rw) -> None:  # type: ignore[no-untyped-def]
    client = phone(rw.son_user)
    page = client.post(
        "/rewards/m/timebank/transfer/", {"name": "赵桂兰", "mobile": "13600001111", "amount": "9999999999"}
    )
    assert page.status_code == 400
    assert "一次最多" in page.content.decode()
    assert balance_of(person=rw.son, currency=Currency.CREDITS) == 600


@pytest.mark.parametrize(
    ("field", "value", "message"),
    [
        ("price", "٣", "请输入整数。"),
        ("price", "²", "请输入整数。"),
        ("price", "9e999999", "请输入整数。"),
        ("price", "99999999999999999999999", "所需积分不能超过"),
        ("stock", "99999999999999999999999", "库存须为0到"),
        ("per_person_limit", "99999999999999999999999", "每人限兑不能超过"),
        ("per_person_limit", "٣", "请输入整数。"),
    ],
)
def test_odd_numbers_in_the_catalogue_form(rw, field, value, message) -> None:  # type: ignore[no-untyped-def]
    client = verified_client(rw.unit_contact)
    client.raise_request_exception = False
    form = {
        "offerer": f"unit:{rw.w.unit.pk}",
        "name": "纪念徽章",
        "description": "",
        "price": "20",
        "stock": "",
        "per_person_limit": "",
        "active": "on",
    }
    form[field] = value
    page = client.post("/rewards/items/new/", form)
    assert page.status_code == 400
    assert message in page.content.decode()
    assert not CatalogueItem.objects.filter(name="纪念徽章").exists()

"""The transfer form does not tell a stranger whether a name and mobile number are registered:
the amount and the balance are checked first, every miss reads the same, and a person who keeps
guessing is stopped for a while."""

import pytest
from django.core.cache import cache
from django.test import Client

from conftest import NOW
from tongxin.ledger.models import Currency
from tongxin.ledger.selectors import balance_of
from tongxin.rewards.models import TimeBankRelative, TimeBankTransfer
from tongxin.rewards.services import TimeBankError, credits_transfer

from .conftest import as_user

pytestmark = pytest.mark.django_db
MODEL_BACKEND = "django.contrib.auth.backends.ModelBackend"
URL = "/rewards/m/timebank/transfer/"
NOT_FOUND = "没有找到姓名和手机号都相符的登记人员,请核对;亲属须先在社区登记。"


@pytest.fixture(autouse=True)
def _fresh_cache():  # type: ignore[no-untyped-def]
    cache.clear()
    yield
    cache.clear()


def phone(user) -> Client:  # type: ignore[no-untyped-def]
    client = Client()
    client.force_login(user, backend=MODEL_BACKEND)
    return client


def test_someone_without_credits_cannot_tell_registered_pairs(rw) -> None:  # type: ignore[no-untyped-def]
    client = phone(rw.alice)  # no time credits at all
    registered = client.post(URL, {"name": "赵桂兰", "mobile": "13600001111", "amount": "1"})
    unknown = client.post(URL, {"name": "赵桂兰", "mobile": "13600009999", "amount": "1"})
    assert registered.status_code == unknown.status_code == 400
    for page in (registered, unknown):
        text = page.content.decode()
        assert "时间币不足:现有 0 个,需要 1 个。" in text
        assert "没有找到" not in text
    assert not TimeBankRelative.objects.exists()


def test_too_large_an_amount_is_refused_before_the_look_up(rw) -> None:  # type: ignore[no-untyped-def]
    with pytest.raises(TimeBankError) as refusal:
        credits_transfer(
            person=rw.son, to_name="某某某", to_mobile="13600009999", minutes=1001 * 60,
            by=as_user(rw.son_user), now=NOW,
        )  # fmt: skip
    assert "一次最多" in refusal.value.message


def test_a_wrong_name_and_a_wrong_mobile_read_the_same(rw) -> None:  # type: ignore[no-untyped-def]
    client = phone(rw.son_user)
    wrong_mobile = client.post(URL, {"name": "赵桂兰", "mobile": "13600009999", "amount": "1"})
    wrong_name = client.post(URL, {"name": "赵桂芳", "mobile": "13600001111", "amount": "1"})
    for page in (wrong_mobile, wrong_name):
        assert page.status_code == 400
        assert NOT_FOUND in page.content.decode()
    assert balance_of(person=rw.son, currency=Currency.CREDITS) == 600


def test_guessing_names_and_mobiles_is_stopped_for_a_while(rw) -> None:  # type: ignore[no-untyped-def]
    client = phone(rw.son_user)
    for n in range(10):
        miss = client.post(URL, {"name": "赵桂兰", "mobile": f"1360000{n:04d}", "amount": "1"})
        assert miss.status_code == 400
        assert NOT_FOUND in miss.content.decode()
    stopped = client.post(URL, {"name": "赵桂兰", "mobile": "13600001111", "amount": "1"})
    assert stopped.status_code == 429
    assert "核对次数过多,请一小时后再试。" in stopped.content.decode()
    assert not TimeBankTransfer.objects.exists()
    # Others are not affected.
    other = phone(rw.granny_user).post(URL, {"name": "赵强", "mobile": "13600002222", "amount": "1"})
    assert other.status_code == 302

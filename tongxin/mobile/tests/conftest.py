import pytest
from django.test import Client

from tongxin.notifications.sms import InMemorySmsBackend


@pytest.fixture
def phone_login(django_capture_on_commit_callbacks):  # type: ignore[no-untyped-def]
    """phone_login(number) → a client logged in on the phone site the way a resident does it:
    number, the code from the SMS, done."""

    def log_in(number: str) -> Client:
        client = Client()
        with django_capture_on_commit_callbacks(execute=True):
            response = client.post("/m/login/", {"mobile": number})
        assert response.status_code == 302, "the number was refused"
        code = InMemorySmsBackend.outbox[-1].params["code"]
        response = client.post("/m/login/code/", {"code": code})
        assert response.status_code == 302, "the code was refused"
        return client

    return log_in


# The needs world (staff, a resident, members) and the categories seeded again after a
# transactional test: the needs app's own fixtures, used here too.
from tongxin.needs.tests.conftest import nw  # noqa: E402, F401

"""The SMS interface: sent after commit (never for a rolled-back transaction), carried to the task
encrypted, and the development backend's log keeps the number masked."""

import logging
from types import SimpleNamespace

import pytest
from django.db import transaction
from django.test import override_settings

from tongxin.notifications import sms
from tongxin.notifications.sms import LogSmsBackend, SmsMessage, sms_send

pytestmark = pytest.mark.django_db

MESSAGE = SmsMessage(to="13812345678", template="login_code", params={"code": "246810", "minutes": "5"})


def test_a_message_goes_out_when_the_transaction_commits(django_capture_on_commit_callbacks, outbox) -> None:
    with django_capture_on_commit_callbacks(execute=True):
        sms_send(to=MESSAGE.to, template=MESSAGE.template, params=MESSAGE.params)
        assert outbox == []
    assert outbox == [MESSAGE]
    assert "246810" in outbox[0].text


def test_nothing_goes_out_when_the_transaction_rolls_back(django_capture_on_commit_callbacks, outbox) -> None:
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        try:
            with transaction.atomic():
                sms_send(to=MESSAGE.to, template=MESSAGE.template, params=MESSAGE.params)
                raise RuntimeError("the login failed after all")
        except RuntimeError:
            pass
    assert callbacks == []
    assert outbox == []


def test_the_queued_task_carries_the_message_encrypted(
    monkeypatch, django_capture_on_commit_callbacks
) -> None:  # type: ignore[no-untyped-def]
    queued: list[str] = []
    monkeypatch.setattr(sms, "deliver_sms", SimpleNamespace(enqueue=queued.append))
    with django_capture_on_commit_callbacks(execute=True):
        sms_send(to=MESSAGE.to, template=MESSAGE.template, params=MESSAGE.params)
    assert len(queued) == 1
    assert "246810" not in queued[0]
    assert "13812345678" not in queued[0]


def test_unknown_templates_are_refused() -> None:
    with pytest.raises(ValueError, match="template"):
        sms_send(to=MESSAGE.to, template="free text", params={})


@pytest.mark.parametrize(("debug", "code_shown"), [(True, True), (False, False)])
def test_the_log_backend_masks_the_number_and_shows_the_code_only_in_debug(caplog, debug, code_shown) -> None:
    with override_settings(DEBUG=debug), caplog.at_level(logging.INFO, logger="tongxin.notifications"):
        LogSmsBackend().send(MESSAGE)
    assert "138****5678" in caplog.text
    assert "13812345678" not in caplog.text
    assert ("246810" in caplog.text) is code_shown


def test_an_app_registers_its_templates_once_and_a_name_keeps_its_text() -> None:
    from tongxin.notifications.sms import TEMPLATES, sms_templates_register

    sms_templates_register({"test_hello": "【同心】您好,{name}。"})
    sms_templates_register({"test_hello": "【同心】您好,{name}。"})  # the same text again: fine
    assert TEMPLATES["test_hello"] == "【同心】您好,{name}。"
    with pytest.raises(ValueError, match="test_hello"):
        sms_templates_register({"test_hello": "另一段文字"})
    del TEMPLATES["test_hello"]

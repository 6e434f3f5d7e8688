import pytest
from django.core.management import call_command
from django.db import connection
from django.test import override_settings

from conftest import add_person
from tongxin.core.crypto import generate_key
from tongxin.people.models import Person
from tongxin.people.selectors import person_find_by_id_number

pytestmark = pytest.mark.django_db


def raw_id_token(pk: int) -> str:
    with connection.cursor() as cursor:
        cursor.execute("SELECT id_number FROM people_person WHERE id = %s", [pk])
        return cursor.fetchone()[0]


def test_values_are_ciphertext_in_the_database(world) -> None:  # type: ignore[no-untyped-def]
    token = raw_id_token(world.alice.pk)
    assert world.alice.id_number not in token
    assert Person.objects.get(pk=world.alice.pk).id_number == world.alice.id_number


def test_rotation_reencrypts_with_the_new_key_and_keeps_lookups(settings, world) -> None:  # type: ignore[no-untyped-def]
    old_key = settings.TONGXIN_FIELD_KEYS[0]
    new_key = generate_key()
    new_index_key = "rotated-index-key"
    with override_settings(TONGXIN_FIELD_KEYS=[new_key, old_key], TONGXIN_BLIND_INDEX_KEY=new_index_key):
        call_command("rotate_keys", batch_size=2)
    # With only the new key, every row still decrypts and the ID look-up still finds the person.
    with override_settings(TONGXIN_FIELD_KEYS=[new_key], TONGXIN_BLIND_INDEX_KEY=new_index_key):
        found = person_find_by_id_number(persons=Person.objects.all(), id_number=world.alice.id_number)
        assert found == world.alice
        assert {p.mobile for p in Person.objects.all()} >= {"13812345678"}
        add_person("赵新", world.c12)  # new writes use the new key


def test_a_missing_key_is_reported_not_garbled(world) -> None:  # type: ignore[no-untyped-def]
    from django.core.exceptions import ImproperlyConfigured

    with override_settings(TONGXIN_FIELD_KEYS=[generate_key()]), pytest.raises(ImproperlyConfigured):
        Person.objects.get(pk=world.alice.pk)

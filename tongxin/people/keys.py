"""Key rotation for personal data: re-encrypt every encrypted column with the current primary key
and recompute the blind indexes with the current index key.

Procedure (README "Key rotation"): generate a key, put it FIRST in TONGXIN_FIELD_KEYS keeping the
old ones after it, restart, run `manage.py rotate_keys`, then drop the old keys. To change the
blind-index key, set the new TONGXIN_BLIND_INDEX_KEY before running the command: indexes are
recomputed from the decrypted values."""

from collections.abc import Callable

from django.db import transaction

from tongxin.audit.models import AuditAction
from tongxin.audit.services import audit_record
from tongxin.core.actor import Actor

from .models import Person
from .services import id_number_index, mobile_index

ENCRYPTED_PERSON_FIELDS = ("id_number", "mobile", "address")


def rotate_person_keys(
    *, by: Actor, batch_size: int = 2000, progress: Callable[[int, int], None] | None = None
) -> int:
    """Re-save every person with the primary key. Each batch commits on its own, so a rotation
    interrupted half-way leaves rows readable (old and new keys both decrypt) and can be rerun."""
    total = Person.objects.count()
    done, last_pk = 0, 0
    while True:
        with transaction.atomic():
            # Locked so that an edit made while the batch is re-encrypted is not overwritten.
            batch = list(
                Person.objects.select_for_update().filter(pk__gt=last_pk).order_by("pk")[:batch_size]
            )
            if not batch:
                break
            for person in batch:
                person.id_number_index = id_number_index(person.id_number)
                person.mobile_index = mobile_index(person.mobile)
            Person.objects.bulk_update(
                batch, [*ENCRYPTED_PERSON_FIELDS, "id_number_index", "mobile_index"], batch_size=500
            )
        last_pk, done = batch[-1].pk, done + len(batch)
        if progress:
            progress(done, total)
    audit_record(
        actor=by, action=AuditAction.KEY_ROTATION, object_type="people.person", detail={"rows": done}
    )
    return done

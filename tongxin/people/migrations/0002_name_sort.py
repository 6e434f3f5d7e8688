from django.db import migrations, models


def fill_name_sort(apps, schema_editor):  # type: ignore[no-untyped-def]
    """Existing people get their sort key once; from now on person_clean keeps it."""
    from tongxin.core.search_keys import name_sort_key

    model = apps.get_model("people", "Person")
    batch = []
    for person in model.objects.only("pk", "name").iterator(chunk_size=5000):
        person.name_sort = name_sort_key(person.name)
        batch.append(person)
        if len(batch) >= 5000:
            model.objects.bulk_update(batch, ["name_sort"])
            batch = []
    model.objects.bulk_update(batch, ["name_sort"])


class Migration(migrations.Migration):
    dependencies = [
        ("people", "0001_initial"),
    ]

    operations = [
        migrations.AddField(
            model_name="person",
            name="name_sort",
            field=models.CharField(default="", editable=False, max_length=400),
        ),
        migrations.RunPython(fill_name_sort, migrations.RunPython.noop),
        migrations.AddIndex(
            model_name="person",
            index=models.Index(fields=["name_sort"], name="people_pers_name_so_e7ce6c_idx"),
        ),
    ]

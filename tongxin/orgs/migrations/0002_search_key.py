from django.db import migrations, models


def fill_search_keys(apps, schema_editor):  # type: ignore[no-untyped-def]
    """Existing nodes get their key once; from now on the tree services keep it."""
    from tongxin.core.search_keys import search_key

    model = apps.get_model("orgs", "Organization")
    batch = []
    for node in model.objects.only("pk", "name").iterator(chunk_size=2000):
        node.search_key = search_key(node.name)
        batch.append(node)
        if len(batch) >= 2000:
            model.objects.bulk_update(batch, ["search_key"])
            batch = []
    model.objects.bulk_update(batch, ["search_key"])


class Migration(migrations.Migration):
    dependencies = [
        ("orgs", "0001_initial"),
    ]

    operations = [
        migrations.AddField(
            model_name="organization",
            name="search_key",
            field=models.CharField(blank=True, default="", editable=False, max_length=400),
        ),
        migrations.RunPython(fill_search_keys, migrations.RunPython.noop),
    ]

from typing import Any

from django.db import migrations

# A copy, not an import: a migration must keep meaning what it meant when it was written.
CATEGORIES = (
    ("elderly", "养老助老"),
    ("disability", "助残康复"),
    ("children", "妇女儿童关爱"),
    ("hardship", "困难帮扶与社会救助"),
    ("psych", "心理疏导"),
    ("legal", "法律服务与纠纷调解"),
    ("property", "物业与居住环境"),
    ("facility", "公共设施维修"),
    ("safety", "平安与消防"),
    ("employment", "就业创业"),
    ("health", "医疗健康"),
    ("culture", "文体活动与学习"),
    ("policy", "政策咨询与办事"),
    ("other", "其他"),
)


def seed(apps: Any, schema_editor: Any) -> None:
    NeedCategory = apps.get_model("needs", "NeedCategory")
    for order, (code, name) in enumerate(CATEGORIES, start=1):
        NeedCategory.objects.get_or_create(code=code, defaults={"name": name, "order": order})


class Migration(migrations.Migration):
    dependencies = [("needs", "0001_initial")]

    operations = [migrations.RunPython(seed, migrations.RunPython.noop)]

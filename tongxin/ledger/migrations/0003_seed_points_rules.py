"""The points rules the platform starts with. A district admin tunes caps and budgets on the
rules page; later issues post to meeting_attended.

Caps follow local 党员积分制 practice (学习强国's lesson: uncapped points breed formalism)."""

from datetime import UTC, datetime

from django.db import migrations

# code, name, unit, points per unit, cap per day, per month, per year, yearly budget
RULES = [
    ("service_hour", "志愿服务时长", "小时", 10, 80, 600, 3000, 10_000_000),
    ("need_resolved_good", "办结诉求且获好评", "件", 20, 40, 200, 1000, 500_000),
    ("meeting_attended", "参加三会一课", "次", 5, 10, 30, 200, 300_000),
    ("activity_attended", "参加志愿活动", "次", 5, 10, 50, 300, 500_000),
]
SINCE = datetime(2020, 1, 1, tzinfo=UTC)


def seed(apps, schema_editor):  # type: ignore[no-untyped-def]
    PointsRule = apps.get_model("ledger", "PointsRule")
    for code, name, unit, per, day, month, year, budget in RULES:
        PointsRule.objects.get_or_create(
            code=code,
            defaults={
                "name": name,
                "unit": unit,
                "points_per_unit": per,
                "cap_per_day": day,
                "cap_per_month": month,
                "cap_per_year": year,
                "yearly_budget": budget,
                "active": True,
                "updated_at": SINCE,
            },
        )


class Migration(migrations.Migration):
    dependencies = [("ledger", "0002_append_only_triggers")]
    operations = [migrations.RunPython(seed, migrations.RunPython.noop)]

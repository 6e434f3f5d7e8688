import os
import time
from datetime import date
from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils import timezone

from tongxin.demo.seeding import BULK, SERVICES, SeedOptions, existing_data, seed_demo
from tongxin.demo.tiers import TIERS
from tongxin.demo.world import generate_world

# Measured on the 2-core development machine, district tier on PostgreSQL (bench/README.md); used
# only for the --dry-run estimate.
MEASURED_PERSONS_PER_SECOND = 6500


class Command(BaseCommand):
    help = "生成演示数据:虚构的区、街道、社区、网格、党组织、驻区单位、党员和居民,以及各角色的演示账号。"

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--tier", choices=sorted(TIERS), default="small", help="数据规模(tiny 仅供测试)")
        parser.add_argument("--seed", type=int, default=2026, help="随机种子:同一种子生成同样的数据")
        parser.add_argument(
            "--today", type=date.fromisoformat, default=None, help="基准日期 YYYY-MM-DD(默认今天)"
        )
        parser.add_argument("--if-empty", action="store_true", help="数据库已有数据时什么也不做")
        parser.add_argument(
            "--jobs", type=int, default=None, help="加密用的进程数(默认:district/city 用全部核心)"
        )
        parser.add_argument(
            "--tree-path", choices=[SERVICES, BULK], default="", help="属地、单位、党组织的写入方式"
        )
        parser.add_argument(
            "--people-path", choices=[SERVICES, BULK], default="", help="人员、党员的写入方式"
        )
        parser.add_argument(
            "--needs", type=int, default=None, help="诉求条数(默认:small 300,district 每年45万)"
        )
        parser.add_argument("--need-days", type=int, default=None, help="诉求分布在今天之前的多少天内")
        parser.add_argument("--needs-path", choices=[SERVICES, BULK], default="", help="诉求的写入方式")
        parser.add_argument(
            "--no-people", action="store_true", help="不生成人员和演示账号(只要属地树和诉求时用,如基准测试)"
        )
        parser.add_argument(
            "--no-service-card",
            action="store_true",
            help="不生成志愿者、活动、服务记录、积分、关爱对象和服务窗口(只测诉求等时用)",
        )
        parser.add_argument("--dry-run", action="store_true", help="只生成并统计,不写数据库")

    def handle(self, *args: Any, **options: Any) -> None:
        if not settings.DEBUG:
            raise CommandError("seed_demo 只用于开发和演示环境(DEBUG=True):演示账号的密码是公开的。")
        tier = options["tier"]
        today = options["today"] or timezone.localdate()
        if today < date(2024, 1, 1):
            raise CommandError("--today 不能早于 2024-01-01:最年轻的演示人员须已年满18岁并入党满一年。")
        if options["dry_run"]:
            self.dry_run(tier=tier, seed=options["seed"], today=today)
            return
        found = existing_data()
        if found:
            summary = "、".join(f"{name} {count}" for name, count in found.items())
            if options["if_empty"]:
                self.stdout.write(f"数据库已有数据({summary}),未生成演示数据。")
                return
            raise CommandError(f"数据库不是空的({summary}):演示数据只能生成到空数据库中。")
        jobs = options["jobs"] or (os.cpu_count() or 1 if tier in {"district", "city"} else 1)
        seed_options = SeedOptions(
            tier=tier,
            seed=options["seed"],
            today=today,
            now=timezone.now(),
            tree_path=options["tree_path"],
            people_path=options["people_path"],
            jobs=jobs,
            needs=options["needs"],
            need_days=options["need_days"],
            needs_path=options["needs_path"],
            people=not options["no_people"],
            accounts=not options["no_people"],
            service_card=not options["no_service_card"],
        )
        started = time.perf_counter()
        report = seed_demo(seed_options)
        total = time.perf_counter() - started
        self.stdout.write(
            f"已生成演示数据:规模 {tier},种子 {seed_options.seed},基准日期 {today},"
            f"属地/单位/党组织经{_path_label(seed_options.tree_path)},人员经{_path_label(seed_options.people_path)},"
            f"诉求经{_path_label(seed_options.needs_path)}。"
        )
        for name, count in report.counts.items():
            self.stdout.write(f"  {name}: {count}")
        for phase, seconds in report.seconds.items():
            self.stdout.write(f"  {phase}: {seconds:.1f} s")
        self.stdout.write(
            self.style.SUCCESS(f"完成,用时 {total:.1f} 秒。登录信息:python manage.py demo_logins")
        )

    def dry_run(self, *, tier: str, seed: int, today: date) -> None:
        started = time.perf_counter()
        world = generate_world(tier=TIERS[tier], seed=seed, today=today)
        persons = world.planned_residents() + sum(q.members for c in world.chunks for q in c.unit_branches)
        self.stdout.write(
            f"规模 {tier}(不写数据库):属地 {len(world.territories)}、党组织 {len(world.organizations)}、"
            f"单位 {len(world.units)}、社区分块 {len(world.chunks)};"
            f"计划居民约 {world.planned_residents()}、党员 {world.planned_members()}、人员约 {persons}。"
        )
        minutes = persons / MEASURED_PERSONS_PER_SECOND / 60
        self.stdout.write(
            f"生成树用时 {time.perf_counter() - started:.1f} 秒;"
            f"按实测每秒约 {MEASURED_PERSONS_PER_SECOND} 人估算,写入约需 {minutes:.0f} 分钟。"
        )


def _path_label(path: str) -> str:
    return "业务服务" if path == SERVICES else "批量写入"

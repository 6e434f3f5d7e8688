"""Member import throughput: a generated clean file of N rows, timed three ways on the database
DATABASE_URL names (the SQLite file of `make run` when unset):

  a. reading every cell with openpyxl read_only (the baseline: what any import must pay),
  b. a dry run (read + normalise + every rule + look-ups, nothing written),
  c. the full import (b + one write transaction + audit rows),
  d. the same file again (every row unchanged: nothing written).

    export DATABASE_URL=postgres://postgres@127.0.0.1:5432/tongxin_imp_bench
    .venv/bin/python manage.py migrate && .venv/bin/python manage.py seed_demo --tier small
    .venv/bin/python bench/member_import.py --rows 10000
    .venv/bin/python bench/member_import.py --rows 100000

The rows refer to the demo world's branches, communities and units, so the database must be
seeded. Each run draws ID numbers under an area code made from the seed, so it adds N new persons.
"""

import argparse
import io
import os
import random
import sys
import time
from datetime import date, timedelta
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.dev")

import django

django.setup()

from django.db import connection  # noqa: E402
from django.utils import timezone  # noqa: E402
from openpyxl import Workbook, load_workbook  # noqa: E402

from tongxin.core.actor import Actor  # noqa: E402
from tongxin.core.validators import compose_id_number  # noqa: E402
from tongxin.imports.columns import TEMPLATE_NAMES  # noqa: E402

PROVINCES = [11, 12, 13, 14, 15, 21, 22, 23, 31, 32, 33, 34, 35, 36, 37, 41, 42, 43, 44, 45, 46, 50]
PROVINCES += [51, 52, 53, 54, 61, 62, 63, 64, 65]
from tongxin.imports.scope import ImportScope  # noqa: E402
from tongxin.imports.services import members_import  # noqa: E402
from tongxin.orgs.models import BRANCH_KINDS, Organization  # noqa: E402
from tongxin.territory.models import Territory, TerritoryLevel  # noqa: E402
from tongxin.units.models import Unit  # noqa: E402

SURNAMES = "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗"
GIVEN = "伟芳娜敏静丽强磊军洋勇艳杰娟涛明超秀英华平刚桂兰建国"
DATE_STYLES = ["{:%Y-%m-%d}", "{d.year}/{d.month}/{d.day}", "{d.year}年{d.month}月{d.day}日", "{:%Y%m%d}"]


def generate(rows: int, seed: int) -> bytes:
    rng = random.Random(seed)
    branches = list(
        Organization.objects.filter(kind__in=BRANCH_KINDS, is_external=False).values_list("code", flat=True)
    )
    places = list(
        Territory.objects.filter(level__in=[TerritoryLevel.COMMUNITY, TerritoryLevel.GRID]).values_list(
            "code", flat=True
        )
    )
    units = list(Unit.objects.values_list("name", "credit_code"))
    if not branches or not places:
        sys.exit("The database has no demo world: run `manage.py seed_demo --tier small` first.")
    book = Workbook(write_only=True)
    ws = book.create_sheet("党员信息")
    ws.append(TEMPLATE_NAMES)
    # A fresh area code per seed: a new run adds new people instead of updating the last run's.
    # It opens with a real province code (11 北京 … 65 新疆), which the ID number rule asks for.
    province = PROVINCES[seed % len(PROVINCES)]
    first_day, start, area = date(1950, 1, 1), 0, f"{province}{seed // len(PROVINCES) % 10000:04d}"
    for i in range(rows):
        # Unique within the file: one birth date per block of 500 sequence numbers.
        n = start + i
        birth = first_day + timedelta(days=(n // 500) * 7 % 20000)
        number = compose_id_number(area=area, birth=birth, sequence=n % 500 * 2 + (i % 2))
        name = SURNAMES[int(number[6:14]) % len(SURNAMES)] + GIVEN[int(number[14:17]) % len(GIVEN)]
        joined = birth + timedelta(days=rng.randrange(18 * 366, 40 * 365))
        joined = min(joined, date(2025, 6, 1))
        full = rng.random() < 0.9
        working = units and rng.random() < 0.3
        unit = rng.choice(units) if working else ("", "")
        style = DATE_STYLES[i % len(DATE_STYLES)]
        ws.append(
            [
                name,
                number,
                f"1{rng.choice('3589')}{rng.randrange(10**9):09d}",
                "汉族" if rng.random() < 0.95 else "回族",
                rng.choice(["大学本科", "大学专科", "高中", "研究生(硕士)", ""]),
                style.format(joined, d=joined),
                style.format(joined + timedelta(days=365), d=joined + timedelta(days=365)) if full else "",
                "正式党员" if full else "预备党员",
                rng.choice(branches),
                unit[0],
                unit[1],
                rng.choice(places),
                "是" if working else "否",
                "否",
            ]
        )
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def read_baseline(data: bytes) -> int:
    book = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    cells = sum(len(row) for row in book.worksheets[0].iter_rows(values_only=True))
    book.close()
    return cells


def timed(label: str, rows: int, baseline: float | None, work: Any) -> tuple[float, Any]:
    started = time.perf_counter()
    result = work()
    seconds = time.perf_counter() - started
    ratio = f"  ×{seconds / baseline:.1f} baseline" if baseline else ""
    print(f"{label:<34} {seconds:8.2f} s  {rows / seconds:10,.0f} rows/s{ratio}", flush=True)
    return seconds, result


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--rows", type=int, default=10_000)
    parser.add_argument("--seed", type=int, default=None, help="default: a new seed each run")
    parser.add_argument("--keep", metavar="FILE.xlsx", help="also save the generated file here")
    args = parser.parse_args()
    seed = args.seed if args.seed is not None else int(time.time())
    print(
        f"database: {connection.vendor} {connection.settings_dict['NAME']}; rows: {args.rows:,}; seed {seed}"
    )
    started = time.perf_counter()
    data = generate(args.rows, seed)
    print(f"generated {len(data) / 1e6:.1f} MB in {time.perf_counter() - started:.1f} s")
    if args.keep:
        Path(args.keep).write_bytes(data)

    def run(dry_run: bool) -> Any:
        result = members_import(
            data=data,
            filename="bench.xlsx",
            scope=ImportScope(),
            by=Actor.system("bench"),
            today=timezone.localdate(),
            dry_run=dry_run,
            reference="bench",
        )
        if not result.ok:
            sys.exit(f"the generated file was refused: {result.message or result.problems[:5]}")
        return result

    baseline, _ = timed("a. read with openpyxl (read_only)", args.rows, None, lambda: read_baseline(data))
    timed("b. dry run (check every row)", args.rows, baseline, lambda: run(True))
    _, result = timed("c. full import", args.rows, baseline, lambda: run(False))
    print(f"   {result.counts}")
    _, again = timed("d. same file again (unchanged)", args.rows, baseline, lambda: run(False))
    print(f"   {again.counts}")


if __name__ == "__main__":
    main()

"""Shared test fixtures: a small world built through the real services, and accounts with grants."""

import importlib
import itertools
import os
import sqlite3
from collections.abc import Iterator
from contextlib import closing
from datetime import date, datetime
from pathlib import Path
from types import SimpleNamespace
from typing import Any

import pytest
from django.conf import settings
from django.db import connections
from django.utils import timezone, translation
from hypothesis import settings as hypothesis_settings

from tongxin.accounts.models import User
from tongxin.accounts.services import role_grant
from tongxin.core.actor import Actor
from tongxin.core.validators import compose_credit_code, compose_id_number
from tongxin.orgs.models import OrgKind
from tongxin.orgs.services import organization_create
from tongxin.people.models import MemberStatus
from tongxin.people.services import MembershipData, PersonData, membership_save, person_create
from tongxin.territory.services import territory_create
from tongxin.units.services import unit_create

# CI runs the property tests on a fixed sequence of examples, so a submission lands or fails on
# its own merits; local runs keep exploring new examples.
hypothesis_settings.register_profile("ci", derandomize=True, print_blob=True)
if os.environ.get("CI"):
    hypothesis_settings.load_profile("ci")

SYSTEM = Actor.system("test")
TEST_PASSWORD = "Tongxin-Test-2026!"  # noqa: S105 - test accounts only
NOW = datetime(2026, 11, 29, 10, 0, tzinfo=timezone.get_fixed_timezone(480))
TODAY = NOW.date()
_seq = itertools.count(1)
_credit = itertools.count(1)


def new_id_number(birth: date = date(1980, 1, 1)) -> str:
    return compose_id_number(area="310110", birth=birth, sequence=next(_seq))


def new_credit_code() -> str:
    return compose_credit_code(f"91310110MA{next(_credit):07d}")


def add_person(name: str, residence, *, mobile: str = "", birth: date = date(1980, 1, 1)):  # type: ignore[no-untyped-def]
    return person_create(
        data=PersonData(name=name, id_number=new_id_number(birth), mobile=mobile, residence=residence),
        by=SYSTEM,
    )


def add_member(person, org, *, status: str = MemberStatus.FULL, joined: date = date(2005, 7, 1)):  # type: ignore[no-untyped-def]
    confirmed = date(joined.year + 1, joined.month, joined.day) if status == MemberStatus.FULL else None
    return membership_save(
        person=person,
        data=MembershipData(organization=org, status=status, joined_on=joined, confirmed_on=confirmed),
        by=SYSTEM,
        today=TODAY,
    )


def make_account(username: str, *grants: tuple[str, object], person=None) -> User:  # type: ignore[no-untyped-def]
    from tongxin.territory.models import Territory

    user = User.objects.create_user(username=username, password=TEST_PASSWORD, person=person)
    for role, node in grants:
        kwargs = {"territory": node} if isinstance(node, Territory) else {"organization": node}
        role_grant(user=user, role=role, by=SYSTEM, now=NOW, **kwargs)
    return User.objects.get(pk=user.pk)


@pytest.fixture
def world(db):  # type: ignore[no-untyped-def]
    """区 → 2 streets → 3 communities (+1 grid); 区委 → 党工委 → 社区党委 → 支部; one unit with its own
    branch under an external superior; four people."""
    t = SimpleNamespace()
    t.district = territory_create(name="示范区", code="310110", level="district", parent=None, by=SYSTEM)
    t.street1 = territory_create(
        name="定海路街道", code="310110001", level="street", parent=t.district, by=SYSTEM
    )
    t.street2 = territory_create(
        name="平凉路街道", code="310110002", level="street", parent=t.district, by=SYSTEM
    )
    t.c11 = territory_create(
        name="杨树浦社区", code="310110001001", level="community", parent=t.street1, by=SYSTEM
    )
    t.c12 = territory_create(
        name="复兴岛社区", code="310110001002", level="community", parent=t.street1, by=SYSTEM
    )
    t.c21 = territory_create(
        name="长阳社区", code="310110002001", level="community", parent=t.street2, by=SYSTEM
    )
    t.g111 = territory_create(name="第一网格", code="310110001001001", level="grid", parent=t.c11, by=SYSTEM)

    def org(name, code, kind, parent, territory, **kw):  # type: ignore[no-untyped-def]
        return organization_create(
            name=name, code=code, kind=kind, parent=parent, territory=territory, by=SYSTEM, **kw
        )

    t.district_committee = org("中共示范区委员会", "D", OrgKind.COMMITTEE, None, t.district)
    t.wc1 = org("定海路街道党工委", "D01", OrgKind.WORKING_COMMITTEE, t.district_committee, t.street1)
    t.wc2 = org("平凉路街道党工委", "D02", OrgKind.WORKING_COMMITTEE, t.district_committee, t.street2)
    t.cc11 = org("杨树浦社区党委", "D0101", OrgKind.COMMITTEE, t.wc1, t.c11)
    t.b11 = org("杨树浦社区第一党支部", "D010101", OrgKind.BRANCH, t.cc11, t.c11)
    t.cc21 = org("长阳社区党委", "D0201", OrgKind.COMMITTEE, t.wc2, t.c21)
    t.b21 = org("长阳社区第一党支部", "D020101", OrgKind.BRANCH, t.cc21, t.c21)
    t.unit = unit_create(
        name="示范电力公司",
        credit_code=new_credit_code(),
        kind="state_enterprise",
        territory=t.c11,
        by=SYSTEM,
    )
    t.external = org("示范能源集团党委", "X01", OrgKind.COMMITTEE, None, None, is_external=True)
    t.unit_branch = org("示范电力公司党支部", "X0101", OrgKind.BRANCH, t.external, t.c11, units=[t.unit])
    t.alice = add_person("王秀英", t.c11, mobile="13812345678")
    t.bob = add_person("李建国", t.c21, mobile="13987654321")
    t.carol = add_person("张敏", t.c11)
    t.dave = add_person("陈伟", t.g111)
    add_member(t.alice, t.b11)
    add_member(t.bob, t.b21)
    add_member(t.carol, t.unit_branch)
    return t


@pytest.fixture(autouse=True)
def _chinese_first() -> Iterator[None]:
    """Every test starts in Chinese: a request in English through the test client leaves English
    active in the worker's thread, and the next test's messages would come out in English."""
    translation.activate(settings.LANGUAGE_CODE)
    yield
    translation.activate(settings.LANGUAGE_CODE)


@pytest.fixture(autouse=True)
def outbox() -> Iterator[list[Any]]:
    """The SMS messages the in-memory backend (the test settings' one) has sent, emptied around
    every test so that no test reads another's codes."""
    from tongxin.notifications.sms import InMemorySmsBackend

    InMemorySmsBackend.outbox.clear()
    yield InMemorySmsBackend.outbox
    InMemorySmsBackend.outbox.clear()


def _seed_need_categories() -> None:
    """The 14 need categories come from a data migration, and a transactional test (a browser
    test, a concurrency test) ends by emptying every table: the next test gets them back, from
    the migration's own function and list."""
    from django.apps import apps

    from tongxin.needs.models import NeedCategory

    if NeedCategory.objects.count() < 14:
        importlib.import_module("tongxin.needs.migrations.0002_seed_categories").seed(apps, None)


@pytest.fixture(autouse=True)
def _audit_triggers(request):  # type: ignore[no-untyped-def]
    """The audit table refuses DELETE and TRUNCATE, and a transactional test ends by emptying
    every table. So such a test switches the triggers off just before its flush, and every
    database test switches them on at its start (inside its transaction when it has one)."""
    marker = request.node.get_closest_marker("django_db")
    uses_db = marker is not None or {"db", "transactional_db", "live_server"} & set(request.fixturenames)
    if not uses_db:
        yield
        return
    from django.db import connection

    from tongxin.audit.triggers import allow_test_flush, restore_after_test_flush
    from tongxin.ledger import triggers as ledger_triggers

    transactional = (marker is not None and marker.kwargs.get("transaction")) or (
        "live_server" in request.fixturenames
    )
    if transactional:
        request.getfixturevalue("transactional_db")
    with connection.cursor() as cursor:
        restore_after_test_flush(cursor, connection.vendor)
        ledger_triggers.restore_after_test_flush(cursor, connection.vendor)
    _seed_need_categories()
    # The ledger's points rules come from a data migration too, emptied by the same flush.
    from tongxin.ledger.models import PointsRule

    if not PointsRule.objects.exists():
        from django.apps import apps

        importlib.import_module("tongxin.ledger.migrations.0003_seed_points_rules").seed(apps, None)
    yield
    if transactional:
        with connection.cursor() as cursor:
            allow_test_flush(cursor, connection.vendor)
            ledger_triggers.allow_test_flush(cursor, connection.vendor)


@pytest.fixture(autouse=True)
def _concurrent_writers_database(request):  # type: ignore[no-untyped-def]
    """A test marked concurrent_writers runs its threads against a database they can really share.

    PostgreSQL's test database already is one. SQLite's is in memory with a shared cache, where a
    second writer fails at once with "table is locked" instead of waiting: so on SQLite the test
    moves to a copy of that database in a temporary file, opened with the platform's own options
    (WAL, IMMEDIATE transactions, busy timeout) — the embedded default that `make run` uses."""
    from django.db import connection

    if request.node.get_closest_marker("concurrent_writers") is None or connection.vendor != "sqlite":
        yield
        return
    in_memory = connections["default"]
    in_memory.ensure_connection()
    path = request.getfixturevalue("tmp_path") / "concurrent.sqlite3"
    with closing(sqlite3.connect(path)) as copy:
        in_memory.connection.backup(copy)
    memory_settings = connections.settings["default"]
    file_settings = {**memory_settings, "NAME": str(path), "TEST": {**memory_settings["TEST"], "NAME": None}}
    connections.settings["default"] = file_settings
    connections["default"] = connections.create_connection("default")
    try:
        yield
    finally:
        try:
            connections["default"].close()
        finally:
            connections.settings["default"] = memory_settings
            connections["default"] = in_memory


# Browser tests: Playwright driving Debian's Chromium (never a downloaded browser), axe-core from
# the vendored copy, screenshots under test-artifacts/ for a person to look at.
CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
SHOTS = Path(settings.BASE_DIR) / "test-artifacts" / "screenshots"
AXE = Path(settings.BASE_DIR) / "tongxin" / "static" / "vendor" / "axe-core" / "axe.min.js"


def axe_faults(page: Any) -> list[str]:
    """Serious and critical axe-core violations on the current page, one line each."""
    page.add_script_tag(path=str(AXE))
    result = page.evaluate("async () => await axe.run(document, {resultTypes: ['violations']})")
    return [
        f"{page.url}: [{v['impact']}] {v['id']}: {v['help']} → "
        + "; ".join(n["target"][0] for n in v["nodes"][:3])
        for v in result["violations"]
        if v["impact"] in ("serious", "critical")
    ]


# A page a person would look at: loaded, its fonts in, no htmx request in flight or swap
# settling, every image drawn (a lazy one far below the fold never loads and is not waited for).
# Playwright's "networkidle" would wait half a second of silence on every screenshot instead.
SETTLED = """() => document.readyState === "complete"
    && document.fonts.status === "loaded"
    && !document.querySelector(".htmx-request, .htmx-swapping, .htmx-settling")
    && Array.from(document.images).every((img) => img.complete || img.loading === "lazy")"""


class Walk:
    """Screenshots and accessibility checks, step by step."""

    def __init__(self, page: Any, prefix: str) -> None:
        self.page, self.prefix, self.step = page, prefix, 0
        self.faults: list[str] = []

    def look(self, name: str) -> None:
        self.step += 1
        self.page.wait_for_load_state("load")
        self.page.wait_for_function(SETTLED)
        # With animations disabled the screenshot fast-forwards Bootstrap's colour transitions
        # (0.15 s) to their end, so axe's contrast check then measures the final colours.
        path = SHOTS / f"{self.prefix}{self.step:02d}-{name}.png"
        self.page.screenshot(path=str(path), full_page=True, animations="disabled")
        self.faults.extend(axe_faults(self.page))


def staff_login(page: Any, username: str, device: Any, *, password: str = TEST_PASSWORD) -> None:
    """Password, then the code the phone app would show, on the login page already open."""
    from tongxin.accounts.second_factor import current_totp_code

    page.get_by_label("用户名").fill(username)
    page.get_by_label("密码").fill(password)
    page.get_by_role("button", name="登录").click()
    page.get_by_label("验证码").fill(current_totp_code(device))
    page.get_by_role("button", name="验证").click()


@pytest.fixture
def browser(request: pytest.FixtureRequest, monkeypatch: pytest.MonkeyPatch) -> Iterator[Any]:
    """Headless Chromium. A browser test module names the screenshot prefixes it owns in
    SCREENSHOT_PREFIXES: those are cleared first, so what is there is what this run saw, and
    other modules' screenshots stay."""
    sync_api = pytest.importorskip("playwright.sync_api")
    if not Path(CHROMIUM).exists() or not AXE.exists():
        pytest.skip("Debian chromium is not installed")
    # Playwright's sync API runs an event loop in this thread; the test's own ORM calls are still
    # plain synchronous calls between browser steps.
    monkeypatch.setenv("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
    SHOTS.mkdir(parents=True, exist_ok=True)
    for prefix in request.module.SCREENSHOT_PREFIXES:
        for old in SHOTS.glob(f"{prefix}*.png"):
            old.unlink()
    with sync_api.sync_playwright() as p:
        chromium = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield chromium
        chromium.close()
        # The test's own ORM calls between browser steps ran under Playwright's greenlet, which
        # has its own context and so its own database connection; left open, it stops
        # PostgreSQL from dropping the test database at the end of the run.
        connections.close_all()

"""seed_demo's work: generate a world, write it through the services or the bulk path, add the demo
accounts. All in one transaction, so a failed seed leaves nothing behind."""

import time
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from functools import partial

from django.db import connection, transaction

from tongxin.accounts.models import User
from tongxin.activities.demo import seed_activities
from tongxin.care.demo import seed_care
from tongxin.core.actor import Actor
from tongxin.ledger.demo import seed_ledger, seed_ledger_bulk
from tongxin.ledger.models import Account, Entry, Posting
from tongxin.matching.demo import seed_helper_profiles
from tongxin.needs.models import Need, NeedEvent
from tongxin.orgs.models import Organization
from tongxin.people.models import Membership, Person
from tongxin.records.demo import seed_records
from tongxin.rewards.demo import seed_rewards
from tongxin.territory.models import Territory
from tongxin.units.models import Unit
from tongxin.volunteers.demo import seed_volunteers
from tongxin.windows.demo import seed_windows

from .accounts import DEMO_USERNAMES, create_demo_accounts
from .bulk import BulkWriter
from .codes import IdNumberAllocator
from .needs_bulk import BulkNeedWriter
from .needs_cast import cast_create
from .needs_plan import DEFAULT_COUNTS, DEFAULT_DAYS, Planner, load_places
from .needs_services import ServiceNeedWriter
from .service_writer import ServiceWriter
from .tiers import TIERS
from .world import generate_world

SERVICES, BULK = "services", "bulk"
# Which path writes the tree (territories, units, organisations) and the people, per tier. The
# small tier keeps its ~150 nodes on the services; its 20k people would take a minute that way.
DEFAULT_PATHS = {
    "tiny": (SERVICES, SERVICES),
    "small": (SERVICES, BULK),
    "district": (BULK, BULK),
    "city": (BULK, BULK),
}
# Which path writes the needs: the services for a few hundred, the bulk path for a district's year.
DEFAULT_NEEDS_PATHS = {"tiny": SERVICES, "small": SERVICES, "district": BULK, "city": BULK}
TABLES_TO_ANALYZE = (
    Territory,
    Organization,
    Unit,
    Person,
    Membership,
    Organization.units.through,
    Need,
    NeedEvent,
    Account,
    Posting,
    Entry,
)


# The service card's apps, in the order their data builds on each other: volunteers before the
# records and activities that name them, hours and points before what spends them. Each writes
# through its own services (DESIGN §5); `scale` 1.0 is the small tier's size.
SERVICE_CARD_SEEDS: tuple[tuple[str, Callable[..., dict[str, int]]], ...] = (
    ("volunteers", seed_volunteers),
    ("service records", seed_records),
    ("activities", seed_activities),
    ("rewards and time bank", seed_rewards),
    ("care registry", seed_care),
    ("service windows", seed_windows),
    ("ledger adjustments", seed_ledger),
)
SERVICE_CARD_SCALE = {"tiny": 0.2, "small": 0.5, "district": 1.0, "city": 1.0}
# A district's year of hours, points and time credits (DESIGN §9: ~1.7M ledger rows), by the
# ledger's bulk path, which a test holds to the rows the services write.
LEDGER_BULK_ROWS = {"district": 1_700_000, "city": 34_000_000}


@dataclass
class SeedOptions:
    tier: str
    seed: int
    today: date
    now: datetime
    tree_path: str = ""
    people_path: str = ""
    jobs: int = 1
    accounts: bool = True
    needs_path: str = ""
    needs: int | None = None  # how many needs (None: the tier's default)
    need_days: int | None = None  # over how many days before `now`
    people: bool = True  # False: the tree only, needs from callers (for benchmarks of needs alone)
    service_card: bool = True  # volunteers, activities, records, ledger, rewards, care, windows

    def __post_init__(self) -> None:
        default_tree, default_people = DEFAULT_PATHS[self.tier]
        self.tree_path = self.tree_path or default_tree
        self.people_path = self.people_path or default_people
        self.needs_path = self.needs_path or DEFAULT_NEEDS_PATHS[self.tier]
        if self.needs is None:
            self.needs = DEFAULT_COUNTS[self.tier]
        if self.need_days is None:
            self.need_days = DEFAULT_DAYS[self.tier]


@dataclass
class SeedReport:
    counts: dict[str, int] = field(default_factory=dict)
    seconds: dict[str, float] = field(default_factory=dict)

    def timed(self, phase: str, work: Callable[[], dict[str, int] | None]) -> None:
        started = time.perf_counter()
        counts = work()
        self.seconds[phase] = time.perf_counter() - started
        self.counts.update(counts or {})


def existing_data() -> dict[str, int]:
    """What already exists that seeding would clash with; empty means the database is empty."""
    found = {
        "territories": Territory.objects.count(),
        "organizations": Organization.objects.count(),
        "units": Unit.objects.count(),
        "persons": Person.objects.count(),
        "demo accounts": User.objects.filter(username__in=DEMO_USERNAMES).count(),
    }
    return {k: v for k, v in found.items() if v}


def seed_demo(options: SeedOptions) -> SeedReport:
    by = Actor.system("seed_demo")
    report = SeedReport()
    world_box = {}

    def generate() -> dict[str, int]:
        world_box["world"] = generate_world(tier=TIERS[options.tier], seed=options.seed, today=options.today)
        return {}

    report.timed("generate tree", generate)
    world = world_box["world"]
    services = ServiceWriter(by=by, today=options.today)
    bulk = BulkWriter(by=by, now=options.now, jobs=options.jobs)
    tree_writer = services if options.tree_path == SERVICES else bulk
    people_writer = services if options.people_path == SERVICES else bulk
    ids = IdNumberAllocator()
    with transaction.atomic():
        report.timed(f"tree ({options.tree_path})", lambda: tree_writer.write_tree(world))
        if options.people:
            report.timed(
                f"people ({options.people_path})", lambda: people_writer.write_population(world, ids)
            )
        if options.accounts and options.people:
            report.timed(
                "demo accounts",
                lambda: {"accounts": len(create_demo_accounts(seed=options.seed, now=options.now, by=by))},
            )
        if options.needs:
            report.timed(f"needs ({options.needs_path})", lambda: write_needs(options, by))
        if options.people and options.tier == "small":
            # Skills and free time of some members, so that 推荐办理人 has someone to suggest;
            # through the matching service, one by one (a few hundred).
            report.timed(
                "helper profiles",
                lambda: {"helper profiles": seed_helper_profiles(now=options.now, seed=options.seed)},
            )
        if options.people and options.service_card:
            write_service_card(options, report)
    report.timed("analyze", analyze_tables)
    return report


def write_needs(options: SeedOptions, by: Actor) -> dict[str, int]:
    """Needs over the last need_days, through the services or the bulk path, acted out by the
    demo accounts in their street and by a cast of simulation accounts elsewhere."""
    cast = cast_create(by=by, now=options.now)
    places = load_places(cast)
    planner = Planner(cast=cast, places=places, seed=options.seed, now=options.now)
    plans = planner.iter_plans(count=options.needs or 0, days=options.need_days or 1)
    if options.needs_path == SERVICES:
        return ServiceNeedWriter(cast=cast, now=options.now).write(plans)
    writer = BulkNeedWriter(cast=cast, now=options.now, by=by)
    writer.prime(places, planner.texts())
    return writer.write(plans)


def write_service_card(options: SeedOptions, report: SeedReport) -> None:
    scale = SERVICE_CARD_SCALE[options.tier]
    for phase, seed in SERVICE_CARD_SEEDS:
        report.timed(phase, partial(seed, now=options.now, seed=options.seed, scale=scale))
    rows = LEDGER_BULK_ROWS.get(options.tier)
    if rows:
        report.timed("ledger history (bulk)", lambda: ledger_history(options, rows))


def ledger_history(options: SeedOptions, rows: int) -> dict[str, int]:
    """The year before `now` of service history for the district's party members."""
    persons = list(Membership.objects.order_by("person_id").values_list("person_id", flat=True))
    year_start = options.now - timedelta(days=365)
    return seed_ledger_bulk(persons=persons, year_start=year_start, rows=rows, seed=options.seed)


def analyze_tables() -> None:
    """Fresh planner statistics: after a bulk load the planner would otherwise guess."""
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            tables = ", ".join(connection.ops.quote_name(m._meta.db_table) for m in TABLES_TO_ANALYZE)
            cursor.execute(f"ANALYZE {tables}")
        elif connection.vendor == "sqlite":
            cursor.execute("ANALYZE")

from typing import Any

from django.core.management.base import BaseCommand

from tongxin.accounts.models import Role, User
from tongxin.accounts.second_factor import base32_secret, confirmed_totp
from tongxin.demo.accounts import DEMO_ACCOUNTS, DEMO_PASSWORD
from tongxin.demo.guards import require_debug


class Command(BaseCommand):
    help = "列出演示账号:角色、用户名、密码和 TOTP 密钥(仅限开发和演示环境)。"

    def handle(self, *args: Any, **options: Any) -> None:
        require_debug("demo_logins")
        users = {u.username: u for u in User.objects.filter(username__in=[a.username for a in DEMO_ACCOUNTS])}
        if not users:
            self.stdout.write("还没有演示账号,请先运行:python manage.py seed_demo --tier small")
            return
        rows = [("角色", "用户名", "密码", "TOTP 密钥 / 手机号")]
        for account in DEMO_ACCOUNTS:
            user = users.get(account.username)
            if user is None:
                continue
            label = str(Role(account.role).label)
            rows.append((label, account.username, DEMO_PASSWORD, _second_column(user)))
        for row in rows:
            self.stdout.write(_format_row(row))
        self.stdout.write("")
        self.stdout.write("当前验证码: python manage.py totp_code <username>")
        self.stdout.write("居民和党员也可在手机页 /m/ 用手机号登录,短信验证码打印在服务器日志中。")
        for line in _needs_waiting(users) + _service_card(users):
            self.stdout.write(line)


def _needs_waiting(users: dict[str, User]) -> list[str]:
    """What the demo needs leave for the demo accounts to do, so the loop can be walked."""
    from tongxin.needs.models import Need, Status
    from tongxin.needs.selectors import need_claimable_for, need_list_for_scope

    lines = []
    community = users.get("demo_community")
    if community is not None:
        waiting = need_list_for_scope(community).filter(status=Status.SUBMITTED).count()
        grant = community.grants.filter(territory__isnull=False).first()
        if grant is not None and Need.objects.exists():
            lines.append(
                f"诉求:demo_community 有 {waiting} 条待受理;本社区公开页 /needs/public/{grant.territory_id}/"
            )
    member = users.get("demo_member")
    if member is not None and Need.objects.exists():
        lines.append(f"诉求:demo_member 可认领 {len(need_claimable_for(member))} 条")
    resident = users.get("demo_resident")
    if resident is not None and resident.person_id is not None and Need.objects.exists():
        to_rate = Need.objects.filter(person_id=resident.person_id, status=Status.RESOLVED).count()
        lines.append(f"诉求:demo_resident 有 {to_rate} 条已办结待评价(手机页 /m/)")
    return lines


def _service_card(users: dict[str, User]) -> list[str]:
    """What the volunteering demo leaves for the member and the resident on their phones."""
    from django.utils import timezone

    from tongxin.activities.models import ACTIVE_SIGNUP, Activity, SignUp
    from tongxin.activities.models import Status as ActivityStatus
    from tongxin.care.selectors import my_subjects
    from tongxin.ledger.models import Currency
    from tongxin.ledger.selectors import balance_of
    from tongxin.windows.models import Appointment, AppointmentStatus

    now = timezone.now()
    lines = []
    member = users.get("demo_member")
    if member is not None and member.person is not None:
        published = Activity.objects.filter(status=ActivityStatus.PUBLISHED)
        upcoming = published.filter(slots__starts_at__gt=now).distinct()
        mine = SignUp.objects.filter(person=member.person, status__in=ACTIVE_SIGNUP, slot__starts_at__gt=now)
        subjects = my_subjects(member, timezone.localdate())
        overdue = sum(1 for s in subjects if s.due_on is not None and s.due_on < timezone.localdate())
        lines.append(
            f"志愿服务:demo_member 已报名 {mine.count()} 场,可报名 {upcoming.count()} 场(手机页 志愿活动);"
            f"积分 {balance_of(person=member.person, currency=Currency.POINTS)};"
            f"走访 {subjects.count()} 位关爱对象,{overdue} 位已超期(我的走访)"
        )
    resident = users.get("demo_resident")
    if resident is not None and resident.person_id is not None:
        booked = Appointment.objects.filter(
            person_id=resident.person_id, status=AppointmentStatus.BOOKED, starts_at__gt=now
        ).count()
        lines.append(f"服务窗口:demo_resident 有 {booked} 个待办预约(手机页 服务窗口预约)")
    return lines


def _second_column(user: User) -> str:
    """Staff accounts: the TOTP secret. Residents and members: the mobile number they log in
    with on the phone site."""
    device = confirmed_totp(user)
    if device:
        return base32_secret(device)
    mobile = user.person.mobile if user.person else ""
    return f"手机号 {mobile}" if mobile else "(无需二次验证)"


def _display_width(text: str) -> int:
    """Columns a terminal uses: CJK characters take two."""
    return sum(2 if ord(c) > 0x2E80 else 1 for c in text)


def _format_row(row: tuple[str, ...]) -> str:
    widths = (14, 16, 20)
    cells = [cell + " " * (width - _display_width(cell)) for cell, width in zip(row, widths, strict=False)]
    return "  ".join([*cells, row[-1]])

"""What a helper can do, when they are free, and which skills a need calls for.

Skill codes and slot codes are fixed: the profile stores them as bits (the bit of a skill is its
place in SKILLS, the bit of a slot is weekday * 3 + period), so new skills are only ever appended,
never inserted or reordered."""

import re
from datetime import datetime, timedelta

from django.utils.translation import gettext_lazy as _

SKILLS: tuple[tuple[str, object], ...] = (
    ("legal", _("法律")),
    ("counselling", _("心理咨询")),
    ("medical", _("医护")),
    ("repair", _("维修")),
    ("companion", _("陪护")),
    ("tutoring", _("辅导")),
    ("haircut", _("理发")),
    ("driving", _("驾驶")),
    ("digital", _("电脑手机")),
    ("meals", _("烹饪送餐")),
    ("cleaning", _("家政保洁")),
    ("sign_language", _("手语")),
    ("paperwork", _("政策代办")),
)
SKILL_CODES: tuple[str, ...] = tuple(code for code, _label in SKILLS)
SKILL_BIT = {code: 1 << i for i, code in enumerate(SKILL_CODES)}
SKILL_LABEL = dict(SKILLS)
ALL_SKILLS_MASK = (1 << len(SKILLS)) - 1

WEEKDAYS = (_("周一"), _("周二"), _("周三"), _("周四"), _("周五"), _("周六"), _("周日"))
# A period's hours (local time, [start, end)): a helper free "上午" can be reached 8:00–12:00.
PERIODS: tuple[tuple[str, object, int, int], ...] = (
    ("am", _("上午"), 8, 12),
    ("pm", _("下午"), 12, 18),
    ("eve", _("晚上"), 18, 22),
)
PERIOD_CODES = tuple(p[0] for p in PERIODS)
PERIOD_LABEL = {p[0]: p[1] for p in PERIODS}
SLOT_CODES: tuple[str, ...] = tuple(f"{d}-{p}" for d in range(7) for p in PERIOD_CODES)
SLOT_BIT = {code: 1 << i for i, code in enumerate(SLOT_CODES)}
ALL_SLOTS_MASK = (1 << len(SLOT_CODES)) - 1
WEEK_HOURS = 7 * 24

# DESIGN.md §11 categories → the skills that usually serve them (a helper with one of these fits
# the need "well"; a skill named by the text itself fits it best, see KEYWORDS).
CATEGORY_SKILLS: dict[str, tuple[str, ...]] = {
    "elderly": ("companion", "meals", "cleaning", "haircut", "medical"),
    "disability": ("companion", "sign_language", "medical", "driving"),
    "children": ("tutoring", "counselling"),
    "hardship": ("paperwork", "meals"),
    "psych": ("counselling",),
    "legal": ("legal",),
    "property": ("repair",),
    "facility": ("repair",),
    "safety": ("repair",),
    "employment": ("tutoring", "digital", "paperwork"),
    "health": ("medical", "companion", "driving"),
    "culture": ("tutoring", "digital"),
    "policy": ("paperwork", "digital"),
    "other": (),
}

# Words in a resident's text that name the help itself (水管漏了 → someone who repairs).
KEYWORDS: dict[str, tuple[str, ...]] = {
    code: tuple(words.split())
    for code, words in {
        "repair": "水管 漏水 渗水 水龙头 下水道 堵了 堵塞 马桶 灯坏 灯不亮 电路 插座 跳闸"
        " 门锁 锁坏 热水器 维修 修理 坏了",
        "legal": "律师 合同 纠纷 欠薪 拖欠工资 继承 遗产 房东 起诉 赔偿 诈骗 法律",
        "counselling": "心理 焦虑 抑郁 失眠 想不开 孤独 情绪 轻生",
        "medical": "看病 吃药 血压 血糖 打针 换药 护理 康复 体检",
        "companion": "陪同 陪伴 陪护 照顾 独居 卧床 瘫痪 没人管",
        "tutoring": "作业 功课 辅导 补课 学习",
        "haircut": "理发 剪头 头发",
        "driving": "接送 开车 送医院 送到医院 用车",
        "digital": "手机 电脑 微信 网上 扫码 视频 app APP",
        "meals": "做饭 送餐 吃饭 饭菜 助餐 没饭",
        "cleaning": "打扫 保洁 家务 收拾 清洗",
        "sign_language": "手语 聋 听障 听不见",
        "paperwork": "办理 申请 材料 证明 低保 补贴 医保 社保 代办 手续",
    }.items()
}
_KEYWORD_RE = {code: re.compile("|".join(map(re.escape, words))) for code, words in KEYWORDS.items()}


def mask_of(codes: object, bits: dict[str, int]) -> int:
    mask = 0
    for code in codes:  # type: ignore[attr-defined]
        mask |= bits[code]
    return mask


def codes_of(mask: int, codes: tuple[str, ...]) -> list[str]:
    return [code for i, code in enumerate(codes) if mask >> i & 1]


def need_skill_masks(category: str, text: str) -> tuple[int, int]:
    """(skills the text names, skills the category calls for): the first fit best."""
    named = mask_of((code for code, rx in _KEYWORD_RE.items() if rx.search(text or "")), SKILL_BIT)
    usual = mask_of(CATEGORY_SKILLS.get(category, ()), SKILL_BIT)
    return named, usual


def slot_label(code: str) -> str:
    from django.utils.translation import gettext

    day, period = code.split("-")
    return gettext("%(day)s%(period)s") % {"day": WEEKDAYS[int(day)], "period": PERIOD_LABEL[period]}


def slot_starts(now: datetime) -> list[tuple[int, float]]:
    """For each slot bit, (bit index, hours from `now` until the helper is reachable in it): 0
    while the slot is running, else until its next start (within the coming week). `now` must be
    aware; the slots are in local time."""
    from django.utils import timezone

    local = timezone.localtime(now)
    midnight = local.replace(hour=0, minute=0, second=0, microsecond=0)
    result = []
    for index in range(len(SLOT_CODES)):
        day, period = divmod(index, 3)
        _code, _label, start_h, end_h = PERIODS[period]
        days_ahead = (day - local.weekday()) % 7
        start = midnight + timedelta(days=days_ahead, hours=start_h)
        end = midnight + timedelta(days=days_ahead, hours=end_h)
        if days_ahead == 0 and local >= end:
            start += timedelta(days=7)
            end += timedelta(days=7)
        wait = max(0.0, (start - local).total_seconds() / 3600)
        result.append((index, wait))
    return result

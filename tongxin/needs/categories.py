"""The 14 need categories of DESIGN.md §11. The codes are fixed: rules (privacy), reports and
the classifier key on them; names are seeded from here and may be edited afterwards."""

CATEGORIES: tuple[tuple[str, str], ...] = (
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
CATEGORY_CODES = frozenset(code for code, _name in CATEGORIES)

# Vulnerable residents' needs: seen only by the people handling them (DESIGN.md §7).
SENSITIVE_CATEGORIES = frozenset({"elderly", "disability", "children", "hardship", "psych", "health"})

"""Every message of the import, in its code and its pages, has its English translation."""

import re
from pathlib import Path

from django.utils import translation

APP = Path(__file__).resolve().parents[1]
TEMPLATES = APP.parent / "templates" / "imports"
LITERAL = re.compile(
    r"""(?:\b_|gettext_lazy|gettext)\(\s*"((?:[^"\\]|\\.)+)"|{% translate ["']([^"']+)["']"""
)


def messages() -> set[str]:
    files = [p for p in APP.rglob("*.py") if "tests" not in p.parts and "migrations" not in p.parts]
    files += list(TEMPLATES.glob("*.html"))
    found = set()
    for path in files:
        for match in LITERAL.finditer(path.read_text()):
            found.add(match.group(1) or match.group(2))
    return found


def test_every_message_of_the_import_is_translated_into_english() -> None:
    found = messages()
    assert "入党日期与登记不一致(登记为 %(date)s),如需更正请在党员信息页修改。" in found
    assert "更新的行" in found
    with translation.override("en"):
        untranslated = sorted(m for m in found if translation.gettext(m) == m)
    assert untranslated == []

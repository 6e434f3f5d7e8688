"""Every message of the platform, in its code and its pages, has its English translation: the
switch to English must not leave a page half Chinese."""

import re
from pathlib import Path

from django.utils import translation

SOURCE = Path(__file__).resolve().parents[2]  # tongxin/
# A gettext call's literal, implicitly concatenated over several lines, or a template's translate.
LITERAL = re.compile(
    r"""(?:\b_|gettext_lazy|gettext|_gettext)\(\s*((?:"(?:[^"\\]|\\.)*"\s*)+)|{% translate ["']([^"']+)["']"""
)
PIECE = re.compile(r'"((?:[^"\\]|\\.)*)"')
HAN = re.compile(r"[\u4e00-\u9fff]")


def messages() -> dict[str, str]:
    """Each Chinese message literal, with one file that uses it."""
    files = [p for p in SOURCE.rglob("*.py") if not {"tests", "migrations"} & set(p.parts)]
    files += list((SOURCE / "templates").rglob("*.html"))
    found: dict[str, str] = {}
    for path in files:
        for match in LITERAL.finditer(path.read_text()):
            message = "".join(PIECE.findall(match.group(1))) if match.group(1) else match.group(2)
            if HAN.search(message):
                found.setdefault(message, str(path.relative_to(SOURCE)))
    return found


def test_every_message_is_translated_into_english() -> None:
    found = messages()
    assert "入党日期与登记不一致(登记为 %(date)s),如需更正请在党员信息页修改。" in found  # code
    assert "已收到验证码?去输入" in found  # templates
    with translation.override("en"):
        untranslated = sorted(f"{where}: {m}" for m, where in found.items() if translation.gettext(m) == m)
    assert untranslated == []

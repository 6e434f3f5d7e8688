"""Pinyin search keys for tree node names, so that "dhjd" or "dinghai" finds 定海路街道.

A key is stored beside each node: "<initials> <full pinyin>", lower case ASCII (e.g.
"dhljd dinghailujiedao"). Searches are then plain SQL over one column: a substring of either part,
or the typed letters as an in-order subsequence of the initials (secretaries skip generic words:
"dhjd" leaves out 路)."""

import re

from pypinyin import lazy_pinyin

KEY_MAX_LENGTH = 400
_NOT_KEY = re.compile(r"[^a-z0-9]")


def search_key(name: str) -> str:
    """The stored key for a node name. Latin letters and digits in the name are kept as they are
    (网格A → "wga wanggea")."""
    # Characters without a reading (Latin letters, digits) count one by one, like syllables.
    readings = lazy_pinyin(name, errors=lambda chars: list(chars))  # type: ignore[arg-type,return-value]
    syllables = [s.lower() for s in readings]
    syllables = [_NOT_KEY.sub("", s) for s in syllables]
    syllables = [s for s in syllables if s]
    initials = "".join(s[0] for s in syllables)
    full = "".join(syllables)
    return f"{initials} {full}"[:KEY_MAX_LENGTH]


def normalize_query(text: str) -> str:
    """What of a typed query can match a key: lower-case letters and digits, spaces dropped.
    Empty when the query holds anything else (Chinese is then matched against the name)."""
    lowered = text.strip().lower().replace(" ", "")
    return lowered if lowered and not _NOT_KEY.search(lowered) else ""


def subsequence_pattern(query: str) -> str:
    """A LIKE pattern matching keys whose initials contain `query`'s letters in order. The
    initials come before the one space of the key, so the pattern must end before it."""
    return "%" + "%".join(query) + "% %"

"""Pinyin search keys for tree node names, so that "dhjd" or "dinghai" finds 定海路街道.

A key is stored beside each node, lower-case ASCII: the initials of every reading of the name,
separated by spaces, then one space and the full pinyin of every reading, separated by "|"
("dhljd dinghailujiedao"; with a character of two readings, "znq cnq zhangningqu|changningqu" for
长宁区). Searches are plain SQL over one column: a substring of an initials or full-pinyin reading,
or the typed letters as an in-order subsequence of the initials (secretaries skip generic words:
"dhjd" leaves out 路).

Why several readings: pypinyin reads place names character by character where its phrase list has
no entry, and then gets 长宁 (Changning), 朝阳 (Chaoyang) or 单县 (Shanxian) wrong; a secretary who
types "cnq" must still find 长宁区. The default reading comes first, the other readings of each
character follow, capped so that a long name of many such characters keeps a short key."""

import itertools
import re

from pypinyin import Style, lazy_pinyin, pinyin

KEY_MAX_LENGTH = 400
MAX_READINGS = 8  # of a whole name
NAME_SORT_MAX_LENGTH = 400
_NOT_KEY = re.compile(r"[^a-z0-9]")


def _syllable(text: str) -> str:
    return _NOT_KEY.sub("", text.lower())


def _default_readings(name: str) -> list[str]:
    """pypinyin's reading of each character in context; characters without one (Latin letters,
    digits) are passed through one by one."""
    return lazy_pinyin(name, errors=lambda chars: list(chars))  # type: ignore[arg-type,return-value]


def _char_readings(name: str) -> list[list[str]]:
    """Per character, its readings as key syllables, the one pypinyin picks in context first.
    Characters without a reading (Latin letters, digits) count one by one, like syllables
    (网格A → "wga wanggea")."""
    defaults = _default_readings(name)
    if len(defaults) != len(name):  # pypinyin grouped something; keep its one reading
        return [[_syllable(s)] for s in defaults]
    readings = []
    for char, default in zip(name, defaults, strict=True):
        others = pinyin(char, style=Style.NORMAL, heteronym=True, errors="ignore")
        alternatives = [_syllable(s) for s in others[0]] if others else []
        readings.append(list(dict.fromkeys([_syllable(default), *alternatives])))
    return readings


def name_readings(name: str) -> list[list[str]]:
    """Whole-name readings as syllable lists, at most MAX_READINGS: the default first, then those
    that differ from it in one character, then in two, and so on (a reading wrong in one place is
    far likelier than one wrong everywhere)."""
    per_char = [[s for s in options if s] for options in _char_readings(name)]
    per_char = [options for options in per_char if options]
    default = [options[0] for options in per_char]
    ambiguous = [i for i, options in enumerate(per_char) if len(options) > 1]
    readings = [default]
    for changed in range(1, len(ambiguous) + 1):
        for positions in itertools.combinations(ambiguous, changed):
            for picks in itertools.product(*(per_char[i][1:] for i in positions)):
                reading = list(default)
                for i, pick in zip(positions, picks, strict=True):
                    reading[i] = pick
                readings.append(reading)
                if len(readings) == MAX_READINGS:
                    return readings
    return readings


def search_key(name: str) -> str:
    """The stored key for a node name; readings are dropped from the end until it fits."""
    readings = name_readings(name)
    while True:
        initials = " ".join(dict.fromkeys("".join(s[0] for s in r) for r in readings))
        full = "|".join(dict.fromkeys("".join(r) for r in readings))
        key = f"{initials} {full}"
        if len(key) <= KEY_MAX_LENGTH or len(readings) <= 1:
            return key[:KEY_MAX_LENGTH]
        readings = readings[:-1]


def name_sort_key(name: str) -> str:
    """What lists sort people by: the pinyin of the name, syllable by syllable (李四 "li si" before
    林 "lin"), as Chinese registers are ordered; the name itself breaks ties between homophones."""
    syllables = [_syllable(s) for s in _default_readings(name)]
    return f"{' '.join(s for s in syllables if s)}\t{name}"[:NAME_SORT_MAX_LENGTH]


def normalize_query(text: str) -> str:
    """What of a typed query can match a key: lower-case letters and digits, spaces dropped.
    Empty when the query holds anything else (Chinese is then matched against the name)."""
    lowered = text.strip().lower().replace(" ", "")
    return lowered if lowered and not _NOT_KEY.search(lowered) else ""


def subsequence_pattern(query: str) -> str:
    """A LIKE pattern for keys with `query`'s letters in order before a space: a cheap first
    filter (spaces occur only among the initials, the full readings are joined by "|"). It also
    lets letters come from two different readings, which subsequence_regex then rules out."""
    return "%" + "%".join(query) + "% %"


def subsequence_regex(query: str) -> str:
    """A regular expression for keys in which ONE reading's initials hold `query`'s letters in
    order: a run of key characters that starts the key or follows a space, and ends at a space
    (so it is a reading's initials, not a full reading). Each gap excludes the letter after it,
    so the expression finds each letter's first occurrence and never backtracks (a plain
    "[a-z]*d[a-z]*h…" takes minutes on a long name of repeated letters)."""
    parts = [f"[^{re.escape(c)} |]*{re.escape(c)}" for c in query]
    return "(^| )" + "".join(parts) + "[^ |]* "

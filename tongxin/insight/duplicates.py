"""Scores whether two needs report the same concrete problem (DESIGN.md §11).

A duplicate is the same problem at the same place or object; the same kind of problem at another
building, unit, road or device is not, however alike the wording. So the score mixes how alike the
words are (char n-gram cosine, weighted by how rare each n-gram is in the needs corpus) with a
comparison of the places and objects named, and a conflict of places caps the score below the
threshold whatever the wording.
"""

from __future__ import annotations

import re
import threading
from dataclasses import dataclass

from sklearn.feature_extraction.text import TfidfVectorizer

from tongxin.insight.classifier import load_corpus, normalise

THRESHOLD = 0.5
# A named place on both sides that differs: never a duplicate.
CONFLICT_CAP = 0.3

_DIGITS = {
    "零": 0,
    "〇": 0,
    "一": 1,
    "二": 2,
    "两": 2,
    "三": 3,
    "四": 4,
    "五": 5,
    "六": 6,
    "七": 7,
    "八": 8,
    "九": 9,
}
_NUMERAL = "零〇一二两三四五六七八九十百"
_PLACE_SUFFIX = r"(?=号|栋|幢|单元|楼|层|室|排|区|期|弄|巷|组)"

# Synonyms folded to one object word, so 信号灯 and 红绿灯 are the same device.
OBJECTS: dict[str, tuple[str, ...]] = {
    "电梯": ("电梯", "升降梯"),
    "路灯": ("路灯",),
    "楼道灯": ("楼道灯", "感应灯", "楼梯灯", "声控灯"),
    "红绿灯": ("红绿灯", "信号灯", "交通灯"),
    "井盖": ("井盖", "窨井"),
    "下水道": ("下水道", "下水管", "排水", "返水", "堵了"),
    "垃圾": ("垃圾房", "垃圾桶", "垃圾站", "垃圾"),
    "门禁": ("门禁", "单元门", "大门", "道闸"),
    "水管": ("水管", "爆管", "自来水"),
    "漏水": ("漏水", "渗水", "漏雨", "渗到"),
    "燃气": ("燃气", "煤气", "天然气"),
    "消防": ("消防栓", "灭火器", "消防通道"),
    "充电": ("充电", "电动车", "电瓶", "飞线"),
    "公厕": ("公厕", "厕所", "卫生间"),
    "座椅": ("长椅", "座椅", "椅子"),
    "健身器材": ("健身器材", "单杠", "秋千", "滑梯"),
    "噪音": ("噪音", "吵", "唱歌", "音响", "装修"),
    "停车": ("停车", "车位", "乱停"),
    "路面": ("路面", "坑", "人行道", "地砖"),
    "积水": ("积水", "淹"),
    "树": ("树",),
    "外墙": ("外墙", "瓷砖", "墙皮"),
    "暖气": ("暖气",),
    "停水": ("停水", "没水", "水压"),
    "停电": ("停电", "没电"),
}
_ROAD_STOP = {"那条", "这条", "马路", "过马", "一条", "条马", "走路", "上路", "修路"}


def _numeral_to_int(text: str) -> int:
    if "百" in text:
        hundreds, _, rest = text.partition("百")
        return _DIGITS.get(hundreds, 1) * 100 + (_numeral_to_int(rest.lstrip("零")) if rest else 0)
    if "十" in text:
        tens, _, ones = text.partition("十")
        return (_DIGITS.get(tens, 1) if tens else 1) * 10 + (_DIGITS.get(ones, 0) if ones else 0)
    value = 0
    for ch in text:
        value = value * 10 + _DIGITS.get(ch, 0)
    return value


def digits(text: str) -> str:
    """三号楼 → 3号楼, 十二栋 → 12栋: only numerals that number a place, so 一个人 stays as it is."""
    return re.sub(f"[{_NUMERAL}]+{_PLACE_SUFFIX}", lambda m: str(_numeral_to_int(m.group(0))), text)


@dataclass(frozen=True)
class Places:
    buildings: frozenset[str]
    units: frozenset[str]
    rooms: frozenset[str]
    roads: frozenset[str]
    objects: frozenset[str]


def places(text: str) -> Places:
    text = digits(normalise(text))
    buildings = set(re.findall(r"(\d+)\s*(?:号楼|号|栋|幢|楼(?![道上下顶梯]))", text))
    units = set(re.findall(r"(\d+)\s*单元", text))
    rooms = set(re.findall(r"(\d{3,4})\s*(?:室|户|号房)?", text)) - buildings
    roads = {
        m.group(1) + m.group(2)
        for m in re.finditer(r"([\u4e00-\u9fff]{2})(大街|大道|路(?!灯)|街|巷|胡同)", text)
        if m.group(1) not in _ROAD_STOP and not re.search("[的了在是个]", m.group(1))
    }
    objects = {name for name, words in OBJECTS.items() if any(w in text for w in words)}
    return Places(
        frozenset(buildings), frozenset(units), frozenset(rooms), frozenset(roads), frozenset(objects)
    )


def _compare(a: frozenset[str], b: frozenset[str]) -> float | None:
    """1 shared, 0 both named but different, None when either side names none."""
    if not a or not b:
        return None
    return 1.0 if a & b else 0.0


_vectoriser: TfidfVectorizer | None = None
_lock = threading.Lock()


def _vec() -> TfidfVectorizer:
    global _vectoriser
    if _vectoriser is None:
        with _lock:
            if _vectoriser is None:
                vec = TfidfVectorizer(analyzer="char", ngram_range=(1, 2), sublinear_tf=True)
                vec.fit([digits(normalise(str(r["text"]))) for r in load_corpus()])
                _vectoriser = vec
    return _vectoriser


def _strip(text: str) -> str:
    return re.sub(r"[\s\W_]+", "", digits(normalise(text)))


def text_similarity(a: str, b: str) -> float:
    m = _vec().transform([_strip(a), _strip(b)])
    return float((m[0] @ m[1].T).toarray()[0, 0])


def _combine(pa: Places, pb: Places, similarity: float) -> float:
    where = [_compare(pa.buildings, pb.buildings), _compare(pa.units, pb.units)]
    where += [_compare(pa.rooms, pb.rooms), _compare(pa.roads, pb.roads)]
    what = _compare(pa.objects, pb.objects)
    known = [w for w in where if w is not None]
    place_score = min(known) if known else 0.5
    object_score = 0.5 if what is None else what
    score = 0.5 * similarity + 0.25 * place_score + 0.25 * object_score
    if 0.0 in known or what == 0.0:
        score = min(score, CONFLICT_CAP)
    elif known and what == 1.0:
        # Same named place and same object: the wording may differ entirely (电梯坏了 / 电梯又停了).
        score = max(score, 0.5 + 0.5 * similarity)
    return round(max(0.0, min(1.0, score)), 4)


def pair_score(a: str, b: str) -> float:
    return _combine(places(a), places(b), text_similarity(a, b))


def pair_scores(a: str, others: list[str]) -> list[float]:
    """pair_score(a, b) for every b, with one vectorisation for all: the per-pair cost of
    scikit-learn's transform (most of pair_score's millisecond) is paid once."""
    if not others:
        return []
    m = _vec().transform([_strip(a)] + [_strip(b) for b in others])
    similarities = (m[1:] @ m[0].T).toarray().ravel()
    pa = places(a)
    return [_combine(pa, places(b), float(sim)) for b, sim in zip(others, similarities, strict=True)]


def is_duplicate(a: str, b: str) -> bool:
    return pair_score(a, b) >= THRESHOLD

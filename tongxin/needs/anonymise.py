"""Strips what identifies a person from a text before it is shown to the public (DESIGN.md §7,
保护被助者自尊): names in the ways residents write them (王阿姨, 老张, 小李, 姓陈的, 张先生, and the
names we know belong to the need), phone and ID numbers, long digit runs, and door numbers
(3号楼2单元502室, 十二栋).

A rule-based pass cannot find every name in free Chinese text; that is why public stories also
need the resident's consent and are never shown for private or sensitive needs. This pass is the
second lock, not the first."""

import re
from collections.abc import Iterable

MASK = "某"
DIGITS_MASK = "***"

# The common surnames (百家姓, the first ~120 by population cover ~90 % of people).
SURNAMES = (
    "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘于蒋蔡余杜叶程苏魏吕丁任沈"
    "姚卢姜崔钟谭陆汪范金石廖贾夏韦付方白邹孟熊秦邱江尹薛闫段雷侯龙史陶黎贺顾毛郝龚邵万钱严覃武戴莫孔向汤"
    "常温康施文牛樊葛邢安齐易乔伍庞颜倪庄聂章鲁岳翟殷詹申欧耿关兰焦俞左柳甘祝包宁尚符舒阮柯纪梅童凌毕单"
    "季裴霍涂成苗谷盛曲翁冉骆蓝路游辛靳管柴蒙鲍华喻祁蒲房滕屈饶解牟艾尤阳时穆农司卓古吉缪简车项连芦麦褚"
    "娄窦戚岑景党宫费卜冷晏席卫米柏宗瞿桂全佟应臧闵苟邬边卞姬师和仇栾隋商刁沙荣巫寇桑郎甄丛仲虞敖巩明"
    "佘池查麻苑迟邝"
)
_S = f"[{SURNAMES}]"
# What follows a surname when residents speak of someone: 王阿姨, 李大爷, 张师傅, 陈老师.
_ADDRESS_TERMS = (
    "先生|女士|小姐|阿姨|大爷|大妈|大娘|大叔|大婶|大姐|大哥|奶奶|爷爷|姥姥|姥爷|婆婆|阿婆|阿公|老伯|伯伯|叔叔|"
    "婶婶|师傅|老师|医生|大夫|律师|同志|书记|主任|经理|老太|老头|老汉|姐|哥|叔|姨|伯|婆"
)
# Words after which a full name usually follows: 党员张敏, 志愿者王秀英.
_ROLE_WORDS = "党员|志愿者|居民|网格员|社工|楼组长|楼长|户主|业主|租户|老人|家属|儿子|女儿|老伴|负责人|联系人"
# What usually follows a name in a sentence about help given.
_NAME_ENDS = "上门|帮|为|给|和|与|同|陪|把|来|去|到|在|等|主动|及时|多次|每天|一起|修|送|看"
_HANZI_DIGITS = "0-9〇零一二两三四五六七八九十百"
_DOOR_UNITS = "号楼|号院|号门|号房|号|栋|幢|座|单元|室|层|楼|弄|排|户|门"

_PATTERNS: tuple[tuple[re.Pattern[str], str], ...] = (
    # ID numbers, then phones and any other long digit run (bank cards, landlines).
    (re.compile(r"\d{17}[\dXx]"), DIGITS_MASK),
    (re.compile(r"(?<!\d)(?:\+?86[- ]?)?1[3-9]\d[- ]?\d{4}[- ]?\d{4}(?!\d)"), DIGITS_MASK),
    (re.compile(r"(?<!\d)0\d{2,3}[- ]?\d{7,8}(?!\d)"), DIGITS_MASK),
    (re.compile(r"\d{5,}"), DIGITS_MASK),
    # Door numbers: 3号楼, 2单元, 502室, 十二栋, 5-1-302.
    *(
        _DOOR_PATTERNS := (
            (re.compile(r"\d+(?:-\d+){1,3}"), DIGITS_MASK),
            (re.compile(rf"[{_HANZI_DIGITS}]+(?={_DOOR_UNITS})"), MASK),
        )
    ),
    # Names: 姓王 / 姓王的, 老张, 小李, 王阿姨, 党员张敏.
    (re.compile(rf"姓{_S}"), "姓" + MASK),
    (re.compile(rf"(?<=[老小阿]){_S}"), MASK),
    (re.compile(rf"{_S}(?=(?:{_ADDRESS_TERMS}))"), MASK),
    (
        re.compile(rf"({_ROLE_WORDS}){_S}[\u4e00-\u9fff]{{1,2}}?(?=[，,。、；;：:\s（(]|{_NAME_ENDS}|$)"),
        r"\1" + MASK * 2,
    ),
)


# Everyday words that start with 老/小 and a character that is also a surname (小时, 老师):
# kept as they are. Anything else after 老/小/阿 that is a surname is taken for a name.
_COMMON_WORDS = (
    "小时",
    "小车",
    "小路",
    "小康",
    "小商",
    "小卫",
    "小游",
    "小项",
    "小麦",
    "小米",
    "小管",
    "小于",
    "老师",
    "老房",
    "老毛",
    "老关",
    "老白",
    "老于",
    "老常",
    "老钱",
    "老路",
    "老车",
)
_PLACEHOLDERS = {word: f"\x00{i}\x00" for i, word in enumerate(_COMMON_WORDS)}


def anonymise(text: str, *, known_names: Iterable[str] = (), doors: bool = True) -> str:
    """The text with names, numbers and door numbers masked. known_names (the resident's, the
    caller's, the helper's) are masked wherever they appear, longest first. doors=False keeps
    door numbers, for neighbours who must recognise the building (duplicate hints)."""
    for name in sorted({n.strip() for n in known_names if n and len(n.strip()) >= 2}, key=len, reverse=True):
        text = text.replace(name, MASK * len(name))
        # A resident is often called by the given name alone (秀英).
        if len(name) >= 3:
            text = text.replace(name[1:], MASK * (len(name) - 1))
    for word, placeholder in _PLACEHOLDERS.items():
        text = text.replace(word, placeholder)
    for pattern, replacement in _PATTERNS:
        if doors or (pattern, replacement) not in _DOOR_PATTERNS:
            text = pattern.sub(replacement, text)
    for word, placeholder in _PLACEHOLDERS.items():
        text = text.replace(placeholder, word)
    return text

"""The columns of the member import file: their names as the template writes them, the other
names secretaries' own registers use for them, and the notes the template explains them with."""

import re
from dataclasses import dataclass

from tongxin.core.validators import clean_text


@dataclass(frozen=True)
class Column:
    name: str
    note: str
    example: str
    aliases: tuple[str, ...] = ()
    text: bool = False  # stored as text in the template, so Excel keeps every digit
    required: bool = False


NAME, ID_NUMBER, MOBILE = "姓名", "身份证号", "手机号"
ETHNICITY, EDUCATION = "民族", "学历"
JOINED, CONFIRMED, STATUS = "入党日期", "转正日期", "党员状态"
ORG_CODE, EMPLOYER, EMPLOYER_CODE = "所在党组织编码", "工作单位", "工作单位统一社会信用代码"
COMMUNITY_CODE, IN_SERVICE, FLOWING = "居住社区编码", "是否在职党员", "是否流动党员"
# After the 14 columns the issue fixes: a flowing member needs a direction. Files without them
# still import (a member who is not flowing needs neither).
FLOW_DIRECTION, FLOW_PLACE = "流动方向", "流入/流出地"

COLUMNS = [
    Column(NAME, "必填。与身份证一致。", "王秀英", required=True),
    Column(
        ID_NUMBER,
        "必填。18位,末位可为X。本列须为文本格式,否则Excel会把号码改成科学计数法并丢失后几位。",
        "310110198001010014",
        aliases=("身份证号码", "公民身份号码", "身份证"),
        text=True,
        required=True,
    ),
    Column(MOBILE, "选填。11位手机号。", "13812345678", aliases=("手机号码", "手机", "联系电话"), text=True),
    Column(ETHNICITY, "选填,默认汉族。按国家标准民族名称填写,如“汉族”“回族”。", "汉族"),
    Column(EDUCATION, "选填。从下拉列表中选择,如“大学本科”。", "大学本科", aliases=("文化程度",)),
    Column(
        JOINED, "新党员必填。如 2019-07-01、2019/7/1、2019年7月1日。", "2005-07-01", aliases=("入党时间",)
    ),
    Column(
        CONFIRMED,
        "正式党员填写,不早于入党日期;预备党员不填。",
        "2006-07-01",
        aliases=("转正时间",),
    ),
    Column(STATUS, "新党员必填。预备党员或正式党员。", "正式党员", aliases=("党员类别", "人员类别")),
    Column(
        ORG_CODE,
        "新党员必填。党组织的组织编码(在“党组织”页面可查),只能填您有权维护党员名册的党组织。",
        "D010101",
        aliases=("党组织编码", "组织编码"),
        text=True,
    ),
    Column(
        EMPLOYER,
        "在职党员填写单位全称;已填信用代码时须与登记的名称一致。",
        "示范电力公司",
        aliases=("单位名称",),
    ),
    Column(
        EMPLOYER_CODE,
        "选填。18位统一社会信用代码;填写后按代码查找单位,比按名称更准确。",
        "",
        aliases=("统一社会信用代码", "单位统一社会信用代码", "信用代码"),
        text=True,
    ),
    Column(
        COMMUNITY_CODE,
        "选填。居住的社区、村或网格的区划代码(12位或15位)。",
        "310110001001",
        aliases=("社区编码", "居住社区代码", "社区代码"),
        text=True,
    ),
    Column(
        IN_SERVICE, "是/否。填“是”时须填写工作单位;留空时有工作单位即视为在职。", "是", aliases=("在职党员",)
    ),
    Column(
        FLOWING,
        "是/否。填“是”时须在“流动方向”列选择流出或流入。",
        "否",
        aliases=("流动党员",),
    ),
]
OPTIONAL_COLUMNS = [
    Column(FLOW_DIRECTION, "流动党员必填,从下拉列表中选择流出或流入;不是流动党员的留空。", "流出"),
    Column(FLOW_PLACE, "选填。流出党员填流入地,流入党员填流出地,如“广东省深圳市”。", ""),
]
TEMPLATE_NAMES = [c.name for c in COLUMNS]
TEMPLATE_COLUMNS = COLUMNS + OPTIONAL_COLUMNS  # the downloadable template's columns, in order
_BY_NAME = {c.name: c for c in COLUMNS + OPTIONAL_COLUMNS}
_ALIASES = {alias: c.name for c in COLUMNS + OPTIONAL_COLUMNS for alias in (c.name, *c.aliases)}


def column(name: str) -> Column:
    return _BY_NAME[name]


def canonical_header(value: object) -> str | None:
    """The column a header cell names, or None. Tolerates what people add to headers: spaces and
    line breaks, a '*' for required, a note in brackets ("身份证号(18位)")."""
    if value is None:
        return None
    label = re.sub(r"\s+", "", clean_text(value)).strip("*")
    label = re.sub(r"[((][^))]*[))]$", "", label).strip("*")
    return _ALIASES.get(label)

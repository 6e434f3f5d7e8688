"""The import template: the data sheet secretaries fill, with text-formatted identifier columns and
drop-downs, a notes sheet that explains every column with an example, and a hidden sheet of lists
for the long drop-downs (an inline list is limited to 255 characters)."""

import io

from openpyxl import Workbook
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.datavalidation import DataValidation

from tongxin.people.choices import EDUCATION_LEVELS, ETHNIC_GROUPS

from . import columns as C

DATA_SHEET, NOTES_SHEET, LISTS_SHEET = "党员信息", "填写说明", "选项"
TEMPLATE_ROWS = 2000  # rows pre-formatted as text and given drop-downs
_HEAD_FILL = PatternFill("solid", fgColor="C00000")
_HEAD_FONT = Font(bold=True, color="FFFFFF")


def build_template() -> bytes:
    book = Workbook()
    data = book.active
    assert data is not None
    data.title = DATA_SHEET
    data.append([c.name for c in C.TEMPLATE_COLUMNS])
    data.freeze_panes = "A2"
    for i, col in enumerate(C.TEMPLATE_COLUMNS, start=1):
        letter = get_column_letter(i)
        head = data.cell(row=1, column=i)
        head.fill, head.font = _HEAD_FILL, _HEAD_FONT
        head.alignment = Alignment(horizontal="center")
        data.column_dimensions[letter].width = max(12, len(col.name) * 2 + 4)
        if col.text:
            # Text format on the cells themselves: typing an ID number here keeps all 18 digits.
            for row in range(2, TEMPLATE_ROWS + 2):
                data.cell(row=row, column=i).number_format = "@"
    _lists(book)
    _validations(data)
    _notes(book)
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def _letter(name: str) -> str:
    return get_column_letter([c.name for c in C.TEMPLATE_COLUMNS].index(name) + 1)


def _range(name: str) -> str:
    letter = _letter(name)
    return f"{letter}2:{letter}{TEMPLATE_ROWS + 1}"


def _lists(book: Workbook) -> None:
    lists = book.create_sheet(LISTS_SHEET)
    for row, (ethnic, _label) in enumerate(ETHNIC_GROUPS, start=1):
        lists.cell(row=row, column=1, value=ethnic)
    for row, level in enumerate(EDUCATION_LEVELS, start=1):
        lists.cell(row=row, column=2, value=level)
    lists.sheet_state = "hidden"


def _validations(data: object) -> None:
    def add(name: str, formula: str, prompt: str) -> None:
        rule = DataValidation(type="list", formula1=formula, allow_blank=True, showDropDown=False)
        rule.error, rule.errorTitle = prompt, "输入有误"
        rule.prompt, rule.promptTitle = prompt, name
        rule.add(_range(name))
        data.add_data_validation(rule)  # type: ignore[attr-defined]

    add(C.STATUS, '"预备党员,正式党员"', "请选择预备党员或正式党员。")
    add(C.IN_SERVICE, '"是,否"', "请选择是或否。")
    add(C.FLOWING, '"是,否"', "请选择是或否。")
    add(C.FLOW_DIRECTION, '"流出,流入"', "流动党员请选择流出或流入。")
    add(C.ETHNICITY, f"'{LISTS_SHEET}'!$A$1:$A${len(ETHNIC_GROUPS)}", "请从列表中选择民族。")
    add(C.EDUCATION, f"'{LISTS_SHEET}'!$B$1:$B${len(EDUCATION_LEVELS)}", "请从列表中选择学历。")


def _notes(book: Workbook) -> None:
    notes = book.create_sheet(NOTES_SHEET, 1)
    notes.append(["党员信息导入模板 · 填写说明"])
    notes["A1"].font = Font(bold=True, size=14)
    notes.append(["在“党员信息”工作表中,每行填写一名党员;第一行是表头,请勿修改列名。各列的填写示例见下表。"])
    notes.append(
        [
            "导入时先检查全部行:只要有一行有误,整份文件都不会写入,系统会列出每个问题所在的行、列和原因,"
            "并可下载带“错误说明”列的文件,改好后重新上传。已登记的人员(身份证号相同)会按文件更新,不会重复登记;"
            "留空的单元格不会清除已登记的信息。"
        ]
    )
    # The rule of validation._membership and _transfer_refusal, in the secretaries' words.
    notes.append(
        [
            "已是党员的人员:文件可以更新其党员状态(预备党员转为正式党员时填写转正日期)、是否在职党员和工作单位、"
            "是否流动党员和流动方向;但不会改变所在党组织(转到其他党组织请办理组织关系转接),"
            "不会把正式党员改回预备党员,也不会改变入党日期(与登记不一致时报错,如需更正请在党员信息页修改)。"
        ]
    )
    notes.append([])
    notes.append(["列名", "说明", "示例"])
    for cell in notes[notes.max_row]:
        cell.font = Font(bold=True)
    for col in C.TEMPLATE_COLUMNS:
        notes.append([col.name, col.note, col.example])
        notes.cell(row=notes.max_row, column=3).number_format = "@"
    notes.column_dimensions["A"].width = 28
    notes.column_dimensions["B"].width = 90
    notes.column_dimensions["C"].width = 24
    for row in notes.iter_rows(min_row=2, max_row=4):
        row[0].alignment = Alignment(wrap_text=True)

"""Stable reason codes for every file and row the pipeline refuses, skips or flags.

Each code has a sentence for the unit's staff (Chinese: what is wrong and what to fix) and one for the
engineers (English). Codes are part of the audit contract: never rename one, add new ones.
"""

from __future__ import annotations

from dataclasses import dataclass

REFUSED, SKIPPED, WARNING, DEFERRED = "refused", "skipped", "warning", "deferred"


@dataclass(frozen=True)
class Reason:
    code: str
    kind: str  # refused | skipped | warning | deferred
    zh: str
    en: str


_REASONS = [
    # whole files
    Reason(
        "FILE_EMPTY",
        REFUSED,
        "文件是空的（没有任何数据行）。请确认保存的是填好数据的版本后重新提交。",
        "The file is empty: no data rows.",
    ),
    Reason(
        "FILE_CORRUPT",
        REFUSED,
        "文件已损坏，无法打开。请在Excel（或WPS、LibreOffice）中打开确认无误后，另存为 .xlsx 重新提交。",
        "The workbook cannot be opened: it is damaged or truncated.",
    ),
    Reason(
        "FILE_HTML_AS_XLS",
        REFUSED,
        "该文件实际是网页（HTML），只是扩展名为 .xls 等表格格式。请用Excel打开后“另存为”Excel工作簿(.xlsx)再提交。",
        "The file is an HTML page saved with a spreadsheet extension.",
    ),
    Reason(
        "FILE_ENCRYPTED",
        REFUSED,
        "文件设置了打开密码，系统无法读取。请取消密码后重新提交（Excel：文件→信息→保护工作簿；WPS：文件→文档加密；LibreOffice：另存为时不勾选“使用密码保存”）。",
        "The workbook is password-protected (encrypted): an OLE-encrypted Office file, or an .ods whose manifest says so.",
    ),
    Reason(
        "FILE_NOT_SPREADSHEET",
        REFUSED,
        "该文件不是表格（可以提交的是Excel、WPS表格的 .xlsx/.xls/.xlsb、LibreOffice的 .ods 和CSV），例如Word文档、图片或PDF。请把名单整理成Excel表格(.xlsx)或CSV后提交。",
        "The file is not a spreadsheet (Word document, image, PDF or other).",
    ),
    Reason(
        "FILE_ENCODING_UNKNOWN",
        REFUSED,
        "无法识别CSV文件的文字编码。请用Excel打开后另存为“CSV UTF-8”或 .xlsx 再提交。",
        "The CSV file's text encoding could not be detected.",
    ),
    Reason(
        "FILE_NO_NAME_COLUMN",
        REFUSED,
        "在前30行中找不到包含“姓名”列的表头。请使用模板中的表头（至少要有“姓名”列）。",
        "No header row with a recognisable name column was found in the first 30 rows.",
    ),
    Reason(
        "FILE_TOO_LARGE",
        REFUSED,
        "文件展开后过大（或是异常压缩的文件），系统没有读取。请把名单拆成几个较小的文件（每个不超过100万行）后重新提交。",
        "The workbook expands past the size limit, or its compression ratio is that of a zip bomb; refused before expanding.",
    ),
    Reason(
        "FILE_TOO_MANY_ROWS",
        REFUSED,
        "该文件或工作表超过100万行，系统没有读取。请把名单拆成几个较小的文件后重新提交。",
        "The sheet or file has more rows than the limit (MAX_SHEET_ROWS, MAX_FILE_ROWS).",
    ),
    Reason(
        "FILE_TOO_MANY_CELLS",
        REFUSED,
        "该工作表的列数过多（超过1000列，可能在很远的列里误填了内容），系统没有读取。请删除多余的列后重新提交。",
        "The sheet is wider than the cells-per-row limit (MAX_ROW_CELLS).",
    ),
    Reason(
        "FILE_SYMLINK",
        REFUSED,
        "该文件是快捷方式（符号链接）或指向上报文件夹以外的位置，系统没有读取。请把文件本身（而不是快捷方式）放入上报文件夹。",
        "The file is a symbolic link, or resolves outside the landing root (ALUMNI_DROPS); it was not read.",
    ),
    Reason(
        "FILE_IN_PROGRESS",
        DEFERRED,
        "文件仍在复制或编辑中（大小仍在变化或为临时文件），本次未读取，下次运行时再处理。",
        "The file is still being written (size or time still changing, or a temporary/lock file); deferred to the next run.",
    ),
    # rows
    Reason("ROW_NO_NAME", REFUSED, "这一行有数据但“姓名”为空。请补填姓名。", "The row has data but no name."),
    Reason(
        "ROW_NAME_INVALID",
        REFUSED,
        "“姓名”不像人名（含数字、过长，或以 = + - @ 开头像Excel公式）。请检查是否填错了列，姓名只填写人名本身。",
        "The name cell does not look like a person's name (digits, too long, or a formula: starts with = + - @).",
    ),
    Reason(
        "ROW_TOO_MANY_CELLS",
        REFUSED,
        "这一行的单元格过多（超过1000个），未导入。请检查是否有多余的分隔符或误填的列。",
        "The row has more cells than the cells-per-row limit (MAX_ROW_CELLS).",
    ),
    Reason("ROW_BLANK", SKIPPED, "空行，已跳过。", "Blank row, skipped."),
    Reason("ROW_TOTALS", SKIPPED, "合计/总计行，已跳过。", "Totals row, skipped."),
    Reason("ROW_REPEATED_HEADER", SKIPPED, "重复的表头行，已跳过。", "Repeated header row, skipped."),
    Reason(
        "ROW_FOOTER",
        SKIPPED,
        "表尾（制表人、填表人、审核人、日期等），已跳过。",
        "Footer row (prepared by, date ...), skipped.",
    ),
    # headers
    Reason(
        "HEADER_DUPLICATE_NAME",
        WARNING,
        "表头中有两个“姓名”列，只读取了第一个；第二个的内容作为附加列原样保留。请删除或改名重复的列。",
        "The header has a second name column: the first is read, the second is kept as an extra column.",
    ),
    # values on loaded rows
    Reason(
        "CELL_CONTROL_CHARS",
        WARNING,
        "这一行有单元格含看不见的控制字符（如从其他系统复制时带入），已删除这些字符后导入。请在原文件中核对并清除。",
        "A cell of the row held control characters (NUL, other C0, DEL); they were removed before loading.",
    ),
    Reason(
        "ID_SCIENTIFIC",
        WARNING,
        "身份证号被Excel显示为科学计数法（如6.20102E+17），后几位已丢失。请把该列设为“文本”格式后重新填写完整号码。",
        "The ID number was turned into scientific notation by Excel; its last digits are lost.",
    ),
    Reason(
        "ID_PRECISION_LOST",
        WARNING,
        "身份证号以数字格式保存，超过15位的部分已被Excel改为0。请把该列设为“文本”格式后重新填写完整号码。",
        "The ID number was stored as a number; digits past the 15th are lost.",
    ),
]

REASONS: dict[str, Reason] = {r.code: r for r in _REASONS}


def reason(code: str) -> Reason:
    return REASONS[code]

"""The downloadable template of each roster: headers, a grey example row, and an instructions sheet."""

from __future__ import annotations

import io

from django.utils.translation import gettext as _
from openpyxl import Workbook
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.datavalidation import DataValidation

from .definitions import BOOL, CHOICE, ID_NUMBER, PHONE, TEXT, Roster

HEADER_FONT = Font(bold=True, color="FFFFFF")
HEADER_FILL = PatternFill("solid", fgColor="B71C1C")
EXAMPLE_FONT = Font(italic=True, color="808080")
TEMPLATE_ROWS = 2000  # rows that get the text format and the drop-down lists
TEXT_KINDS = {TEXT, ID_NUMBER, PHONE}


def template_bytes(roster: Roster) -> bytes:
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = str(roster.title)[:31]
    sheet.append(roster.headers)
    sheet.append(roster.example_row)
    sheet.freeze_panes = "A2"
    for index, column in enumerate(roster.columns, start=1):
        letter = get_column_letter(index)
        sheet.column_dimensions[letter].width = max(12, len(column.header) * 2 + 6, len(column.example) + 4)
        header = sheet.cell(row=1, column=index)
        header.font = HEADER_FONT
        header.fill = HEADER_FILL
        header.alignment = Alignment(horizontal="center")
        example = sheet.cell(row=2, column=index)
        example.font = EXAMPLE_FONT
        if column.kind in TEXT_KINDS:
            # Text format keeps 18-digit ID numbers and leading zeros exactly as typed.
            example.number_format = "@"
            for row in range(3, TEMPLATE_ROWS + 1):
                sheet.cell(row=row, column=index).number_format = "@"
        if column.kind in (CHOICE, BOOL) and column.choices:
            listed = ",".join(spellings[0] for spellings in column.choices.values())
            validation = DataValidation(
                type="list", formula1=f'"{listed}"', allow_blank=not column.required, showErrorMessage=False
            )
            validation.add(f"{letter}2:{letter}{TEMPLATE_ROWS}")
            sheet.add_data_validation(validation)
    _instructions(workbook.create_sheet(_("Instructions")[:31]), roster)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def _instructions(sheet, roster: Roster) -> None:
    sheet.append([str(roster.title)])
    sheet["A1"].font = Font(bold=True, size=14)
    sheet.append([str(roster.description)])
    sheet.append(
        [
            _(
                "Fill in the first sheet below the header row, one row per record. The grey example row is "
                "ignored on import while it is left unchanged; delete it or type over it. Keep the header row "
                "as it is. If any row has a problem, nothing is imported and you get a list of row, column, "
                "value and reason."
            )
        ]
    )
    sheet.append([])
    headings = [_("Column"), _("Required"), _("Explanation"), _("Accepted values"), _("Example")]
    sheet.append(headings)
    for cell in sheet[sheet.max_row]:
        cell.font = HEADER_FONT
        cell.fill = HEADER_FILL
    for column in roster.columns:
        sheet.append(
            [
                column.header,
                _("yes") if column.required else _("no"),
                str(column.help),
                "、".join(column.accepted_values),
                column.example,
            ]
        )
    for letter, width in zip("ABCDE", (16, 8, 70, 40, 22), strict=True):
        sheet.column_dimensions[letter].width = width
    for row in sheet.iter_rows(min_row=6):
        for cell in row:
            cell.alignment = Alignment(wrap_text=True, vertical="top")

"""A wave's results as a table, and that table as CSV or XLSX. The table is made from the same
``Results`` as the page, so a group of fewer than five is blank here too; comments are not
exported (they are read, moderated, on the page)."""

from __future__ import annotations

import csv
import io
from decimal import Decimal

from config.spreadsheets import spreadsheet_safe
from feedback.surveys.results import Results

XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def _cell(value):
    return "" if value is None else value


def results_table(results: Results) -> list[list]:
    later = results.wave.name
    header = ["Statement", f"n {later}", f"Mean {later}", f"% positive {later}"]
    if results.earlier is not None:
        earlier = results.earlier.name
        header[1:1] = [f"n {earlier}", f"Mean {earlier}", f"% positive {earlier}"]
        header.append(f"Change from {earlier}")
    table = [header]
    for row in results.rows:
        cells = [row.statement.text]
        if results.earlier is not None:
            before = row.earlier
            cells += [before.n if before.shown else None, before.mean, before.positive_pct]
        figures = row.figures
        cells += [figures.n if figures.shown else None, figures.mean, figures.positive_pct]
        if results.earlier is not None:
            cells.append(row.change)
        table.append([_cell(cell) for cell in cells])
    if results.principles:
        table += [[], ["Principle", "% positive"]]
        table += [[p.name, _cell(p.positive_pct)] for p in results.principles]
    if results.time_use:
        table += [[], ["Share of time", "Average %"]]
        table += [[s.text, _cell(average)] for s, average in results.time_use]
    return table


def as_csv(table: list[list]) -> str:
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    for row in table:
        writer.writerow(
            [spreadsheet_safe(str(cell) if isinstance(cell, Decimal) else cell) for cell in row]
        )
    return buffer.getvalue()


def as_xlsx(table: list[list], title: str) -> bytes:
    from openpyxl import Workbook

    book = Workbook()
    sheet = book.active
    sheet.title = "Results"
    sheet.append([spreadsheet_safe(title)])
    for row in table:
        sheet.append([float(c) if isinstance(c, Decimal) else spreadsheet_safe(c) for c in row])
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()

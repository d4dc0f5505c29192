"""Cells written to a CSV or XLSX that a person will open in a spreadsheet.

Any export (the reports' CSV and XLSX, the security log's CSV) passes every text cell through
``spreadsheet_safe``: a cell that a spreadsheet would run as a formula ("CSV injection",
OWASP) is written as text instead."""

# A formula starts with one of the first four; spreadsheets strip a leading tab or carriage
# return before they look, so those start one too.
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def spreadsheet_safe(value):
    """``value``, with a leading apostrophe if it is text that a spreadsheet would run as a
    formula; numbers, dates and other text unchanged."""
    if isinstance(value, str) and value.startswith(FORMULA_STARTS):
        return "'" + value
    return value

"""The spreadsheet formula guard: text a spreadsheet would run as a formula (or that starts
with a tab or carriage return, which some spreadsheets strip before looking for a formula)
is written as text, in every cell and in the XLSX title row."""

import io

import pytest
from openpyxl import load_workbook

from config.spreadsheets import spreadsheet_safe
from tests.clients import client_for


@pytest.mark.parametrize(
    "dangerous",
    [
        '=HYPERLINK("http://evil")',
        "+1+1",
        "-1+1",
        "@SUM(A1)",
        "\t=1+1",
        "\r=1+1",
    ],
)
def test_it_writes_text_that_would_run_as_a_formula_as_text(dangerous):
    assert spreadsheet_safe(dangerous) == "'" + dangerous


@pytest.mark.parametrize("harmless", ["Oak Pod", "", "a=b", 3, -1, 2.5, None])
def test_it_leaves_other_values_alone(harmless):
    assert spreadsheet_safe(harmless) == harmless


@pytest.mark.django_db
def test_the_xlsx_title_row_is_guarded(pod, pod_manager):
    pod.name = '=HYPERLINK("http://evil")'
    pod.save()
    response = client_for(pod_manager).get(f"/reports/export/team-{pod.pk}.xlsx")
    assert response.status_code == 200
    sheet = load_workbook(io.BytesIO(response.content)).active
    title = sheet.cell(row=1, column=1)
    assert title.data_type == "s"
    assert title.value.startswith("'=HYPERLINK")

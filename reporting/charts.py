"""Charts as SVG drawn on the server by pygal, so the same chart is in the page and in the
PDF. Each chart has a title and description for screen readers, and every chart is shown
beside a table of its numbers (the templates do that)."""

from __future__ import annotations

from pathlib import Path

import pygal
from pygal.style import Style

# Our own stylesheet instead of pygal's (see the file for why), and at most six steps on the
# y axis: both keep a chart cheap to draw in WeasyPrint, which renders 18 in every report.
CSS = ("file://" + str(Path(__file__).with_name("chart.css")),)

# The council's teal and GOV.UK's text colours, readable on white at any size used.
STYLE = Style(
    background="white",
    plot_background="white",
    foreground="#0b0c0c",
    foreground_strong="#0b0c0c",
    foreground_subtle="#505a5f",
    colors=("#00636a", "#d4351c", "#505a5f"),
    font_family="Arial, Helvetica, sans-serif",
    label_font_size=12,
    major_label_font_size=12,
    title_font_size=14,
)


def line_chart(title: str, labels: list[str], values: list, unit: str) -> str:
    """A line over the months; a gap where a month has no value."""
    chart = pygal.Line(
        style=STYLE,
        width=640,
        height=240,
        show_legend=False,
        x_label_rotation=0,
        show_minor_x_labels=False,
        x_labels_major_every=max(1, len(labels) // 6),
        truncate_label=-1,
        js=[],  # no scripts: the page's CSP forbids them and a PDF has no use for them
        css=CSS,
        max_scale=6,
        disable_xml_declaration=True,
        title=title,
        y_title=unit,
        allow_interruptions=True,
        include_x_axis=True,
    )
    chart.x_labels = labels
    chart.add(title, [None if value is None else float(value) for value in values])
    return chart.render(is_unicode=True)


def bar_chart(title: str, labels: list[str], values: list, unit: str) -> str:
    """Bars side by side (the pods for one month)."""
    chart = pygal.HorizontalBar(
        style=STYLE,
        width=640,
        height=max(160, 22 * len(labels) + 60),
        show_legend=False,
        js=[],
        css=CSS,
        disable_xml_declaration=True,
        title=title,
        x_title=unit,  # the values run along the bottom of horizontal bars
        truncate_label=-1,
    )
    chart.x_labels = labels
    chart.add(title, [None if value is None else float(value) for value in values])
    return chart.render(is_unicode=True)

"""A wave's means as a bar chart, drawn here as SVG: no script, so the CSP is kept and it
prints. feedback may not import reporting's charts (layers), and a dozen bars need no library.
The chart has a title and description for screen readers, and the page shows the table of its
numbers beside it. A statement without a figure (fewer than five) has no bar."""

from __future__ import annotations

from django.utils.html import format_html, format_html_join

from feedback.surveys.results import Results

WIDTH, LABEL, BAR, GAP, TOP = 640, 36, 10, 8, 30
COLOURS = ("#505a5f", "#00636a")  # earlier wave grey, later wave teal: both 4.5:1 on white


def _x(mean) -> float:
    """Position of a mean on the 1-5 scale, across the plot."""
    return LABEL + (WIDTH - LABEL - 20) * (float(mean) - 1) / 4


def results_chart(results: Results) -> str:
    waves = [w for w in (results.earlier, results.wave) if w is not None]
    per_row = BAR * len(waves) + GAP
    height = TOP + per_row * len(results.rows) + 30
    bars, labels = [], []
    for index, row in enumerate(results.rows, start=1):
        y = TOP + per_row * (index - 1)
        labels.append((LABEL - 6, y + BAR * len(waves) / 2 + 4, index))
        figures = [row.earlier, row.figures] if results.earlier is not None else [row.figures]
        for offset, (figure, colour) in enumerate(
            zip(figures, COLOURS[-len(figures) :], strict=True)
        ):
            if figure is not None and figure.shown:
                width = _x(figure.mean) - LABEL
                bars.append((LABEL, y + offset * BAR, f"{width:.1f}", BAR - 1, colour))
    ticks = [(f"{_x(v):.1f}", TOP - 8, v) for v in range(1, 6)]
    names = " and ".join(w.name for w in waves)
    return format_html(
        '<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {w} {h}" role="img" '
        'aria-labelledby="survey-chart-title survey-chart-desc" class="pods-survey-chart">'
        '<title id="survey-chart-title">Mean score per statement, {names}</title>'
        '<desc id="survey-chart-desc">Bars from 1 (strongly disagree) to 5 (strongly agree), '
        "one row per statement numbered as in the table.</desc>"
        '<g font-family="Arial, sans-serif" font-size="12" fill="#0b0c0c">{ticks}{labels}</g>'
        "{bars}</svg>",
        w=WIDTH,
        h=height,
        names=names,
        ticks=format_html_join("", '<text x="{}" y="{}" text-anchor="middle">{}</text>', ticks),
        labels=format_html_join("", '<text x="{}" y="{}" text-anchor="end">{}</text>', labels),
        bars=format_html_join("", '<rect x="{}" y="{}" width="{}" height="{}" fill="{}"/>', bars),
    )

"""The KPI registry (kpis/), the monthly figures of every scope computed together
(figures.py), the monthly monitoring reports and their PDFs built by Celery (reports.py,
tasks.py, pdf.py), the dashboards and everyone's own figures (views.py), and their exports."""

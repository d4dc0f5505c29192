"""KPI definitions (kpis.py), the monthly monitoring reports built by Celery (reports.py,
tasks.py, pdf.py), the dashboards and everyone's own figures (views.py), and their exports."""

"""The Celery app. Tasks live in each app's tasks.py; the beat schedule is here, in one place."""

import os

from celery import Celery
from celery.schedules import crontab

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")

app = Celery("pods")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()

app.conf.beat_schedule = {
    # What has passed its retention date, listed for the data protection officer to review
    # (nothing is destroyed without them), early on the 1st.
    "retention-review": {
        "task": "dataprotection.tasks.build_retention_review",
        "schedule": crontab(day_of_month=1, hour=4, minute=0),
    },
    # Team groups follow memberships that start and end on dates, and leavers lose their
    # sign-in after their last day: bring both into step
    # shortly after midnight (London time) each day.
    "sync-team-groups": {
        "task": "pods.tasks.sync_team_groups",
        "schedule": crontab(hour=0, minute=5),
    },
    "clear-expired-family-grants": {
        "task": "families.tasks.clear_expired_grants",
        "schedule": crontab(hour=0, minute=15),
    },
    "expire-story-pdfs": {
        "task": "onestory.tasks.expire_story_pdfs",
        "schedule": crontab(hour=0, minute=25),
    },
    # The monthly monitoring report: last month's, for the authority and every pod, early on
    # the 1st; and a daily catch-up that builds any month missing (a worker that was down).
    "monthly-reports": {
        "task": "reporting.tasks.request_last_months_reports",
        "schedule": crontab(day_of_month=1, hour=2, minute=0),
    },
    "monthly-reports-catch-up": {
        "task": "reporting.tasks.request_missing_reports",
        "schedule": crontab(hour=3, minute=0),
    },
    # The reports' PDFs not rendered yet (nobody has asked for them), at the lowest priority.
    "monthly-report-pdfs": {
        "task": "reporting.tasks.request_missing_pdfs",
        "schedule": crontab(hour=3, minute=30),
    },
    # The daily digest email to each worker (and each pod manager for their pod), at 7am
    # London time; the task itself skips weekends and bank holidays.
    "daily-digests": {
        "task": "home.tasks.send_daily_digests",
        "schedule": crontab(hour=7, minute=0),
    },
    # Survey waves that closed yesterday are sealed (feedback/surveys/sealing.py): their
    # links no longer work after midnight, so nothing more can arrive.
    "seal-closed-survey-waves": {
        "task": "feedback.tasks.seal_closed_survey_waves",
        "schedule": crontab(hour=0, minute=35),
    },
}

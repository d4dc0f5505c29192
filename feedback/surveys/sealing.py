"""Sealing a closed wave: closing the side channel of *when*.

Responses hold no time, and their ids are random, but PostgreSQL's row header does: ``xmin``,
the id of the transaction that wrote the row, grows with time, so until a wave is sealed the
order of its responses (and of its links being used) could be read from it and matched. Once
the wave has closed, one UPDATE rewrites every response, every answer and every link of the
wave in a single transaction, so all of them carry the same ``xmin`` and no longer say in
which order they came. A wave is sealed by the daily task after it closes, and at results
time if that has not happened yet."""

from __future__ import annotations

import datetime

from django.db import connection, transaction

from feedback.models import Wave

TABLES = (
    ("feedback_response", "wave_id = %s"),
    ("feedback_answer", "response_id IN (SELECT id FROM feedback_response WHERE wave_id = %s)"),
    ("feedback_surveylink", "wave_id = %s"),
)


def is_sealed(wave: Wave) -> bool:
    """Every row of the wave in each table was last written by one transaction."""
    with connection.cursor() as cursor:
        for table, where in TABLES:
            # The table and condition are this module's constants, never input.
            sql = f"SELECT count(DISTINCT xmin::text) FROM {table} WHERE {where}"  # noqa: S608  # nosec B608
            cursor.execute(sql, [wave.pk])
            if cursor.fetchone()[0] > 1:
                return False
    return True


def wave_seal(*, wave: Wave, today: datetime.date) -> bool:
    """Seal a wave that has closed (True if it was sealed now). An open wave is left alone:
    its answers are still coming, and sealing now would only need doing again."""
    if today <= wave.closes or is_sealed(wave):
        return False
    with transaction.atomic(), connection.cursor() as cursor:
        # A no-op assignment rewrites each row: the new version's xmin is this transaction.
        cursor.execute(
            "UPDATE feedback_response SET wave_id = wave_id WHERE wave_id = %s", [wave.pk]
        )
        cursor.execute(
            "UPDATE feedback_answer SET response_id = response_id WHERE response_id IN "
            "(SELECT id FROM feedback_response WHERE wave_id = %s)",
            [wave.pk],
        )
        cursor.execute(
            "UPDATE feedback_surveylink SET wave_id = wave_id WHERE wave_id = %s", [wave.pk]
        )
    return True


def seal_closed_waves(*, today: datetime.date) -> int:
    """Every wave closed before today that is not sealed yet: how many were sealed."""
    return sum(wave_seal(wave=wave, today=today) for wave in Wave.objects.filter(closes__lt=today))

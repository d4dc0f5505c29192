"""Every clock of the complaints procedure against dates worked out by hand, on a calendar,
across the bank holidays of England and Wales (Christmas and New Year, Easter, the two May
holidays, August). The day a clock starts is not counted. Each comment is the count."""

import datetime

from feedback.complaints import clocks

D = datetime.date


def test_stage_1_is_due_ten_working_days_after_receipt_across_christmas_and_new_year():
    # Received Fri 18 Dec 2026. Mon 21 (1), Tue 22 (2), Wed 23 (3), Thu 24 (4); Fri 25 Christmas,
    # Mon 28 Boxing Day observed; Tue 29 (5), Wed 30 (6), Thu 31 (7); Fri 1 Jan New Year's Day;
    # Mon 4 (8), Tue 5 (9), Wed 6 Jan 2027 (10).
    assert clocks.stage1_due(D(2026, 12, 18)) == D(2027, 1, 6)


def test_stage_1_may_be_extended_to_twenty_working_days_counted_from_receipt():
    # Received Fri 18 Dec 2026: the 10th working day is Wed 6 Jan (above); Thu 7 (11), Fri 8
    # (12), Mon 11 (13), Tue 12 (14), Wed 13 (15), Thu 14 (16), Fri 15 (17), Mon 18 (18),
    # Tue 19 (19), Wed 20 Jan 2027 (20).
    assert clocks.stage1_latest_extension(D(2026, 12, 18)) == D(2027, 1, 20)


def test_escalation_is_asked_for_within_twenty_working_days_of_the_response_across_easter():
    # Responded Thu 25 Mar 2027. Fri 26 Good Friday, Mon 29 Easter Monday; Tue 30 (1), Wed 31
    # (2), Thu 1 Apr (3), Fri 2 (4); Mon 5-Fri 9 (5-9); Mon 12-Fri 16 (10-14); Mon 19-Fri 23
    # (15-19); Mon 26 Apr 2027 (20).
    assert clocks.escalation_deadline(D(2027, 3, 25)) == D(2027, 4, 26)


def test_stage_2_is_due_twenty_five_working_days_after_the_request_across_both_may_holidays():
    # Asked for on Fri 23 Apr 2027. Mon 26-Fri 30 Apr (1-5); Mon 3 May May Day; Tue 4-Fri 7
    # (6-9); Mon 10-Fri 14 (10-14); Mon 17-Fri 21 (15-19); Mon 24-Fri 28 (20-24); Mon 31 May
    # Spring Bank Holiday; Tue 1 Jun 2027 (25).
    assert clocks.stage2_due(D(2027, 4, 23)) == D(2027, 6, 1)


def test_stage_2_may_be_extended_to_sixty_five_working_days_from_the_request():
    # Asked for on Fri 23 Apr 2027: the 25th working day is Tue 1 Jun (above); Wed 2-Fri 4 Jun
    # (26-28); then five-day weeks from Mon 7 Jun: 7-11 (29-33), 14-18 (34-38), 21-25
    # (39-43), 28 Jun-2 Jul (44-48), 5-9 (49-53), 12-16 (54-58), 19-23 (59-63); Mon 26 Jul
    # (64), Tue 27 Jul 2027 (65).
    assert clocks.stage2_latest_extension(D(2027, 4, 23)) == D(2027, 7, 27)


def test_the_stage_3_panel_is_within_thirty_working_days_of_the_request_across_august():
    # Asked for on Wed 18 Aug 2027. Thu 19 (1), Fri 20 (2), Mon 23-Fri 27 (3-7); Mon 30 Aug
    # Late Summer Bank Holiday; Tue 31 (8), Wed 1 Sep (9), Thu 2 (10), Fri 3 (11); Mon 6-Fri 10
    # (12-16); 13-17 (17-21); 20-24 (22-26); Mon 27 (27), Tue 28 (28), Wed 29 (29), Thu 30 Sep
    # 2027 (30).
    assert clocks.stage3_due(D(2027, 8, 18)) == D(2027, 9, 30)


def test_escalation_from_stage_2_to_stage_3_runs_the_same_twenty_working_days():
    # Stage 2 answered Tue 21 Dec 2027. Wed 22 (1), Thu 23 (2), Fri 24 (3); Mon 27 and Tue 28
    # Christmas and Boxing Day observed; Wed 29 (4), Thu 30 (5), Fri 31 (6); Mon 3 Jan 2028
    # New Year's Day observed; Tue 4-Fri 7 (7-10); Mon 10-Fri 14 (11-15); Mon 17-Fri 21
    # (16-20): Fri 21 Jan 2028.
    assert clocks.escalation_deadline(D(2027, 12, 21)) == D(2028, 1, 21)


def test_the_intervals_are_the_councils_settings(settings):
    settings.PODS_COMPLAINT_CLOCKS = {**settings.PODS_COMPLAINT_CLOCKS, "stage1_working_days": 5}
    # Received Fri 18 Dec 2026: Mon 21-Thu 24 (1-4); Fri 25 and Mon 28 holidays; Tue 29 (5).
    assert clocks.stage1_due(D(2026, 12, 18)) == D(2026, 12, 29)


def test_days_left_counts_working_days_and_goes_negative_when_late():
    # Due Wed 6 Jan 2027. From Wed 30 Dec: Thu 31 (1), [Fri 1 Jan holiday], Mon 4 (2), Tue 5
    # (3), Wed 6 (4). From Fri 8 Jan, late: Thu 7 (1), Fri 8 (2) after the deadline.
    assert clocks.working_days_left(D(2026, 12, 30), D(2027, 1, 6)) == 4
    assert clocks.working_days_left(D(2027, 1, 6), D(2027, 1, 6)) == 0
    assert clocks.working_days_left(D(2027, 1, 8), D(2027, 1, 6)) == -2

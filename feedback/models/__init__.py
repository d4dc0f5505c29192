"""What families and staff say about the service (DESIGN §4, feedback): complaints through their
statutory stages, compliments, surveys with waves, and practitioner-led quality-assurance
audits. One module per concept; every model is importable from ``feedback.models``."""

from feedback.models.audits import (
    AREAS,
    Audit,
    AuditAction,
    AuditArea,
    AuditGrade,
    AuditProgramme,
    Grade,
    PlanType,
)
from feedback.models.complaints import (
    Complaint,
    ComplaintAction,
    ComplaintStage,
    Outcome,
    Theme,
)
from feedback.models.compliments import Compliment
from feedback.models.surveys import (
    Answer,
    Instrument,
    Response,
    Statement,
    SurveyLink,
    Wave,
)

__all__ = [
    "AREAS",
    "Answer",
    "Audit",
    "AuditAction",
    "AuditArea",
    "AuditGrade",
    "AuditProgramme",
    "Complaint",
    "ComplaintAction",
    "ComplaintStage",
    "Compliment",
    "Grade",
    "Instrument",
    "Outcome",
    "PlanType",
    "Response",
    "Statement",
    "SurveyLink",
    "Theme",
    "Wave",
]

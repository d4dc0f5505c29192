from dataprotection.models.retention import (
    Category,
    DestructionStub,
    LegalHold,
    RetentionReview,
    RetentionRule,
    ReviewItem,
    Trigger,
)
from dataprotection.models.sar import SubjectAccessRequest

__all__ = [
    "Category",
    "DestructionStub",
    "LegalHold",
    "RetentionReview",
    "RetentionRule",
    "ReviewItem",
    "SubjectAccessRequest",
    "Trigger",
]

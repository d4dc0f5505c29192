from dataprotection.models.retention import (
    Category,
    DestructionStub,
    LegalHold,
    RetentionReview,
    RetentionRule,
    ReviewItem,
    Trigger,
)
from dataprotection.models.sar import (
    BundleStatus,
    Disclosure,
    Redaction,
    SarItem,
    SubjectAccessRequest,
)

__all__ = [
    "BundleStatus",
    "Disclosure",
    "Redaction",
    "SarItem",
    "Category",
    "DestructionStub",
    "LegalHold",
    "RetentionReview",
    "RetentionRule",
    "ReviewItem",
    "SubjectAccessRequest",
    "Trigger",
]

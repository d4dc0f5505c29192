"""Families and their journey, and who may see them. Split by concept; import from here."""

from families.models.care import (
    Adoption,
    CareLeaverContact,
    HealthOutcomes,
    MissingEpisode,
    Placement,
)
from families.models.journey import (
    Allocation,
    ChildStatus,
    Episode,
    NeedAssessment,
    PodAllocation,
    Referral,
)
from families.models.people import Family, FamilyMember, Person, Professional
from families.models.visibility import (
    AccessLogEntry,
    FamilyGrant,
    FamilyGroupObjectPermission,
    FamilyUserObjectPermission,
    RestrictedAccess,
)

__all__ = [
    "AccessLogEntry",
    "Adoption",
    "Allocation",
    "CareLeaverContact",
    "ChildStatus",
    "Episode",
    "Family",
    "FamilyGrant",
    "FamilyGroupObjectPermission",
    "FamilyMember",
    "FamilyUserObjectPermission",
    "HealthOutcomes",
    "MissingEpisode",
    "NeedAssessment",
    "Person",
    "Placement",
    "PodAllocation",
    "Professional",
    "Referral",
    "RestrictedAccess",
]

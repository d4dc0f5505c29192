"""Forms for families. They check the shape of what was typed; the rules that span rows (a
worker in the pod, statuses that do not overlap, plans open at closure, the dates of a plan and
its referral) are in services and come back as errors on the named field.

Split by concept like the services: people, the journey, a child's statuses, access. Views
import from here: ``from families.forms import PersonForm``."""

from families.forms.access import (
    BreakGlassForm,
    GrantForm,
    RestrictForm,
)
from families.forms.common import (
    not_in_future,
    with_blank,
)
from families.forms.journey import (
    CLOSURE_CHOICES,
    AllocateForm,
    CloseForm,
    ReferralDetailsForm,
    ReferralEditForm,
    ReferralForm,
    case_holders,
    referral_source_choices,
)
from families.forms.people import (
    PersonDetailsForm,
    PersonEditForm,
    PersonForm,
    ProfessionalForm,
)
from families.forms.statuses import (
    CP_CATEGORIES,
    PERMANENCE_COUNCIL_HINT,
    CareEndForm,
    EndDateForm,
    NeedAssessmentForm,
    StatusEditForm,
    StatusStartForm,
)

__all__ = [
    "AllocateForm",
    "BreakGlassForm",
    "CLOSURE_CHOICES",
    "CP_CATEGORIES",
    "CareEndForm",
    "CloseForm",
    "EndDateForm",
    "GrantForm",
    "NeedAssessmentForm",
    "PERMANENCE_COUNCIL_HINT",
    "PersonDetailsForm",
    "PersonEditForm",
    "PersonForm",
    "ProfessionalForm",
    "ReferralDetailsForm",
    "ReferralEditForm",
    "ReferralForm",
    "RestrictForm",
    "StatusEditForm",
    "StatusStartForm",
    "case_holders",
    "not_in_future",
    "referral_source_choices",
    "with_blank",
]

"""Where a validator's finding is put right: from the table and columns a rule names to the
page of the family's record that holds that fact, in words a worker knows.

The validators name their own tables (CIN: ChildIdentifiers, CINdetails, Section47, ...;
SSDA903: Header, Episodes, OC2, ...) and the DfE's column names. Each maps to the form where
the fact was recorded; anything not mapped goes to the family's page, where the panel "For the
statutory returns" lists what is missing."""

from __future__ import annotations

from dataclasses import dataclass

from django.urls import NoReverseMatch, reverse

from reporting.models import ReturnIssue

# DfE column names, in the words of the forms that ask for them.
FIELD_WORDS = {
    "UPN": "unique pupil number", "FormerUPN": "former unique pupil number",
    "UPNunknown": "why there is no unique pupil number", "PersonBirthDate": "date of birth",
    "DOB": "date of birth", "ExpectedPersonBirthDate": "expected date of birth",
    "Sex": "sex", "SEX": "sex", "PersonDeathDate": "date of death", "Ethnicity": "ethnicity",
    "ETHNIC": "ethnicity", "Disability": "disabilities", "MOTHER": "whether she is a mother",
    "MC_DOB": "her own child's date of birth", "CINreferralDate": "referral date",
    "ReferralSource": "who referred", "PrimaryNeedCode": "primary need",
    "ReferralNFA": "whether the referral led to no further action",
    "CINclosureDate": "closing date", "ReasonForClosure": "why the case closed",
    "AssessmentActualStartDate": "assessment start", "AssessmentAuthorisationDate":
    "assessment authorised", "AssessmentFactors": "factors identified at assessment",
    "CINPlanStartDate": "child in need plan start", "CINPlanEndDate": "child in need plan end",
    "S47ActualStartDate": "section 47 enquiry start (the strategy discussion)",
    "InitialCPCtarget": "initial conference due date", "DateOfInitialCPC": "initial conference",
    "ICPCnotRequired": "whether a conference was needed", "CPPstartDate": "plan start",
    "CPPendDate": "plan end", "InitialCategoryOfAbuse": "category at the initial conference",
    "LatestCategoryOfAbuse": "latest category", "NumberOfPreviousCPP": "previous plans",
    "CPPreviewDate": "review conference", "DECOM": "start of the episode of care",
    "DEC": "end of the episode of care", "RNE": "why a new episode started",
    "LS": "legal status", "CIN": "category of need", "PLACE": "type of placement",
    "PLACE_PROVIDER": "who provides the placement", "REC": "why care ended",
    "REASON_PLACE_CHANGE": "why the placement ended", "HOME_POST": "the family's postcode",
    "PL_POST": "placement postcode", "URN": "Ofsted reference number",
    "REVIEW": "child in care review", "REVIEW_CODE": "how the child took part in the review",
    "DUC": "date no longer an unaccompanied asylum-seeking child",
    "MISSING": "missing or away", "MIS_START": "missing from", "MIS_END": "missing until",
    "IN_TOUCH": "in touch", "ACTIV": "main activity", "ACCOM": "accommodation",
    "PREV_PERM": "previous permanence order", "LA_PERM": "council that made it",
    "DATE_PERM": "date of that order", "SW_ID": "social worker", "SW_DECOM": "allocated from",
    "SW_DEC": "allocated until", "SW_REASON": "why the social worker changed",
    "DATE_INT": "decision to place for adoption", "DATE_MATCH": "matched with adopters",
    "DATE_PLACED": "decision to place for adoption", "DATE_PLACED_CEASED": "decision reversed",
    "REASON_PLACED_CEASED": "why it was reversed",
}  # fmt: skip

PERSON_COLUMNS = {
    "UPN", "FormerUPN", "UPNunknown", "PersonBirthDate", "ExpectedPersonBirthDate", "Sex",
    "PersonDeathDate", "Ethnicity", "Disability", "DOB", "SEX", "ETHNIC", "MOTHER", "MC_DOB",
}  # fmt: skip
REFERRAL_COLUMNS = {"ReferralSource", "PrimaryNeedCode", "ReferralNFA", "CINreferralDate"}
CARE_TABLES = {"episodes", "oc2", "oc3", "ad1", "placedadoption", "placed_for_adoption",
               "prevperm", "previous_permanence", "missing", "uasc"}  # fmt: skip
MEETING_TABLES = {"section47", "reviews"}


@dataclass(frozen=True)
class PutRight:
    label: str
    url: str


def field_words(columns) -> str:
    words = [FIELD_WORDS.get(column, column) for column in columns]
    return ", ".join(dict.fromkeys(words))


def _url(name: str, **kwargs) -> str | None:
    try:
        return reverse(name, kwargs=kwargs)
    except NoReverseMatch:
        return None


def put_right(issue: ReturnIssue) -> PutRight | None:
    """The page where the fact behind ``issue`` is put right, or None for a finding about the
    return as a whole (it is the performance officer's)."""
    if issue.family_id is None:
        return None
    family, person = issue.family_id, issue.person_id
    columns = set(issue.columns)
    table = issue.table.lower()
    candidates: list[tuple[str, str | None]] = []
    if person and (columns & PERSON_COLUMNS or table in ("childidentifiers", "header")):
        candidates.append(("Change the child's details", _url("person_edit", family_id=family,
                                                               person_id=person)))  # fmt: skip
    if columns & REFERRAL_COLUMNS:
        candidates.append(("Change the referral", _url("referral_edit", family_id=family)))
    if table == "assessments":
        candidates.append(("See the assessments", _url("family_detail", family_id=family)))
    if person and (table in CARE_TABLES or table == "swepisodes"):
        candidates.append(("Change the care record", _url("family_care", family_id=family,
                                                           person_id=person)))  # fmt: skip
    if table in MEETING_TABLES:
        candidates.append(("See the meetings", _url("family_meetings", family_id=family)))
    for label, url in candidates:
        if url:
            return PutRight(label, url)
    return PutRight("Open the family's record", reverse("family_detail", args=[family]))

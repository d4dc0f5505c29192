"""The Department for Education's code sets, behind the plain-English choices workers make.

Each set is a ``TextChoices`` whose *value* is the DfE code and whose *label* is what a worker
reads, so the statutory returns (the CIN census and the SSDA903 return) take the value as it is.
The codes and the rules that allow them are in ``domain/statutory_returns.md``: the DfE's rules
as coded by Data to Insight's validators (``csc-validator-be-cin`` 0.1.13, ``-903`` 0.1.17).
Where the rules' own messages do not say what a code means and the DfE's guidance is not
settled here, the label names the code rather than guess."""

from django.db import models


class Ethnicity(models.TextChoices):
    WHITE_BRITISH = "WBRI", "White: British"
    WHITE_IRISH = "WIRI", "White: Irish"
    WHITE_TRAVELLER = "WIRT", "White: Traveller of Irish heritage"
    WHITE_ROMA = "WROM", "White: Gypsy or Roma"
    WHITE_OTHER = "WOTH", "White: any other White background"
    MIXED_WHITE_BLACK_CARIBBEAN = "MWBC", "Mixed: White and Black Caribbean"
    MIXED_WHITE_BLACK_AFRICAN = "MWBA", "Mixed: White and Black African"
    MIXED_WHITE_ASIAN = "MWAS", "Mixed: White and Asian"
    MIXED_OTHER = "MOTH", "Mixed: any other mixed background"
    ASIAN_INDIAN = "AIND", "Asian or Asian British: Indian"
    ASIAN_PAKISTANI = "APKN", "Asian or Asian British: Pakistani"
    ASIAN_BANGLADESHI = "ABAN", "Asian or Asian British: Bangladeshi"
    ASIAN_OTHER = "AOTH", "Asian or Asian British: any other Asian background"
    BLACK_CARIBBEAN = "BCRB", "Black or Black British: Caribbean"
    BLACK_AFRICAN = "BAFR", "Black or Black British: African"
    BLACK_OTHER = "BOTH", "Black or Black British: any other Black background"
    CHINESE = "CHNE", "Chinese"
    OTHER = "OOTH", "Any other ethnic group"
    REFUSED = "REFU", "Refused: the person or their family declined to say"
    NOT_OBTAINED = "NOBT", "Not yet obtained"


class Disability(models.TextChoices):
    NONE = "NONE", "No disability"
    MOBILITY = "MOB", "Mobility: getting about"
    HAND_FUNCTION = "HAND", "Hand function"
    PERSONAL_CARE = "PC", "Personal care"
    INCONTINENCE = "INC", "Incontinence or bladder and bowel control"
    COMMUNICATION = "COMM", "Communication"
    LEARNING = "LD", "Learning"
    HEARING = "HEAR", "Hearing"
    VISION = "VIS", "Vision"
    BEHAVIOUR = "BEH", "Behaviour"
    CONSCIOUSNESS = "CON", "Consciousness, including seizures"
    AUTISM = "AUT", "Autism or Asperger's syndrome"
    OTHER = "DDA", "Another disability under the Equality Act"


class UPNUnknown(models.TextChoices):
    """Why a child has no unique pupil number (CIN UN1-UN7; the SSDA903 takes UN1-UN5)."""

    NOT_SCHOOL_AGE = "UN1", "Not of school age and has no UPN yet"
    NEVER_AT_SCHOOL = "UN2", "Has never attended a school in England"
    EDUCATED_AT_HOME = "UN3", "Educated at home"
    NEWLY_ARRIVED = "UN4", "Newly arrived: the UPN is not yet known"
    SOURCES_DISAGREE = "UN5", "The sources of the UPN disagree"
    UNBORN = "UN6", "Unborn"
    REFERRAL_NFA = "UN7", "The referral led to no further action"


class PrimaryNeed(models.TextChoices):
    """The main reason the child needs children's social care, decided at assessment."""

    ABUSE_OR_NEGLECT = "N1", "Abuse or neglect"
    CHILDS_DISABILITY = "N2", "The child's disability or illness"
    PARENTS_DISABILITY = "N3", "A parent's disability or illness"
    ACUTE_STRESS = "N4", "The family is in acute stress"
    FAMILY_DYSFUNCTION = "N5", "Family dysfunction"
    SOCIALLY_UNACCEPTABLE_BEHAVIOUR = "N6", "Socially unacceptable behaviour"
    LOW_INCOME = "N7", "Low income"
    ABSENT_PARENTING = "N8", "Absent parenting"
    NOT_IN_NEED = "N9", "Not a child in need"
    NOT_STATED = "N0", "Not stated"


# A looked-after child's category of need (SSDA903 CIN column) is one of N1-N8.
CARE_NEEDS = [(code, label) for code, label in PrimaryNeed.choices if code not in ("N0", "N9")]


class AssessmentFactor(models.TextChoices):
    """The factors identified at assessment, recorded when the assessment is authorised."""

    ALCOHOL_CHILD = "1A", "Alcohol misuse: the child"
    ALCOHOL_PARENT = "1B", "Alcohol misuse: a parent or carer"
    ALCOHOL_OTHER = "1C", "Alcohol misuse: another person in the household"
    DRUGS_CHILD = "2A", "Drug misuse: the child"
    DRUGS_PARENT = "2B", "Drug misuse: a parent or carer"
    DRUGS_OTHER = "2C", "Drug misuse: another person in the household"
    DOMESTIC_ABUSE_CHILD = "3A", "Domestic abuse: the child"
    DOMESTIC_ABUSE_PARENT = "3B", "Domestic abuse: a parent or carer"
    DOMESTIC_ABUSE_OTHER = "3C", "Domestic abuse: another person in the household"
    MENTAL_HEALTH_CHILD = "4A", "Mental health: the child"
    MENTAL_HEALTH_PARENT = "4B", "Mental health: a parent or carer"
    MENTAL_HEALTH_OTHER = "4C", "Mental health: another person in the household"
    LEARNING_DISABILITY_CHILD = "5A", "Learning disability: the child"
    LEARNING_DISABILITY_PARENT = "5B", "Learning disability: a parent or carer"
    LEARNING_DISABILITY_OTHER = "5C", "Learning disability: another person in the household"
    PHYSICAL_DISABILITY_CHILD = "6A", "Physical disability or illness: the child"
    PHYSICAL_DISABILITY_PARENT = "6B", "Physical disability or illness: a parent or carer"
    PHYSICAL_DISABILITY_OTHER = "6C", "Physical disability or illness: another in the household"
    YOUNG_CARER = "7A", "Young carer"
    PRIVATE_FOSTERING_OVERSEAS_RETURN = "8B", "Privately fostered: from overseas, to return"
    PRIVATE_FOSTERING_OVERSEAS_STAY = "8C", "Privately fostered: from overseas, to stay"
    PRIVATE_FOSTERING_EDUCATION = "8D", "Privately fostered: UK child, for education"
    PRIVATE_FOSTERING_ARRANGEMENT = "8E", "Privately fostered: UK child, other arrangement"
    PRIVATE_FOSTERING_OTHER = "8F", "Privately fostered: other"
    UNACCOMPANIED = "9A", "Unaccompanied asylum-seeking child"
    MISSING = "10A", "Going missing"
    SEXUAL_EXPLOITATION = "11A", "Child sexual exploitation"
    TRAFFICKING = "12A", "Trafficking"
    GANGS = "13A", "Gangs"
    SOCIALLY_UNACCEPTABLE_BEHAVIOUR = "14A", "Socially unacceptable behaviour"
    SELF_HARM = "15A", "Self-harm"
    NEGLECT = "16A", "Neglect"
    EMOTIONAL_ABUSE = "17A", "Emotional abuse"
    PHYSICAL_ABUSE = "18A", "Physical abuse (say by whom where you can)"
    PHYSICAL_ABUSE_BY_CHILD = "18B", "Physical abuse by a child"
    PHYSICAL_ABUSE_BY_ADULT = "18C", "Physical abuse by an adult"
    SEXUAL_ABUSE = "19A", "Sexual abuse (say by whom where you can)"
    SEXUAL_ABUSE_BY_CHILD = "19B", "Sexual abuse by a child"
    SEXUAL_ABUSE_BY_ADULT = "19C", "Sexual abuse by an adult"
    OTHER = "20", "Another factor"
    NONE = "21", "No factors identified"
    FGM = "22A", "Female genital mutilation"
    FAITH_OR_BELIEF = "23A", "Abuse linked to faith or belief"
    CRIMINAL_EXPLOITATION = "24A", "Child criminal exploitation"


# The two the CIN rules query (8945Q, 8950Q): workers are asked to say by whom.
QUERIED_FACTORS = {AssessmentFactor.PHYSICAL_ABUSE, AssessmentFactor.SEXUAL_ABUSE}


class CareLegalStatus(models.TextChoices):
    """The legal status under which a child is looked after (SSDA903 LS)."""

    INTERIM_CARE_ORDER = "C1", "Interim care order"
    CARE_ORDER = "C2", "Full care order"
    FREEING_ORDER = "D1", "Freeing order"
    PLACEMENT_ORDER = "E1", "Placement order"
    S20 = "V2", "Accommodated by agreement (section 20), a single period"
    SHORT_BREAKS_EPISODES = "V3", "Short breaks under section 20, each episode recorded"
    SHORT_BREAKS_AGREEMENT = "V4", "Short breaks under section 20, the agreement recorded"
    REMAND = "J1", "Remanded to local authority or youth detention accommodation"
    PACE = "J2", "In local authority accommodation under PACE"
    YOUTH_REHABILITATION = "J3", "Sentenced to a youth rehabilitation order"
    POLICE_PROTECTION = "L1", "Police protection (at most 72 hours)"
    EMERGENCY_PROTECTION = "L2", "Emergency protection order (at most 21 days)"
    CHILD_ASSESSMENT = "L3", "Child assessment order (at most 7 days)"


class PlacementType(models.TextChoices):
    """Where a looked-after child lives (SSDA903 PLACE)."""

    FOSTER_FAMILY_LONG_TERM = "U1", "Fostered by family or friends: long term"
    FOSTER_FAMILY_ADOPTER = "U2", "Fostered by family or friends who are also approved adopters"
    FOSTER_FAMILY = "U3", "Fostered by family or friends: not long term"
    FOSTER_LONG_TERM = "U4", "Fostered by other foster carers: long term"
    FOSTER_ADOPTER = "U5", "Fostered by other foster carers who are also approved adopters"
    FOSTER = "U6", "Fostered by other foster carers: not long term"
    ADOPTION_CONSENT_CARER = "A3", "Placed for adoption with consent, with the current carers"
    ADOPTION_CONSENT = "A4", "Placed for adoption with consent, with new carers"
    ADOPTION_ORDER_CARER = "A5", "Placed for adoption under a placement order, with current carers"
    ADOPTION_ORDER = "A6", "Placed for adoption under a placement order, with new carers"
    SECURE_HOME = "K1", "Secure children's home"
    CHILDRENS_HOME = "K2", "Children's home"
    SUPPORTED_ACCOMMODATION = "K3", "Supported accommodation (16 and over)"
    WITH_PARENTS = "P1", "With parents or others with parental responsibility"
    RESIDENTIAL_EMPLOYMENT = "P3", "Residential employment"
    RESIDENTIAL_CARE_HOME = "R1", "Residential care home"
    HEALTH_SETTING = "R2", "NHS or other setting giving medical or nursing care"
    FAMILY_CENTRE = "R3", "Family centre or mother and baby unit"
    YOUTH_CUSTODY = "R5", "Young offender institution or prison"
    RESIDENTIAL_SCHOOL = "S1", "Residential school"
    TEMPORARY_MOVE = "T0", "A temporary move"
    HOSPITAL = "T1", "In hospital for a while (at most 6 weeks)"
    HOLIDAY = "T2", "Away on holiday"
    CARERS_HOLIDAY = "T3", "While the usual foster carer is on holiday"
    TEMPORARY_SHORT = "T4", "Somewhere temporary for 7 days or less"
    OTHER_Z11 = "Z11", "Other placement (DfE code Z11)"
    OTHER_Z12 = "Z12", "Other placement (DfE code Z12)"
    OTHER_Z13 = "Z13", "Other placement (DfE code Z13)"
    OTHER_Z14 = "Z14", "Other placement (DfE code Z14)"


# No provider is recorded for these (903 lac2025_26/178), no Ofsted URN for these (218, 222).
NO_PROVIDER_PLACEMENTS = {"T0", "T1", "T2", "T3", "Z11", "Z12", "Z13", "Z14"}
NO_URN_PLACEMENTS = {"P1", "P3", "R1", "R2", "R5", "T0", "T1", "T2", "T3", "T4",
                     "Z11", "Z12", "Z13", "Z14"}  # fmt: skip


class PlacementProvider(models.TextChoices):
    PARENTS = "PR0", "Parents or others with parental responsibility"
    OWN = "PR1", "Our own council's provision"
    OTHER_COUNCIL = "PR2", "Another council's provision"
    OTHER_PUBLIC = "PR3", "Other public provision, such as the NHS"
    PRIVATE = "PR4", "A private provider"
    VOLUNTARY = "PR5", "A voluntary or charitable provider"


class PlacementChangeReason(models.TextChoices):
    """Why a placement ended and the child moved (SSDA903 REASON_PLACE_CHANGE)."""

    CARE_PLAN = "CARPL", "The care plan: a planned move"
    CLOSURE = "CLOSE", "The provider resigned or closed"
    ALLEGATION = "ALLEG", "An allegation (section 47)"
    STANDARDS = "STAND", "Concerns about the standard of care"
    APPROVAL_REMOVED = "APPRR", "The carer's approval was removed"
    CARER_BEHAVIOUR = "CREQB", "The carer asked, because of the child's behaviour"
    CARER_OTHER = "CREQO", "The carer asked, for another reason"
    CHILD = "CHILD", "The child asked"
    COUNCIL = "LAREQ", "The responsible council asked"
    STATUS_ONLY = "PLACE", "Only the placement's status changed"
    CUSTODY = "CUSTOD", "Custody"
    OTHER = "OTHER", "Another reason"


class CareEnded(models.TextChoices):
    """Why a period of being looked after ended (SSDA903 REC, other than X1)."""

    ADOPTED_UNOPPOSED = "E11", "Adopted: the application was not opposed"
    ADOPTED_CONSENT_DISPENSED = "E12", "Adopted: the court dispensed with consent"
    DIED = "E2", "The child died"
    OTHER_COUNCIL = "E3", "Another council in the UK took over their care"
    HOME_PLANNED = "E4A", "Went home to parents, as the care plan intended"
    HOME_UNPLANNED = "E4B", "Went home to parents, not as the care plan intended"
    LIVES_WITH_FAMILY = "E13", "Left to live with family or friends without parental responsibility"
    CHILD_ARRANGEMENTS = "E41", "A child arrangements (residence) order"
    SGO_FORMER_CARER_FAMILY = "E45", "Special guardianship: former foster carers, family or friends"
    SGO_FORMER_CARER = "E46", "Special guardianship: former foster carers, not family or friends"
    SGO_FAMILY = "E47", "Special guardianship: other carers who are family or friends"
    SGO_OTHER = "E48", "Special guardianship: other carers, not family or friends"
    INDEPENDENT_SUPPORTED = "E5", "Moved to independent living with support"
    INDEPENDENT = "E6", "Moved to independent living without formal support"
    ADULT_CARE = "E7", "Moved to residential care funded by adult social care"
    OTHER = "E8", "Another reason"
    CUSTODY = "E9", "Sentenced to custody"
    REMAND_ENDED = "E14", "The remand ended"
    AGE_ASSESSED_ADULT = "E15", "An age assessment found them to be 18 or over"
    MOVED_ABROAD = "E16", "Moved abroad"
    STAYING_PUT = "E17", "Turned 18 and stayed with their carers (staying put)"


class ReviewParticipation(models.TextChoices):
    """How the child took part in their child in care review (SSDA903 REVIEW_CODE)."""

    UNDER_FOUR = "PN0", "Under 4 at the time of the review"
    SPOKE = "PN1", "Attended and spoke for themselves"
    ADVOCATE_THERE = "PN2", "Attended and an advocate spoke for them"
    NON_VERBAL = "PN3", "Attended and gave their views non-verbally"
    ATTENDED_SILENT = "PN4", "Attended without giving their views"
    ADVOCATE_AWAY = "PN5", "Did not attend; briefed an advocate to speak for them"
    MEDIUM = "PN6", "Did not attend; gave their views another way (a letter, a recording)"
    NOT_CONVEYED = "PN7", "Did not attend and their views were not given"


class MissingKind(models.TextChoices):
    MISSING = "M", "Missing"
    AWAY = "A", "Away from placement without authorisation"


class SDQReason(models.TextChoices):
    """Why there is no strengths and difficulties questionnaire score (OC2 SDQ_REASON)."""

    AGE = "SDQ1", "Under 4 or over 17 when it was due"
    CARER_REFUSED = "SDQ2", "The carer refused"
    DISABILITY = "SDQ3", "Not possible because of the severity of the child's disability"
    OTHER = "SDQ4", "Another reason"
    CHILD_REFUSED = "SDQ5", "The child or young person refused"


class InTouch(models.TextChoices):
    """A care leaver's contact around their birthday (OC3 IN_TOUCH)."""

    YES = "YES", "In touch"
    NO = "NO", "Not in touch"
    DIED = "DIED", "Has died"
    REFUSED = "REFU", "Refuses contact"
    NOT_REQUIRED = "NREQ", "No longer needs services"
    RETURNED_HOME = "RHOM", "Returned home to their family"


class LeaverActivity(models.TextChoices):
    """A care leaver's main activity (OC3 ACTIV)."""

    HIGHER_EDUCATION_FULL = "F1", "Higher education, full time"
    HIGHER_EDUCATION_PART = "P1", "Higher education, part time"
    EDUCATION_FULL = "F2", "Other education, full time"
    EDUCATION_PART = "P2", "Other education, part time"
    TRAINING_OR_WORK_FULL = "F4", "Training or employment, full time"
    TRAINING_OR_WORK_PART = "P4", "Training or employment, part time"
    APPRENTICESHIP_FULL = "F5", "Apprenticeship, full time (DfE code F5)"
    APPRENTICESHIP_PART = "P5", "Apprenticeship, part time (DfE code P5)"
    NEET_ILLNESS = "G4", "Not in education, training or work: illness or disability"
    NEET_OTHER = "G5", "Not in education, training or work: other reasons"
    NEET_PARENTING = "G6", "Not in education, training or work: pregnancy or parenting"
    NOT_KNOWN = "0", "Not known"


class LeaverAccommodation(models.TextChoices):
    """Where a care leaver lives (OC3 ACCOM): the letter says where, 1 that it is suitable and
    2 that it is not."""

    B1 = "B1", "Bed and breakfast: suitable"
    B2 = "B2", "Bed and breakfast: not suitable"
    C1 = "C1", "With parents or relatives: suitable"
    C2 = "C2", "With parents or relatives: not suitable"
    D1 = "D1", "Community home or other residential care: suitable"
    D2 = "D2", "Community home or other residential care: not suitable"
    E1 = "E1", "Semi-independent, transitional accommodation: suitable"
    E2 = "E2", "Semi-independent, transitional accommodation: not suitable"
    G1 = "G1", "Supported lodgings: suitable"
    G2 = "G2", "Supported lodgings: not suitable"
    H1 = "H1", "Gone abroad: suitable"
    H2 = "H2", "Gone abroad: not suitable"
    K1 = "K1", "Deported: suitable"
    K2 = "K2", "Deported: not suitable"
    R1 = "R1", "Where they live is not known: suitable"
    R2 = "R2", "Where they live is not known: not suitable"
    S2 = "S2", "No fixed abode or homeless: not suitable"
    T1 = "T1", "Foyer: suitable"
    T2 = "T2", "Foyer: not suitable"
    U1 = "U1", "Independent living: suitable"
    U2 = "U2", "Independent living: not suitable"
    V1 = "V1", "Emergency accommodation: suitable"
    V2 = "V2", "Emergency accommodation: not suitable"
    W1 = "W1", "Other accommodation: suitable"
    W2 = "W2", "Other accommodation: not suitable"
    X2 = "X2", "In custody: not suitable"
    Y1 = "Y1", "With former foster carers: suitable"
    Y2 = "Y2", "With former foster carers: not suitable"
    Z1 = "Z1", "Staying put with their foster carers: suitable"
    Z2 = "Z2", "Staying put with their foster carers: not suitable"
    NOT_KNOWN = "0", "Not known"


class AdoptersSex(models.TextChoices):
    SINGLE_MAN = "M1", "A single man"
    SINGLE_WOMAN = "F1", "A single woman"
    TWO_MEN = "MM", "Two men"
    TWO_WOMEN = "FF", "Two women"
    MAN_AND_WOMAN = "MF", "A man and a woman"


class AdoptersLegalStatus(models.TextChoices):
    SINGLE = "L0", "Single"
    MARRIED = "L11", "A married couple"
    CIVIL_PARTNERS = "L12", "Civil partners"
    UNMARRIED_COUPLE = "L2", "An unmarried couple (DfE code L2)"
    L3 = "L3", "DfE code L3"
    L4 = "L4", "DfE code L4"


class AdoptionReversed(models.TextChoices):
    """Why a child stopped being placed for adoption (placed_for_adoption REASON_PLACED_CEASED)."""

    RD1 = "RD1", "The child's needs changed (DfE code RD1)"
    RD2 = "RD2", "The court did not make a placement order (DfE code RD2)"
    RD3 = "RD3", "Prospective adopters could not be found (DfE code RD3)"
    RD4 = "RD4", "Any other reason (DfE code RD4)"


class PreviousPermanence(models.TextChoices):
    """A permanence order the child had before this period of care (PREV_PERM)."""

    ADOPTION = "P1", "Adoption"
    SPECIAL_GUARDIANSHIP = "P2", "Special guardianship order"
    CHILD_ARRANGEMENTS = "P3", "Child arrangements (residence) order"
    P4 = "P4", "Another order (DfE code P4)"
    NONE = "Z1", "None, or not known"


class WorkerChangeReason(models.TextChoices):
    """Why a child's social worker changed (SSDA903 SW_REASON). The first allocation of an
    episode is a first contact."""

    FIRST_CONTACT = "FCONTA", "First contact"
    MANAGEMENT = "MANAGE", "A management decision"
    LEFT_ROLE = "LEFTRL", "The social worker left the role"
    RESTRUCTURE = "ORGRST", "The organisation was restructured"
    TRANSFER_STAGE = "TSPROC", "The case moved to the next stage of the process"
    ABSENCE = "ABSENC", "The social worker is absent"
    CHILD_ASKED = "CHCHAN", "The child asked for a change"
    PARENT_ASKED = "PCCHAN", "A parent or carer asked for a change"
    DIED = "SWDIED", "The social worker died"
    OTHER = "OTHERS", "Another reason"

"""The retention rules a new authority starts with (a data migration seeds them; administrators
change them). The README's "Data protection" section lists them with their sources: three are
set in regulations, the rest are local policy, each with the schedule it follows."""

RULES = [
    {
        "category": "adoption",
        "trigger": "adoption_order",
        "years": 100,
        "second_person": True,
        "basis": "The Disclosure of Adoption Information (Post-Commencement Adoptions) "
        "Regulations 2005, regulation 6: at least 100 years from the adoption order.",
    },
    {
        "category": "looked_after",
        "trigger": "birth",
        "years": 75,
        "years_after_death_under_18": 15,
        "second_person": True,
        "basis": "The Care Planning, Placement and Case Review (England) Regulations 2010, "
        "regulation 50: until the 75th anniversary of the child's birth, or 15 years from the "
        "death of a child who dies before 18.",
    },
    {
        "category": "child_protection",
        "trigger": "closure",
        "years": 35,
        "second_person": True,
        "basis": "Local policy: 35 years after the last contact, as in Blackpool Council's "
        "children's services retention schedule for child protection records.",
    },
    {
        "category": "child_in_need",
        "trigger": "closure",
        "years": 3,
        "keep_until_age": 21,
        "second_person": True,
        "basis": "Local policy: until the child is 18 and then three years without contact, as "
        "in Devon County Council's children's social care schedule (so at least until 21).",
    },
    {
        "category": "early_help",
        "trigger": "closure",
        "years": 6,
        "second_person": True,
        "basis": "Local policy: six years from closure, the Limitation Act 1980's period for "
        "most claims.",
    },
    {
        "category": "foster_carer",
        "trigger": "approval_ended",
        "years": 10,
        "second_person": True,
        "basis": "The Fostering Services (England) Regulations 2011, regulation 32: at least 10 "
        "years from the end of the carer's approval.",
    },
    {
        "category": "complaint",
        "trigger": "closure",
        "years": 6,
        "second_person": True,
        "basis": "Local policy: six years from the complaint's closure, the Limitation Act "
        "1980's period for most claims.",
    },
    {
        "category": "survey_response",
        "trigger": "closure",
        "years": 15,
        "second_person": False,
        "basis": "Local policy: 15 years from the wave's close, so that a wave can be compared "
        "with those of the years after it (the evaluation compares 2014 with 2017).",
    },
    {
        "category": "security_log",
        "trigger": "recorded",
        "years": 2,
        "second_person": False,
        "basis": "Local policy: two years, long enough to investigate misuse reported late.",
    },
    {
        "category": "access_log",
        "trigger": "recorded",
        "years": 6,
        "second_person": False,
        "basis": "Local policy: six years, so that a family's question of who read their record "
        "can be answered within the Limitation Act 1980's period.",
    },
]

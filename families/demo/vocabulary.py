"""The demo families' static vocabulary: the categories of child protection plans, the
ethnicities and first languages families are drawn from, the origins and names of unaccompanied
asylum-seeking children, street names, what referrals say, and the professionals around a family.
Data only: the case simulation (``families.demo.cases``) chooses from it with the seeded random
generator, so nothing here may change without changing every seed's families."""

CP_CATEGORIES = [
    ("neglect", 50),
    ("emotional", 34),
    ("physical", 8),
    ("sexual", 4),
    ("multiple", 4),
]
ETHNICITIES = [
    ("WBRI", 68, "English"), ("WOTH", 5, "Polish"),
    ("MWBC", 4, "English"), ("MOTH", 3, "English"),
    ("APKN", 7, "Urdu"),
    ("AIND", 2, "Punjabi"),
    ("ABAN", 1, "Bengali"),
    ("BAFR", 5, "Somali"),
    ("BCRB", 2, "English"), ("CHNE", 1, "Cantonese"),
    ("OOTH", 2, "Arabic"),
]  # fmt: skip
UASC_ORIGINS = [
    ("AOTH", "Pashto",
     ["Ahmad", "Hamid", "Bilal", "Habib", "Karim", "Samiullah", "Naveed", "Zabihullah", "Farid",
      "Noorullah", "Rahmat", "Wahid"],
     ["Ahmadi", "Karimi", "Rahimi", "Hussaini", "Safi", "Stanikzai", "Noori", "Sultani", "Amiri",
      "Haidari", "Popal", "Wardak"]),
    ("BAFR", "Tigrinya",
     ["Yonas", "Filmon", "Dawit", "Tesfay", "Samuel", "Merhawi", "Robel", "Natnael", "Senait",
      "Yohannes", "Kidane", "Biniam"],
     ["Tesfaye", "Haile", "Kebede", "Ghebre", "Berhane", "Tekle", "Mehari", "Woldu", "Habte",
      "Gebremedhin", "Asmerom", "Zerai"]),
    ("OOTH", "Kurdish",
     ["Rebwar", "Hawre", "Aram", "Dilan", "Shvan", "Karwan", "Rawand", "Soran", "Zana", "Hemin",
      "Diyar", "Alan"],
     ["Mohammadi", "Rezaei", "Aziz", "Karim", "Salih", "Qadir", "Rasul", "Hamad", "Mahmoud",
      "Omar", "Abdulla", "Faraj"]),
    ("BAFR", "Arabic",
     ["Mohammed", "Omar", "Mustafa", "Ali", "Yousef", "Abdelrahman", "Hassan", "Adam", "Ibrahim",
      "Elias", "Anwar", "Khalid"],
     ["Osman", "Abdullah", "Ibrahim", "Adam", "Yousif", "Elhassan", "Suleiman", "Bakhit", "Idris",
      "Hamid", "Musa", "Ahmed"]),
]  # fmt: skip
STREETS = [
    "Road",
    "Street",
    "Avenue",
    "Close",
    "Lane",
    "Grove",
    "Crescent",
    "Way",
    "Drive",
    "Gardens",
    "Terrace",
    "Court",
    "Place",
    "Walk",
    "Rise",
    "View",
]

REFERRALS = {
    "cp": [
        ("police", "Police attended a domestic abuse incident at the home; {child} was present "
         "and frightened."),
        ("school", "{child} came to school with bruising to the arm and did not want to go home."),
        ("health", "The health visitor is worried about {child}'s weight and the state of the "
         "home."),
        ("family", "A grandparent reports heavy drinking in the home and the children left "
         "alone."),
        ("anonymous", "A neighbour reports the children are left alone overnight."),
        ("police", "{child} was found walking alone late at night; the home was very neglected."),
    ],
    "cin": [
        ("school", "{child}'s attendance has fallen below 60% and staff are worried about "
         "neglect."),
        ("health", "The GP is concerned about the mother's mental health and how the family is "
         "coping."),
        ("housing", "The family is about to lose its home and the children are affected."),
        ("local_authority", "{child} has additional needs and the family is struggling to "
         "cope."),
        ("self", "{child} asked a teacher for help with arguments at home."),
        ("other", "The family support worker asks for an assessment of the children's needs."),
    ],
    "assess": [
        ("school", "School is worried about a change in {child}'s behaviour and mood."),
        ("anonymous", "A neighbour heard shouting and crying from the home."),
        ("health", "{child} has missed several health appointments."),
        ("police", "Police attended a verbal argument between the adults; no injuries."),
        ("family", "A relative is worried about how the children are being looked after."),
    ],
    "lac": [
        ("police", "{child} has been asked to leave home after a breakdown in relationships."),
        ("school", "{child} is missing from home often and staff fear exploitation."),
        ("health", "The mother has been admitted to hospital and nobody can look after the "
         "children."),
        ("family", "The parents say they can no longer care for {child}."),
    ],
    "remand": [
        ("other", "The youth court remanded {child} to local authority accommodation."),
    ],
    "uasc": [
        ("police", "{child} arrived in the city alone and asked for asylum at the police "
         "station."),
        ("other", "{child} was found at a motorway service station and is seeking asylum."),
    ],
    "urgent": [
        ("health", "Pre-birth concerns: older children were removed; the hospital raised an "
         "alert at {child}'s birth."),
        ("police", "Police used their protection powers after finding {child} alone in the "
         "home."),
    ],
}  # fmt: skip

PROFESSIONALS = {
    # kind: (agency template, role, title, email domain)
    "school": ("{surname} {school}", "Designated safeguarding lead", "", "school.example"),
    "gp": ("{surname} Medical Centre", "GP", "Dr ", "nhs.example"),
    "health_visitor": ("Brightwater Community Health", "Health visitor", "", "nhs.example"),
    "police": ("Brightwater Police", "Public protection officer", "PC ", "police.example"),
    "camhs": ("Brightwater CAMHS", "Mental health practitioner", "", "nhs.example"),
    "youth_justice": ("Brightwater Youth Justice Service", "Youth justice officer", "",
                      "brightwater.example"),
    "idva": ("Brightwater Women's Aid", "Independent domestic violence adviser", "",
             "womensaid.example"),
    "substance": ("Brightwater Drug and Alcohol Service", "Recovery worker", "",
                  "recovery.example"),
}  # fmt: skip
SCHOOL_KINDS = ["Primary School", "Academy", "High School", "Community School", "Infant School"]

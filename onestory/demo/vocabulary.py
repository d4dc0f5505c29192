"""The words the One Story demo writes with: small lists of sentences a social worker might
write, with {placeholders} filled from the family (``writing.Voice``). Data only; the steps
choose from it with the seeded random generator, so changing a list changes every seed's
records.

Placeholders: {child} (the child the sentence is about), {children} (several, "Kai and
Lily", with {are}, {have}, {were}, {a}, {s} and {vs} agreeing with them: "{children} {are} on
{a}plan{s}"), {carer} (the main carer's first name, or "the foster carer"), {carer_role} ("mum"),
{other} (another adult), {school}, {gp}, {category} (a child protection category), {reason}
(what the referral said)."""

# --- recording -------------------------------------------------------------------------------

VISIT_OPENINGS = [
    "Announced home visit; {carer} and the children were at home.",
    "Unannounced visit after school. {carer} let me in straight away.",
    "Planned visit to the family home, arranged with {carer} at the last visit.",
    "Home visit with the family support worker.",
    "Statutory visit. {carer} was at home with {children}.",
    "Visit at teatime, as agreed at the core group, to see the evening routine.",
    "Unannounced visit in the morning before school.",
    "Home visit. {carer} had forgotten I was coming but was happy for me to come in.",
]
VISIT_IN_CARE_OPENINGS = [
    "Visit to {child} at the foster home; the foster carer was there at the start.",
    "Statutory visit to {child} in placement.",
    "Visited {child} at the children's home and spent time with {child} in the garden.",
    "Visit to {child} at the placement after school, as {child} had asked.",
]
HOME_CONDITIONS = [
    "The home was warm and tidy, and there was food in the fridge and the cupboards.",
    "The kitchen was cluttered with unwashed dishes, but the living room had been cleaned "
    "since my last visit.",
    "There was a strong smell of smoke in the flat and the bins had not been emptied.",
    "The children's bedrooms had clean bedding, and {child}'s room had new curtains.",
    "Home conditions were much as they were last time: adequate, with some clutter in the hallway.",
    "The house was cold; {carer} said the meter had run out the night before.",
    "The home was busy and noisy, but the children had clean clothes and there was a meal "
    "on the go.",
    "The stair gate we talked about is now fitted and the medicines are in a high cupboard.",
]
# What a child was like on the visit, by age (writing.age_band).
CHILD_PRESENTATION = {
    "baby": [
        "{child} was clean, in a fresh nappy, and settled quickly in {carer}'s arms.",
        "{child} was asleep in the cot when I arrived and woke happy.",
        "{child} was feeding when I arrived; {carer} held {child} close and talked to {child}.",
    ],
    "young": [
        "{child} was dressed for the weather and looked well cared for.",
        "{child} was playing on the floor and came over to show me a drawing.",
        "{child} stayed close to {carer} for most of the visit.",
        "{child} was running around and happy, and went to {carer} after a small fall.",
    ],
    "middle": [
        "{child} was dressed for the weather and looked well cared for.",
        "{child} was quiet at first but warmed up and talked about school.",
        "{child} was chatty and full of news about a school trip.",
        "{child} was in the middle of homework and wanted help with spellings.",
        "{child} seemed tired and said there had been a late night.",
    ],
    "teen": [
        "{child} came down from their room after a while and talked with me in the kitchen.",
        "{child} seemed tired and said there had been a late night gaming.",
        "{child} was getting ready to go out with friends and agreed to talk first.",
        "{child} was in a good mood and talked about college plans.",
    ],
}
CARER_PRESENTATION = [
    "{carer} talked openly about the week and said the new routine is helping.",
    "{carer} was tearful when we talked about the plan and said they feel judged.",
    "{carer} said money is tight this month; we talked about the food bank and the council's "
    "hardship fund.",
    "{carer} was able to say what had gone well since the core group.",
    "{carer} was defensive at first but settled once we talked about what {child} needs.",
    "{carer} showed me the calendar of appointments on the fridge, all kept this month.",
    "{carer} said {other} has been round more often and that it has caused arguments.",
    "{carer} said they had been to the GP about their low mood and started medication.",
]
VOICE = {
    "baby": [
        "{child} is too young to tell us in words; {child} was alert, smiled and settled "
        "quickly when picked up by {carer}.",
        "{child} fed well during the visit and made good eye contact with {carer}.",
        "{child} was asleep for most of the visit; {carer} described a settled routine.",
    ],
    "young": [
        "{child} pointed at the dog and said 'woof', then brought me a book to read.",
        "{child} said 'mummy' and held up a toy car to show me.",
        "{child} did not say much but laughed a lot while playing with the bricks.",
        "{child} told me about nursery: 'I painted a dinosaur.'",
    ],
    "middle": [
        "{child} said: 'I like it when {carer_role} walks me to school.'",
        "'I don't like it when they shout,' {child} told me.",
        "{child} said the best thing this week was football club and the worst was being told "
        "off at school.",
        "{child} drew the house and put everyone in it, including the cat.",
        "{child} said: 'It's better at home now. There's not as much shouting.'",
        "{child} asked whether I would be coming again and said: 'You can come on Fridays.'",
        "{child} said there is always breakfast now and that school is 'OK'.",
    ],
    "teen": [
        "{child} said: 'I just want everyone to leave me alone so I can get on with college.'",
        "{child} said things at home are 'better than before' but still worries about "
        "{carer_role}.",
        "{child} said home feels safe but wants more time with friends.",
        "{child} did not want to talk much today and asked me to come back another time.",
        "{child} said: 'I know you're trying to help. I just don't want to keep repeating myself.'",
        "{child} talked about wanting to be a mechanic and asked about apprenticeships.",
        "{child} said: 'It's alright here. I miss my brother, though.'",
    ],
}
VISIT_ANALYSIS = [
    "{carer} is keeping the routine going; the test will be whether it holds when visits are "
    "less frequent.",
    "The home conditions have slipped again. This pattern of improvement and decline is the "
    "main worry for {children}.",
    "The children appear settled and attached to {carer}. The risks identified at conference "
    "are reducing but have not gone.",
    "I remain worried about the effect of the adults' arguments on {child}'s emotional wellbeing.",
    "Progress is slow but real: {carer} now goes to appointments without reminders.",
    "{child} is more relaxed than at the start of the plan, which I think reflects the calmer "
    "home.",
    "There was nothing today to suggest the children are unsafe, but {carer}'s low mood needs "
    "watching.",
]
NEXT_STEPS = [
    "Visit again within ten working days, unannounced.",
    "Speak to {school} about attendance this week.",
    "Share today's observations at the next core group.",
    "Chase the GP for an update on {carer}'s referral to talking therapies.",
    "Book direct work with {child} about worries and wishes.",
    "Ask the family support worker to help with the morning routine twice a week.",
    "Send {carer} the notes of today's visit and the dates of the next meetings.",
    "Discuss in group supervision on Thursday.",
]
DIRECT_WORK = [
    "Direct work with {child} using the three houses: worries, good things and dreams.",
    "Life story work with {child}: we looked at photos from when {child} was little.",
    "Used words and pictures to talk with {child} about why a social worker is involved.",
    "Played a board game with {child} and talked about feelings using the feelings cards.",
    "Walk and talk with {child} to the park and back.",
    "Made a 'my safe people' hand with {child}: one person on each finger.",
    "Worked on {child}'s wishes for the review meeting, written in {child}'s own words.",
]
DIRECT_WORK_VOICE = [
    "In the house of worries {child} put 'people shouting' and 'mum being sad'. In the house "
    "of good things: 'my bike', 'nan' and 'football'. In the house of dreams: 'not having a "
    "social worker'.",
    "{child} put {carer_role}, a teacher and a friend on the safe hand, and said: 'I can tell "
    "them anything.'",
    "{child} said the feelings card for this week was 'calm', then 'a bit worried' about "
    "the review.",
    "{child} said: 'I want to see my dad more, but only at the weekend.'",
    "{child} said the thing that would make home better is 'no more arguing'.",
]
CONTACTS = [
    "Phone call with {carer} to confirm Thursday's visit. {carer} said the week had been calm.",
    "Text message from {carer} asking to move the visit; rearranged for next week.",
    "{carer} rang upset after a row with {other}; we talked it through and agreed a plan "
    "for the evening.",
    "Email to {gp} asking for a health update before the next meeting.",
    "Voicemail left for {carer}; no reply yet. I will try again tomorrow.",
    "Call with the police public protection officer about the incident at the weekend.",
    "Call from {carer} about the electricity meter; passed on the number for the hardship fund.",
    "Text reminder to {carer} about tomorrow's appointment at {gp}.",
    "Call with the family support worker, who saw {carer} on Tuesday and found the home tidy.",
]
# Calls and messages about a child of an age (writing.age_band), besides the ones above.
CONTACTS_ABOUT = {
    "baby": [
        "Call to the health visitor, who saw {child} on Monday: weight is back on track.",
        "{carer} rang to ask about nursery funding for {child}; sent the link and the form.",
    ],
    "young": [
        "Call from the nursery: {child} has settled well and is eating lunch.",
        "Call to the health visitor about {child}'s development check, booked for next month.",
    ],
    "middle": [
        "Call from {school}: {child} was late three times this week but is settled in class.",
        "Call from {school}: {child} has had a good week and was proud of a merit.",
        "{carer} phoned to say {child} is ill and off school; no concerns, advised to see the GP.",
    ],
    "teen": [
        "Message to {child} on the agreed number; {child} replied after school and said all is "
        "fine.",
        "Call from {school}: {child} missed two lessons on Wednesday and was found in town.",
        "{child} texted to ask whether the meeting could be after school; moved it to 4pm.",
    ],
}
MEETINGS = [
    "Professionals meeting with {school}, the health visitor and the family support worker.",
    "Team around the family meeting at the children's centre with {carer}.",
    "Meeting with {carer} and the housing officer about the rent arrears.",
    "Joint meeting with the domestic abuse worker and {carer} to update the safety plan.",
]
SCHOOL_MEETINGS = [
    "Meeting at school with {carer} and the designated safeguarding lead about {child}'s "
    "attendance.",
    "Meeting with {school} and {carer} to plan support for {child} in class.",
]
MEETING_OUTCOMES = [
    "Everyone agreed the plan is working and should carry on as it is.",
    "Agreed actions: school to send a weekly attendance update; {carer} to keep the GP "
    "appointment.",
    "{carer} said the meeting felt fairer than the last one and that they were listened to.",
    "Some disagreement about how much has really changed; I will bring it to group supervision.",
]
STRUCTURE = {
    "referral": (
        "Referral received from {source}. {reason}",
        "Checks made with the police, health and school; {carer} told about the referral and "
        "agreed to a visit.",
    ),
    "strategy": (
        "Strategy discussion with the police and health after the latest concerns about "
        "{children}. Agreed that a child protection enquiry should begin.",
        "Agreed: joint visit tomorrow; {school} to be told; medical if needed.",
    ),
    "icpc": (
        "Initial child protection conference. {children} became subject to {a}child protection "
        "plan{s} under the category of {category}.",
        "Core group to meet within ten working days; first review conference in three months.",
    ),
    "core_group": (
        "Core group meeting with {carer}, {school} and the health visitor. We went through "
        "each part of the plan.",
        "Next core group in six weeks.",
    ),
    "cp_review": (
        "Review child protection conference for {children}. The plan continues.",
        "Next review conference in six months.",
    ),
    "cp_end": (
        "Review child protection conference: the child protection plan{s} for {children} ended. "
        "The risks have reduced enough for the family to be supported without a plan.",
        "Step-down meeting to agree what support carries on.",
    ),
    "cin_start": (
        "Child in need meeting with {carer}, {school} and the family support worker. A child "
        "in need plan was agreed for {children}.",
        "Review in three months.",
    ),
    "cin_review": (
        "Child in need review with {carer} and the professionals around the family.",
        "The plan continues; next review in three months.",
    ),
    "lac_start": (
        "{children} became looked after and moved to a foster placement today.",
        "Placement plan meeting within five working days; family time to be arranged.",
    ),
    "lac_review": (
        "Looked-after review chaired by the independent reviewing officer, with the foster "
        "carer, {school} and {children}.",
        "Next review in six months; the care plan stays the same.",
    ),
    "legal_planning": (
        "Legal planning meeting with the council's solicitor and the pod manager about "
        "{children}. The threshold for proceedings is met.",
        "Letter before proceedings to be sent to {carer}; pre-proceedings meeting next week.",
    ),
    "proceedings": (
        "The council issued care proceedings for {children} today.",
        "First hearing listed; {carer} has a solicitor and knows the date.",
    ),
    "handover": (
        "Introduced to {carer} as the family's new social worker, with the previous worker, "
        "so nothing has to be told again.",
        "Read the One Story summary and chronology with {carer}; next visit booked.",
    ),
    "closure": (
        "Closing summary: the family's case is closed.",
        "{carer} knows how to contact the front door if things change.",
    ),
}
SIGNIFICANT_EVENTS = [
    "Police were called to the home after a report of shouting; no arrests. {children} {were} "
    "asleep upstairs.",
    "{child} was taken to A&E after a fall at home; the hospital had no concerns about how it "
    "happened.",
    "{child} was reported missing overnight and came home the next morning; a return "
    "interview is booked.",
    "{carer} was admitted to hospital; {children} {are} staying with a relative.",
    "{child} was arrested for shoplifting and released under investigation.",
    "{child} was excluded from school for two days after a fight.",
    "{other} turned up at the home in breach of the safety plan; {carer} called the police.",
]
SOURCES = {
    "police": "the police",
    "school": "school",
    "health": "health",
    "family": "a relative",
    "self": "the young person",
    "local_authority": "another council service",
    "housing": "housing",
    "anonymous": "an anonymous caller",
    "other": "another agency",
}

# --- the One Story summary and assessments ---------------------------------------------------

WORKING_WELL = [
    "{carer} loves the children and wants things to change for them.",
    "{children} {are} at school most days, and {school} knows the family well.",
    "{carer} has kept every appointment this month.",
    "There is a wider family who help: grandparents collect the children twice a week.",
    "{carer} is honest with us about the hard days, which means we can help sooner.",
    "{children} {have} warm relationships with the adults at home.",
    "{carer} has finished the first part of the parenting course.",
]
WORRIES = {
    "neglect": [
        "The home is often dirty and there is not always food for the children.",
        "{children} {are} missing health and dental appointments and often late for school.",
    ],
    "emotional": [
        "The children have heard and seen violence between the adults at home.",
        "{carer} finds it hard to keep the children's feelings in mind when stressed.",
    ],
    "physical": [
        "{child} had an injury that has not been explained.",
        "Physical punishment has been used when the adults are under pressure.",
    ],
    "sexual": [
        "An adult who poses a risk to children has been in contact with the family.",
        "{carer} has not always been able to see the risk and act on it.",
    ],
    "multiple": [
        "Domestic abuse, drinking and a neglected home add up to a risk none of them would alone.",
        "The children have had little routine or supervision for a long time.",
    ],
    "cin": [
        "{carer}'s mental health makes the mornings hard, and the children miss school.",
        "The family is in rent arrears and may lose the home.",
        "{child}'s additional needs are not yet understood or supported at school.",
    ],
    "lac": [
        "{children} could not live safely at home, and the plan for permanence is not settled.",
        "Family time has been unsettling for {child}, who is often upset afterwards.",
    ],
    "none": [
        "The referral raised worries that we are still understanding.",
        "{carer} is isolated and has little support nearby.",
    ],
}
NEEDS_TO_CHANGE = {
    "cp": [
        "{children} need{vs} a home that is safe, warm and clean every day, not only before "
        "visits.",
        "The adults need to keep the children away from arguments and violence.",
        "{carer} needs to keep working with the services in the plan and show the changes last.",
    ],
    "cin": [
        "{carer} needs support with their mental health and a morning routine that works.",
        "{child} needs to be in school every day with the right help.",
    ],
    "lac": [
        "{child} needs a settled home for the rest of childhood, and family time that feels safe.",
        "{child} needs to know their life story and why they are in care.",
    ],
    "none": [
        "We need to finish understanding what life is like for {children} before deciding "
        "what help is needed.",
    ],
}
PLAN_PARAGRAPHS = {
    "cp": "{children} {are} on {a}child protection plan{s} ({category}). We visit at least "
    "every ten working days, the core group meets every six weeks, and the next review "
    "conference will decide whether the plan can end.",
    "cin": "{children} {have} {a}child in need plan{s}. We visit every four weeks, the family "
    "support worker comes twice a week, and the plan is reviewed every three months with "
    "{carer}.",
    "lac": "{children} {are} in care. We visit at least every six weeks, reviews are chaired by "
    "the independent reviewing officer, and the care plan is for {child} to stay where they "
    "are settled.",
    "none": "We are getting to know the family and finishing the assessment. We will agree "
    "with {carer} what help is needed and who will give it.",
    "closed": "The family's case is closed. {carer} knows how to ask for help again, and "
    "{school} will contact the front door if worries come back.",
}
WISHES = {
    "baby": ["{child} is too young to tell us; {child} is settled and content with {carer}."],
    "young": [
        "{child} is too young to say much; {child} runs to {carer} for comfort and plays happily.",
        "{child} chatters about nursery and the dog, and is relaxed at home.",
    ],
    "middle": [
        "{child} says home is better now and wants {carer_role} to be happy.",
        "{child} would like to see dad every weekend and to stay at the same school.",
        "{child} wants the shouting to stop and says the best bit of the week is football.",
        "{child} says: 'I want to stay with my family.'",
    ],
    "teen": [
        "{child} wants to stay where they are, see friends more and be left to get on with "
        "college.",
        "{child} wants fewer meetings and to be asked before decisions are made.",
        "{child} says things are better than before and wants to keep the same social worker.",
        "{child} says home is calmer and wants the family to carry on getting help.",
    ],
    "in_care": [
        "{child} wants to move back home when it is safe, and to see family every week.",
        "{child} likes the foster home and wants to stay until they are ready to move on.",
        "{child} wants more family time and to stay at the same school.",
    ],
}
FAMILY_OWN_WORDS = [
    "{carer} said: 'I know I haven't always got it right, but I'm trying and the kids know that.'",
    "{carer} said: 'Nobody listened before. This time it feels like you are.'",
    "{carer} said: 'I just need a bit of help in the mornings and with the money.'",
    "{carer} said: 'I don't think there's a problem. School are making a fuss about nothing.'",
    "{carer} said: 'I want them to have a better childhood than I did.'",
]
ASSESSMENT_ANALYSIS = {
    "icpc": "The worries are serious and have lasted despite help: {children} {are} likely to "
    "suffer significant harm without a child protection plan. An initial child protection "
    "conference is needed.",
    "cin_plan": "{children} {have} needs that will not be met without more help, but {carer} is "
    "working with us and the risk of significant harm is low. A child in need plan is the "
    "right response.",
    "legal_planning": "The risks to {children} at home cannot be managed with the family "
    "safely. A legal planning meeting is needed to consider proceedings.",
    "step_down": "The family's needs can be met by early help. {carer} agrees and has met the "
    "family support worker.",
    "no_further_action": "The worries in the referral were not borne out. {children} {are} "
    "well cared for, and no further action by social work is needed.",
}
WHAT_NEEDS_TO_HAPPEN = {
    "icpc": "Conference to be convened within 15 working days. Visits every ten working days "
    "in the meantime.",
    "cin_plan": "Child in need meeting within two weeks to agree the plan with {carer}.",
    "legal_planning": "Legal planning meeting this week. Visits to continue at least weekly.",
    "step_down": "Step-down meeting with the early help worker and {carer}.",
    "no_further_action": "Close the case; write to {carer} and {school} to say so.",
}

# --- plans -----------------------------------------------------------------------------------

GOALS = {
    "neglect": [
        "{child} lives in a home that is clean, warm and safe, with food every day.",
        "{child} goes to school every day, on time, with what they need.",
        "{child}'s health and dental appointments are kept.",
        "{child} has a bedtime routine and their own clean bed.",
    ],
    "emotional": [
        "{child} does not see or hear arguments or violence at home.",
        "{carer} knows the signs of an unhealthy relationship and has a safety plan.",
        "{child} has a trusted adult to talk to about worries.",
    ],
    "physical": [
        "{child} is cared for without physical punishment.",
        "{carer} uses the calm-down strategies from the parenting course.",
        "Any injury to {child} is explained and seen by a doctor.",
    ],
    "sexual": [
        "{child} has no contact with the adult who poses a risk.",
        "{carer} can explain how they will keep {child} safe and who to call.",
        "{child} has therapeutic support to make sense of what happened.",
    ],
    "multiple": [
        "{child} lives in a home free of drugs, alcohol misuse and violence.",
        "{child} goes to school every day and their health needs are met.",
        "{carer} works with the recovery service and keeps to the plan.",
    ],
    "cin": [
        "{carer} has support with their mental health and keeps to their appointments.",
        "{child}'s attendance at school reaches at least 95%.",
        "The family has a stable home and the rent arrears are paid off.",
        "{child}'s additional needs are assessed and supported at school.",
    ],
    "child_in_care": [
        "{child} stays in a stable placement and feels settled.",
        "{child} keeps in touch with family through regular family time.",
        "{child}'s health and dental checks are up to date.",
        "{child} has a personal education plan and is doing well at school.",
        "{child} knows their life story and why they are in care.",
    ],
}
ACTIONS = [
    # (text, owner kind)
    ("Visit at least as often as the plan says and see {child} alone.", "worker"),
    ("Share {child}'s attendance every Friday.", "school"),
    ("Keep the home tidy and the fridge stocked; show the social worker at each visit.", "carer"),
    ("Go to the parenting course every Wednesday.", "carer"),
    ("Refer {carer} to talking therapies and share the outcome.", "gp"),
    ("Do direct work with {child} about worries and wishes.", "worker"),
    ("Keep the health visitor's appointments and the baby's weigh-ins.", "carer"),
    ("Arrange family time twice a week and write up how it went.", "worker"),
    ("Make sure {child} has breakfast club every morning.", "school"),
    ("Tell the social worker at once if {other} comes to the home.", "carer"),
]
PROGRESS_NOTES = [
    "Some progress, but it has not lasted long enough to be sure.",
    "Better this month: every appointment kept.",
    "A difficult few weeks; back to where we started.",
    "Steady progress; the family say it feels easier.",
    "Goal nearly met; keep it going until the next review.",
    "No change since the last review.",
]

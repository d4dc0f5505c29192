"""The demo's prose: ``Voice`` knows how a family is written about (who the main carer is,
which school, the children's names) and fills the sentences in ``vocabulary`` with it, for
entries, summaries, assessments and plans."""

from __future__ import annotations

import random

from onestory.demo import vocabulary as words
from onestory.demo.world import CIN, CP, LAC, CaseFamily, Member, Rel, Status

# The adult a worker writes about first: the first of these living in the household.
CARER_ORDER = [Rel.MOTHER, Rel.CARER, Rel.GRANDPARENT, Rel.FATHER, Rel.STEP_PARENT, Rel.OTHER]
CATEGORY = {
    "neglect": "neglect",
    "physical": "physical abuse",
    "emotional": "emotional abuse",
    "sexual": "sexual abuse",
    "multiple": "multiple categories",
    "": "neglect",
}


def names(people: list[Member]) -> str:
    first = [p.first_name for p in people]
    if len(first) <= 1:
        return "".join(first) or "the children"
    return ", ".join(first[:-1]) + " and " + first[-1]


def role_word(member: Member) -> str:
    """What the family calls them: mum, dad, nan."""
    female = member.gender == "female"
    return {
        Rel.MOTHER: "mum",
        Rel.FATHER: "dad",
        Rel.GRANDPARENT: "nan" if female else "grandad",
        Rel.STEP_PARENT: "step-mum" if female else "step-dad",
        Rel.OTHER: "relative",
    }.get(member.relationship, "carer")


def age_band(age: int) -> str:
    if age < 2:
        return "baby"
    if age < 5:
        return "young"
    return "middle" if age < 12 else "teen"


class Voice:
    """One family as its records talk about it."""

    def __init__(self, family: CaseFamily):
        self.family = family
        adults = sorted(
            family.adults,
            key=lambda m: (not m.lives_in_household, CARER_ORDER.index(m.relationship)),
        )
        carer = adults[0] if adults and adults[0].lives_in_household else None
        self.carer = carer.first_name if carer else "the foster carer"
        self.carer_role = role_word(carer) if carer else "foster carer"
        other = next((a for a in adults if a is not carer), None)
        self.other = other.first_name if other else "a former partner"
        self.carer_member = carer
        self.school = family.agency("Designated safeguarding lead") or "school"
        self.gp = family.agency("GP") or "the GP surgery"

    def context(self, children: list[Member], category: str = "", **extra) -> dict[str, str]:
        focus = children[0] if children else None
        one = len(children) <= 1
        return {
            "child": focus.first_name if focus else "the children",
            "children": names(children),
            "are": "is" if one else "are",
            "have": "has" if one else "have",
            "were": "was" if one else "were",
            "a": "a " if one else "",
            "s": "" if one else "s",
            "vs": "s" if one else "",
            "carer": self.carer,
            "carer_role": self.carer_role,
            "other": self.other,
            "school": self.school,
            "gp": self.gp,
            "category": CATEGORY.get(category, category),
            **extra,
        }

    def fill(self, text: str, context: dict[str, str]) -> str:
        text = text.format_map(context)
        return text[0].upper() + text[1:]

    # --- entries -----------------------------------------------------------------------------

    def visit(self, rng: random.Random, seen: list[Member], on: int, in_care: bool) -> dict:
        focus = [rng.choice(seen)] if seen else []
        c = self.context(seen if seen else self.family.children[:1])
        c_focus = self.context(focus or self.family.children[:1])
        opening = rng.choice(words.VISIT_IN_CARE_OPENINGS if in_care else words.VISIT_OPENINGS)
        parts = [self.fill(opening, c_focus if in_care else c)]
        if not in_care:
            parts.append(self.fill(rng.choice(words.HOME_CONDITIONS), c_focus))
            parts.append(self.fill(rng.choice(words.CARER_PRESENTATION), c_focus))
        if focus:
            band = age_band(focus[0].age(on))
            parts.append(self.fill(rng.choice(words.CHILD_PRESENTATION[band]), c_focus))
        voice = ""
        if focus:
            voice = self.fill(rng.choice(words.VOICE[age_band(focus[0].age(on))]), c_focus)
        return {
            "what_happened": " ".join(parts),
            "childs_voice": voice,
            "analysis": self.fill(rng.choice(words.VISIT_ANALYSIS), c_focus),
            "next_steps": self.fill(rng.choice(words.NEXT_STEPS), c_focus),
        }

    def direct_work(self, rng: random.Random, child: Member) -> dict:
        c = self.context([child])
        return {
            "what_happened": self.fill(rng.choice(words.DIRECT_WORK), c),
            "childs_voice": self.fill(rng.choice(words.DIRECT_WORK_VOICE), c),
            "analysis": "",
            "next_steps": self.fill(rng.choice(words.NEXT_STEPS), c),
        }

    def contact(self, rng: random.Random, child: Member | None, on: int) -> dict:
        """A call or message: about the child, now and then, in words that suit their age."""
        c = self.context([child] if child else [])
        if child is not None and rng.random() < 0.4:
            text = rng.choice(words.CONTACTS_ABOUT[age_band(child.age(on))])
        else:
            text = rng.choice(words.CONTACTS)
        return {"what_happened": self.fill(text, c)}

    def meeting(self, rng: random.Random, child: Member | None, on: int) -> dict:
        c = self.context([child] if child else [])
        at_school = child is not None and 5 <= child.age(on) < 17 and rng.random() < 0.4
        what = rng.choice(words.SCHOOL_MEETINGS if at_school else words.MEETINGS)
        return {
            "what_happened": self.fill(what, c)
            + " "
            + self.fill(rng.choice(words.MEETING_OUTCOMES), c),
        }

    def significant(self, rng: random.Random, children: list[Member]) -> dict:
        c = self.context(children)
        return {
            "what_happened": self.fill(rng.choice(words.SIGNIFICANT_EVENTS), c),
            "next_steps": "Discuss with the pod manager today and update the One Story summary.",
        }

    def structure(self, topic: str, children: list[Member], category: str, episode) -> dict:
        reason = (episode.referral_reason or "").rstrip(".") + "."
        c = self.context(
            children,
            category,
            source=words.SOURCES.get(episode.referral_source, "another agency"),
            reason=reason if reason != "." else "Worries about the family.",
        )
        what, next_steps = words.STRUCTURE[topic]
        return {"what_happened": self.fill(what, c), "next_steps": self.fill(next_steps, c)}

    # --- summaries and assessments --------------------------------------------------------------

    def who(self, on: int) -> str:
        """Who is in the family on the day, and where the children live."""
        family = self.family
        in_care = {s.person_id for s in family.statuses if s.kind == LAC and s.covers(on)}
        children = [m for m in family.children if m.dob <= on]
        at_home = [m for m in children if m.person_id not in in_care]
        looked_after = [m for m in children if m.person_id in in_care]
        home = [m for m in family.adults if m.lives_in_household]
        parts = []
        if home:
            adults = " and ".join(f"{m.first_name} {m.last_name} ({role_word(m)})" for m in home)
            verb = "live" if len(home) > 1 else "lives"
            parts.append(
                f"{adults} {verb} with {_ages(at_home, on)}."
                if at_home
                else f"{adults} {verb} at the family home."
            )
        elif at_home:
            parts.append(f"The {family.surname} family: {_ages(at_home, on)}.")
        if looked_after:
            verb = "is" if len(looked_after) == 1 else "are"
            parts.append(f"{_ages(looked_after, on)} {verb} in care.")
        for member in family.adults:
            if member.lives_in_household:
                continue
            parts.append(
                f"{member.first_name} ({role_word(member)}) lives elsewhere and stays in touch."
                if member.relationship != Rel.OTHER
                else f"{member.first_name}, a relative, lives elsewhere."
            )
        if self.school != "school":
            parts.append(f"The children go to {self.school}.")
        return " ".join(parts)

    def concern(self, statuses: list[Status]) -> tuple[str, str, list[Member]]:
        """The main concern on a day: ``(summary key, CP category, children it is about)``."""
        by_person = {m.person_id: m for m in self.family.children}
        for kind, key in ((CP, "cp"), (LAC, "lac"), (CIN, "cin")):
            mine = [s for s in statuses if s.kind == kind and s.person_id in by_person]
            if mine:
                people = [by_person[s.person_id] for s in mine]
                return key, mine[0].cp_category, list(dict.fromkeys(people))
        return "none", "", self.family.children

    def summary(self, rng: random.Random, on: int, statuses, episode, closed: bool) -> dict:
        key, category, children = self.concern(statuses)
        c = self.context(children, category)
        source = words.SOURCES.get(episode.referral_source, "an agency")
        happening = [f"Referred by {source}: {episode.referral_reason or 'worries about them.'}"]
        for status in statuses:
            child = next((m for m in self.family.children if m.person_id == status.person_id), None)
            if child is not None:
                happening.append(f"{child.first_name}: {_status_phrase(status)}.")
        worries_key = category if key == "cp" and category in words.WORRIES else key
        worries = rng.sample(words.WORRIES[worries_key], min(2, len(words.WORRIES[worries_key])))
        in_care = {s.person_id for s in statuses if s.kind == LAC}
        voice = []
        for child in (m for m in children if m.dob <= on):
            band = age_band(child.age(on))
            if child.person_id in in_care and band in ("middle", "teen"):
                band = "in_care"
            voice.append(self.fill(rng.choice(words.WISHES[band]), self.context([child])))
        return {
            "who_is_in_the_family": self.who(on),
            "what_is_happening": " ".join(happening),
            "working_well": " ".join(
                self.fill(t, c) for t in rng.sample(words.WORKING_WELL, rng.randint(2, 3))
            ),
            "worries": " ".join(self.fill(t, c) for t in worries),
            "needs_to_change": " ".join(
                self.fill(t, c) for t in words.NEEDS_TO_CHANGE[key][: rng.randint(1, 2)]
            ),
            "wishes_and_feelings": " ".join(voice),
            "plan": self.fill(words.PLAN_PARAGRAPHS["closed" if closed else key], c),
        }

    def assessment(self, rng, on: int, episode, outcome: str, worry: str) -> dict:
        """The sections of an assessment started on ``on``; with an ``outcome``, completed."""
        children = [m for m in self.family.children if m.is_child_on(on)] or self.family.children
        c = self.context(children)
        sections = {
            "family_and_history": f"{self.who(on)} Referred by "
            f"{words.SOURCES.get(episode.referral_source, 'an agency')}: "
            f"{episode.referral_reason or 'worries about the children.'}",
            "recent_events": self.fill(rng.choice(words.CONTACTS), c)
            + " "
            + self.fill(rng.choice(words.HOME_CONDITIONS), c),
            "working_well": self.fill(rng.choice(words.WORKING_WELL), c),
            "worries": " ".join(self.fill(text, c) for text in words.WORRIES[worry]),
            "families_own_words": self.fill(rng.choice(words.FAMILY_OWN_WORDS), c),
            "childs_voice": " ".join(
                self.fill(rng.choice(words.VOICE[age_band(m.age(on))]), self.context([m]))
                for m in children
                if m.dob <= on
            ),
            "analysis": "",
            "what_needs_to_happen": "",
        }
        if outcome:
            sections["analysis"] = self.fill(words.ASSESSMENT_ANALYSIS[outcome], c)
            sections["what_needs_to_happen"] = self.fill(words.WHAT_NEEDS_TO_HAPPEN[outcome], c)
        return sections


def _ages(people: list[Member], on: int) -> str:
    return ", ".join(f"{m.first_name} ({m.age(on)})" for m in people)


def _status_phrase(status: Status) -> str:
    if status.kind == CP:
        return f"child protection plan ({CATEGORY.get(status.cp_category, 'neglect')})"
    if status.kind == LAC:
        return "looked after"
    if status.kind == CIN:
        return "child in need plan"
    return "care proceedings under way"

"""The pages ``make bench`` measures. A later issue adds its key pages to PAGES."""

from collections.abc import Mapping
from dataclasses import dataclass


@dataclass(frozen=True)
class BenchPage:
    name: str  # as printed, and as --pages selects it
    path: str
    username: str | None = None  # a demo sign-in (pods.demo.DEMO_ACCOUNTS); None is anonymous
    baseline: bool = False  # measured in every run, whatever --pages says
    # A form to POST to ``path`` instead of GETting it ({placeholders} in its names and values
    # too). Its page is fetched once for the CSRF token; each measured post must answer 302,
    # as a form that saved does.
    post_data: Mapping[str, str] | None = None
    # What a measured post answers: 302 for a form that saved, 200 for one that shows results
    # (search posts its terms so that names stay out of URLs and logs).
    post_status: int = 302
    # The page whose form posts to ``path``, when ``path`` only takes a POST (the CSRF token
    # is read from it); ``path`` itself by default.
    form_path: str | None = None


# A home visit to one child of the family, today: what a social worker saves most often.
RECORD_A_VISIT = {
    "kind": "home_visit",
    "date_day": "{today_day}",
    "date_month": "{today_month}",
    "date_year": "{today_year}",
    "time": "",
    "child_{child_id}_seen": "on",
    "what_happened": "Benchmark visit: saw the child at home; the home was warm and tidy.",
    "save": "1",
}

# A discussion in group supervision with three decisions, each owned in the pod.
GROUP_DISCUSSION = {
    "presenting_worker": "{owner_1}",
    "question": "Benchmark: is the child safe enough at home?",
    "scaling_score": "6",
    "working_well": "Grandma collects the children from school.",
    "worries": "Missed appointments with the health visitor.",
    "needs_to_happen": "A family network meeting.",
    "hypotheses": "",
    **{
        f"decision_{n}_{part}": value
        for n in (1, 2, 3)
        for part, value in (
            ("text", f"Benchmark decision {n}"),
            ("owner", f"{{owner_{n}}}"),
            ("due", "{due_date}"),
        )
    },
    "save": "1",
}

PAGES = [
    BenchPage("bare Django view", "/bench/bare/", baseline=True),
    BenchPage("sign-in page", "/sign-in/"),
    BenchPage("my pod", "/my-pod/", "pod-manager"),
    BenchPage("all teams", "/teams/", "senior-leader"),
    # The service home page aggregates across every team, so it grows with the service too.
    BenchPage("home (senior leader)", "/", "senior-leader"),
    # Families (bench/placeholders.py fills the {braces} from the dataset).
    BenchPage("my families", "/families/", "social-worker"),
    BenchPage("pod's families", "/families/pod/", "social-worker"),
    BenchPage("family page", "/families/{family_id}/", "social-worker"),
    BenchPage(
        "search (misspelt)",
        "/families/search/",
        "social-worker",
        post_data={"q": "{misspelt_surname}"},
        post_status=200,
    ),
    # The One Story (onestory.demo writes the records).
    BenchPage("family page + summary", "/families/{summary_family_id}/", "social-worker"),
    BenchPage(
        "chronology, 1,000 entries", "/families/{long_family_id}/chronology/", "social-worker"
    ),
    BenchPage("record a visit: open", "/families/{family_id}/record/", "social-worker"),
    # Each post saves one more entry in the family's chronology.
    BenchPage(
        "record a visit: save",
        "/families/{family_id}/record/",
        "social-worker",
        post_data=RECORD_A_VISIT,
    ),
    # A social worker's home page is their list of visits due; the pod page has the pod's.
    BenchPage("due list: social worker", "/", "social-worker"),
    BenchPage("due list: pod", "/my-pod/", "pod-manager"),
    # Supervision: this week's session of the demo pod manager's pod (bench/placeholders.py
    # opens it), a discussion saved with three decisions, and the pod's actions.
    BenchPage("group supervision session", "/supervision/group/{session_id}/", "pod-manager"),
    BenchPage(
        "group discussion: save (3 decisions)",
        "/supervision/group/{session_id}/discussions/{discussion_id}/",
        "pod-manager",
        post_data=GROUP_DISCUSSION,
    ),
    BenchPage("pod's actions", "/supervision/actions/", "pod-manager"),
    # Reporting: 36 months of the authority and the pods side by side, from the reports the
    # reporting step (bench/reporting.py) builds before the pages are measured.
    BenchPage("dashboard (senior leader)", "/reports/dashboard/", "senior-leader"),
    # Business support (scheduling.demo books the year and the four weeks ahead): the BSO's
    # day is the demo BSO's home page (Ash Pod's meetings to schedule, this week's
    # appointments, invitations to send, calls waiting, cover needed); the pod's week and one
    # worker's week (the demo pod's first member, {owner_1} of the group supervision step).
    BenchPage("BSO's day", "/", "business-support"),
    BenchPage("pod's week calendar", "/scheduling/calendar/", "business-support"),
    BenchPage(
        "worker's week calendar", "/scheduling/calendar/worker/{owner_1}/", "business-support"
    ),
    # Feedback (feedback.demo writes three years of complaints and compliments, the survey
    # waves and the audits): the complaints officer's list of every complaint, and the results
    # of the demo's two survey waves that answer most: Appendix 1's February 2017 parents'
    # interviews (compared with July 2016) and the staff's Your Voice.
    BenchPage("complaints list", "/feedback/complaints/", "complaints-officer"),
    BenchPage(
        "survey results: parents", "/feedback/surveys/waves/{parents_wave_id}/", "senior-leader"
    ),
    BenchPage(
        "survey results: Your Voice",
        "/feedback/surveys/waves/{your_voice_wave_id}/",
        "senior-leader",
    ),
    # Data protection: the demo data protection officer gathers (again, as each post replaces
    # the last gathering) every record about an adult of the family with the longest
    # chronology, the "gather the records" button of a subject access request.
    BenchPage(
        "SAR gathering",
        "/data-protection/requests/{sar_id}/gather/",
        "data-protection-officer",
        post_data={},
        form_path="/data-protection/requests/{sar_id}/",
    ),
]

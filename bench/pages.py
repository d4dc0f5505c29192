"""The pages ``make bench`` measures. A later issue adds its key pages to PAGES."""

from dataclasses import dataclass


@dataclass(frozen=True)
class BenchPage:
    name: str  # as printed, and as --pages selects it
    path: str
    username: str | None = None  # a demo sign-in (pods.demo.DEMO_ACCOUNTS); None is anonymous
    baseline: bool = False  # measured in every run, whatever --pages says


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
    BenchPage("search (misspelt)", "/families/search/?q={misspelt_surname}", "social-worker"),
]

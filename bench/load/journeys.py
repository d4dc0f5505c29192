"""What the simulated staff do (the locustfile): sign in as a real worker of the dataset
through the real pages, then follow their role's daily journey, pausing between pages as a
person reading them would. Imported only by bench/load/swarm.py, in the load generator's own
process (locust patches the standard library for gevent on import).

The journeys and their weights (how often each page comes up, relative to the others):

- a practitioner (social worker or senior social worker): home page, which is their visits
  due (3); my families (3); one of their families (4); its chronology (2); recording a visit,
  the form then the save, as bench/pages.py RECORD_A_VISIT (1);
- a pod manager: home page (1); this week's group supervision of their pod (3);
- a senior leader: home page (1); the dashboard (2).

Staff come in the proportions of bench/load/staff.py JOURNEY_WEIGHTS (locust's user weights).
"""

from __future__ import annotations

import itertools
import random
import re
import time

from locust import FastHttpUser, between, task
from locust.exception import StopUser

from accounts.demo_secret import DEMO_SECRET, current_code
from bench.load.staff import JOURNEY_WEIGHTS, POD_MANAGER, PRACTITIONER, SENIOR_LEADER
from bench.pages import RECORD_A_VISIT

CODE_STEP_SECONDS = 30  # TOTP's period (django-otp's default)
_CSRF = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')

# Set by swarm.py from the plan before the run.
PLAN: dict = {}
# Sign-ins finished (signed in or failed) so far: swarm.py waits for them before measuring.
sign_ins = {"done": 0, "failed": 0}
# The last code period each username signed in with: django-otp refuses a code of a period
# at or before the last one used, so a second simulated user on the same worker (when there
# are more users than workers) waits for the next period.
_last_code_step: dict[str, int] = {}
# How many simulated users of each journey have started: the next takes the next worker.
_started: dict[str, itertools.count] = {}


class Staff(FastHttpUser):
    """One person at a browser: their own cookies, signed in as their worker on start."""

    abstract = True
    journey = ""
    wait_time = between(2, 10)  # swarm.py sets it from --think

    def on_start(self) -> None:
        pool = PLAN["staff"][self.journey]
        if not pool:
            sign_ins["done"] += 1
            sign_ins["failed"] += 1
            raise StopUser
        number = next(_started.setdefault(self.journey, itertools.count()))
        self.staff = pool[number % len(pool)]
        try:
            signed_in = self.sign_in(self.staff["username"], PLAN["password"])
        finally:
            sign_ins["done"] += 1
        if not signed_in:
            sign_ins["failed"] += 1
            raise StopUser  # stop at the first failure: django-axes locks after 5

    def sign_in(self, username: str, password: str) -> bool:
        """The password, then a code from the demo authenticator app, as run.py Client does."""
        token = self._token("/sign-in/", "sign in: page")
        if token is None or not self._post(
            "/sign-in/",
            {"csrfmiddlewaretoken": token, "username": username, "password": password},
            "sign in: password",
        ):
            return False
        token = self._token("/account/second-factor/", "sign in: code page")
        if token is None:
            return False
        step = int(time.time() // CODE_STEP_SECONDS)
        if _last_code_step.get(username, -1) >= step:
            time.sleep((step + 1) * CODE_STEP_SECONDS - time.time() + 0.1)
            step += 1
        _last_code_step[username] = step
        return self._post(
            "/account/second-factor/",
            {"csrfmiddlewaretoken": token, "code": current_code(DEMO_SECRET)},
            "sign in: code",
        )

    # --- requests ------------------------------------------------------------------------

    def _get(self, path: str, name: str) -> str | None:
        """GET a page that must answer 200 itself (a redirect to sign-in is a failure)."""
        with self.client.get(
            path, name=name, allow_redirects=False, catch_response=True
        ) as response:
            if response.status_code != 200:
                response.failure(f"GET {path} answered {response.status_code}, not 200")
                return None
            return response.text

    def _post(self, path: str, data: dict[str, str], name: str) -> bool:
        """POST a form that must save, answering a redirect (302) as a saved form does."""
        with self.client.post(
            path,
            data=data,
            name=name,
            headers={"Referer": self.client.base_url + path},
            allow_redirects=False,
            catch_response=True,
        ) as response:
            if response.status_code != 302:
                response.failure(f"POST {path} answered {response.status_code}, not 302")
                return False
            return True

    def _token(self, path: str, name: str) -> str | None:
        html = self._get(path, name)
        found = html and _CSRF.search(html)
        return found.group(1) if found else None

    def _family(self) -> int:
        return random.choice(self.staff["family_ids"])  # nosec B311  # choosing a page, not a secret


class Practitioner(Staff):
    journey = PRACTITIONER
    weight = JOURNEY_WEIGHTS[PRACTITIONER]

    @task(3)
    def home(self):
        self._get("/", "home (practitioner: visits due)")

    @task(3)
    def my_families(self):
        self._get("/families/", "my families")

    @task(4)
    def family_page(self):
        self._get(f"/families/{self._family()}/", "family page")

    @task(2)
    def chronology(self):
        self._get(f"/families/{self._family()}/chronology/", "chronology")

    @task(1)
    def record_a_visit(self):
        visit = self.staff["visit"]
        path = f"/families/{visit['family_id']}/record/"
        token = self._token(path, "record a visit: open")
        if token is None:
            return
        form = {
            name.format(**visit): value.format(**visit) for name, value in RECORD_A_VISIT.items()
        }
        self._post(path, {**form, "csrfmiddlewaretoken": token}, "record a visit: save")


class PodManager(Staff):
    journey = POD_MANAGER
    weight = JOURNEY_WEIGHTS[POD_MANAGER]

    @task(1)
    def home(self):
        self._get("/", "home (pod manager)")

    @task(3)
    def group_supervision(self):
        self._get(f"/supervision/group/{self.staff['session_id']}/", "group supervision session")


class SeniorLeader(Staff):
    journey = SENIOR_LEADER
    weight = JOURNEY_WEIGHTS[SENIOR_LEADER]

    @task(1)
    def home(self):
        self._get("/", "home (senior leader)")

    @task(2)
    def dashboard(self):
        self._get("/reports/dashboard/", "dashboard (senior leader)")


USER_CLASSES = [Practitioner, PodManager, SeniorLeader]

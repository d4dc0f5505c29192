"""The DfE's validators, run on a built CIN census and SSDA903 return.

The validators (``csc-validator-be-cin`` and ``csc-validator-be-903``, by Data to Insight) pin
pandas 1.5 and numpy 1.24, which clash with the app's, so they live in their own virtualenv
(``make validators`` makes ``.venv-validators/`` from ``requirements.txt`` here) and
:func:`validate` runs ``runner.py`` there as a subprocess, through files in a temporary folder.
The runner's JSON comes back as the frozen dataclasses below.

This module knows nothing of models: it takes the built files and says what is wrong with
them. Matching an issue's ``child`` (the CIN LAchildID / 903 CHILD) back to a person and a form
is the caller's job.
"""

import json
import subprocess  # nosec B404  # runs our own script with a fixed argument list, no shell
import tempfile
from dataclasses import dataclass, field
from pathlib import Path

from django.conf import settings

RUNNER = Path(__file__).with_name("runner.py")
_STDERR_LINES_KEPT = 20
# runner.py's exit status for a collection year with no pinned ruleset.
_EXIT_UNSUPPORTED_YEAR = 3

NOT_INSTALLED = "The DfE validators are not installed at {python}: run `make validators`."
CRASHED = "The DfE validators stopped with exit status {status}. Their last words:\n{stderr}"
TIMED_OUT = "The DfE validators took longer than {seconds} seconds and were stopped.\n{stderr}"


class ValidatorsFailed(Exception):
    """The validators could not give an answer (not installed, crashed, or timed out)."""


class UnsupportedYear(ValidatorsFailed):
    """No validator ruleset is pinned for that collection year."""


@dataclass(frozen=True)
class Issue:
    """One flag raised by a rule.

    ``kind`` is "error" or "query": CIN rules carry their own type; 903 rules carry none, so the
    runner reports every 903 flag as an error (none of their codes ends in Q). ``child`` is the
    LAchildID (CIN) or CHILD (903), None for a return-level issue. ``table`` is the validator's
    table (CIN: "CINdetails", "Section47", ...; 903: "Episodes", "Header", ...), ``row`` the
    0-based row of that table (for the 903, the CSV's data row), ``message`` the rule's own.
    """

    rule: str
    kind: str
    message: str | None
    child: str | None = None
    table: str | None = None
    columns: tuple[str, ...] = ()
    row: int | None = None

    @property
    def is_error(self) -> bool:
        return self.kind == "error"


@dataclass(frozen=True)
class FailedRule:
    """A rule that raised instead of checking anything (e.g. 903/231 and 903/233, always)."""

    collection: str  # "cin" or "ssda903"
    rule: str
    error: str


@dataclass(frozen=True)
class Validation:
    """What the validators said about one return.

    ``return_issues`` are the CIN's header and return-level flags (e.g. 2887Q, 100), against no
    child. ``skipped`` are 903 rules that did not run for want of a table (without Ofsted's
    provider lists the URN rules always skip). ``rulesets`` names the rulesets that ran.
    """

    cin_issues: tuple[Issue, ...]
    ssda903_issues: tuple[Issue, ...]
    return_issues: tuple[Issue, ...]
    skipped: tuple[str, ...]
    failed: tuple[FailedRule, ...]
    versions: dict[str, str] = field(default_factory=dict)
    rulesets: dict[str, str] = field(default_factory=dict)

    @property
    def issues(self) -> tuple[Issue, ...]:
        return self.cin_issues + self.ssda903_issues + self.return_issues

    @property
    def errors(self) -> tuple[Issue, ...]:
        return tuple(issue for issue in self.issues if issue.is_error)

    @property
    def queries(self) -> tuple[Issue, ...]:
        return tuple(issue for issue in self.issues if not issue.is_error)


def validate(
    *,
    year: int,
    cin_xml: bytes | None,
    ssda903: dict[str, bytes] | None,
    ssda903_previous: dict[str, bytes] | None,
) -> Validation:
    """Run both validators on a built return for the collection year ending 31 March ``year``.

    ``cin_xml`` is the CIN census file; ``ssda903`` and ``ssda903_previous`` map a CSV file name
    (any name: the validator knows a table by its columns) to its bytes, for this year's return
    and last year's (which switches on the year-on-year rules). Either return may be None.
    Raises ValidatorsFailed when the validators cannot answer.
    """
    if ssda903_previous and not ssda903:
        raise ValueError("Last year's SSDA903 files are only read beside this year's.")
    python = Path(settings.PODS_VALIDATORS_PYTHON)
    if not python.exists():
        raise ValidatorsFailed(NOT_INSTALLED.format(python=python))

    with tempfile.TemporaryDirectory(prefix="pods-validation-") as tmp:
        folder = Path(tmp)
        out = folder / "results.json"
        command = [str(python), "-I", str(RUNNER), "--year", str(year), "--out", str(out)]
        if cin_xml is not None:
            (folder / "cin.xml").write_bytes(cin_xml)
            command += ["--cin", str(folder / "cin.xml")]
        if ssda903 is not None:
            command += ["--ssda903", str(_write_csvs(folder / "ssda903", ssda903))]
            command += ["--la", settings.PODS_LA_ONS_CODE]
        if ssda903_previous is not None:
            previous = _write_csvs(folder / "ssda903_previous", ssda903_previous)
            command += ["--ssda903-previous", str(previous)]

        timeout = settings.PODS_VALIDATORS_TIMEOUT_SECONDS
        try:
            finished = subprocess.run(  # nosec B603  # fixed argv of our own script, no shell
                command, cwd=folder, capture_output=True, timeout=timeout, check=False
            )
        except subprocess.TimeoutExpired as exc:
            raise ValidatorsFailed(
                TIMED_OUT.format(seconds=timeout, stderr=_last_lines(exc.stderr))
            ) from None
        if finished.returncode == _EXIT_UNSUPPORTED_YEAR:
            raise UnsupportedYear(_last_lines(finished.stderr))
        if finished.returncode != 0 or not out.exists():
            raise ValidatorsFailed(
                CRASHED.format(status=finished.returncode, stderr=_last_lines(finished.stderr))
            )
        results = json.loads(out.read_text(encoding="utf-8"))
    return _validation_from(results)


def _write_csvs(folder: Path, files: dict[str, bytes]) -> Path:
    folder.mkdir()
    for number, (name, content) in enumerate(sorted(files.items())):
        # Only the last part of a name, and always ".csv" (the validator refuses other endings).
        stem = Path(name).stem.replace(".", "_") or f"table{number}"
        (folder / f"{number:02d}_{stem}.csv").write_bytes(content)
    return folder


def _last_lines(stderr: bytes | str | None) -> str:
    if not stderr:
        return "(nothing on stderr)"
    if isinstance(stderr, bytes):
        stderr = stderr.decode("utf-8", errors="replace")
    return "\n".join(stderr.strip().splitlines()[-_STDERR_LINES_KEPT:])


def _issue(raw: dict) -> Issue:
    return Issue(
        rule=raw["rule"],
        kind=raw["kind"],
        message=raw.get("message"),
        child=raw.get("child"),
        table=raw.get("table"),
        columns=tuple(raw.get("columns") or ()),
        row=raw.get("row"),
    )


def _validation_from(results: dict) -> Validation:
    cin = results.get("cin") or {}
    ssda903 = results.get("ssda903") or {}
    failed = [
        FailedRule(collection=name, rule=raw["rule"], error=raw["error"])
        for name, part in (("cin", cin), ("ssda903", ssda903))
        for raw in part.get("failed", [])
    ]
    rulesets = {
        name: part["ruleset"] for name, part in (("cin", cin), ("ssda903", ssda903)) if part
    }
    return Validation(
        cin_issues=tuple(_issue(raw) for raw in cin.get("issues", [])),
        ssda903_issues=tuple(_issue(raw) for raw in ssda903.get("issues", [])),
        return_issues=tuple(_issue(raw) for raw in cin.get("return_issues", [])),
        skipped=tuple(ssda903.get("skipped", [])),
        failed=tuple(failed),
        versions=dict(results.get("versions") or {}),
        rulesets=rulesets,
    )


__all__ = [
    "FailedRule",
    "Issue",
    "UnsupportedYear",
    "Validation",
    "ValidatorsFailed",
    "validate",
]

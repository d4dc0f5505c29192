"""The DfE validators, run for real in their own virtualenv through reporting.returns.validation.

The fixtures are a hand-written CIN census (fixtures/cin_census.xml: two children) and the
eleven SSDA903 CSV files of two children looked after (fixtures/ssda903/, with last year's in
fixtures/ssda903_previous/). They validate with 0 errors; the only query left is CIN 2887Q,
which fires on any return with fewer than 8 "NONE" disability entries (spec §5). Each planted
error is one edit of those files, and must come back against the right child and rule.

These need `make validators` (`.venv-validators/`); each validator run takes 3 to 5 seconds.
"""

import subprocess
from pathlib import Path

import pytest

from reporting.returns.validation import (
    RUNNER,
    UnsupportedYear,
    Validation,
    ValidatorsFailed,
    validate,
)

FIXTURES = Path(__file__).with_name("fixtures")
CIN_XML = (FIXTURES / "cin_census.xml").read_bytes()

# What the clean fixtures are allowed to raise: queries only.
EXPECTED_CLEAN_QUERIES = {("2887Q", None)}
# Rules that cannot run on any input (spec §5): they land in "failed", never as issues.
ALWAYS_FAILING_903_RULES = {"231", "233"}
# Without Ofsted's provider lists the URN rules skip (spec §5), and 105 reads XML only.
URN_AND_XML_RULES_SKIPPED = {"1008", "219", "221", "224", "227", "228", "229", "105"}


def csv_folder(name: str) -> dict[str, bytes]:
    return {path.name: path.read_bytes() for path in sorted((FIXTURES / name).glob("*.csv"))}


def edited(files: dict[str, bytes], name: str, old: str, new: str) -> dict[str, bytes]:
    text = files[name].decode()
    assert text.count(old) == 1, f"{old!r} is not once in {name}"
    return {**files, name: text.replace(old, new).encode()}


def edited_cin(old: str, new: str) -> bytes:
    text = CIN_XML.decode()
    assert text.count(old) == 1, f"{old!r} is not once in the CIN fixture"
    return text.replace(old, new).encode()


def rules_against(issues, child):
    return {issue.rule for issue in issues if issue.child == child}


@pytest.fixture(scope="module")
def clean() -> Validation:
    return validate(
        year=2026,
        cin_xml=CIN_XML,
        ssda903=csv_folder("ssda903"),
        ssda903_previous=csv_folder("ssda903_previous"),
    )


def test_the_clean_fixtures_have_no_errors_in_either_return(clean):
    assert clean.errors == ()
    assert {(issue.rule, issue.child) for issue in clean.queries} == EXPECTED_CLEAN_QUERIES
    assert clean.rulesets == {"cin": "cin2025_26", "ssda903": "lac2025_26"}


def test_it_reports_the_pinned_versions(clean):
    assert clean.versions["csc-validator-be-cin"] == "0.1.13"
    assert clean.versions["csc-validator-be-903"] == "0.1.17"
    assert clean.versions["pandas"].startswith("1.5.")


def test_the_rules_that_raise_on_every_input_are_failed_not_issues(clean):
    assert {(f.collection, f.rule) for f in clean.failed} == {
        ("ssda903", rule) for rule in ALWAYS_FAILING_903_RULES
    }
    assert not {issue.rule for issue in clean.issues} & ALWAYS_FAILING_903_RULES
    assert set(clean.skipped) >= URN_AND_XML_RULES_SKIPPED


def test_a_cp_plan_starting_before_its_referral_is_an_error_against_that_child():
    cin_xml = edited_cin(
        "<CPPstartDate>2025-06-30</CPPstartDate>", "<CPPstartDate>2025-04-20</CPPstartDate>"
    )

    result = validate(year=2026, cin_xml=cin_xml, ssda903=None, ssda903_previous=None)

    # A rule comparing two tables flags a location in each: the plan and its referral.
    flagged = [i for i in result.cin_issues if i.rule == "1105"]
    assert {(i.child, i.kind, i.table, i.columns, i.row) for i in flagged} == {
        ("PODS0001", "error", "ChildProtectionPlans", ("CPPstartDate",), 0),
        ("PODS0001", "error", "CINdetails", ("CINreferralDate",), 0),
    }
    assert flagged[0].message == (
        "The child protection plan start date cannot be before the referral date"
    )
    # The plan no longer starts on an ICPC's date either; the other child is untouched.
    assert "2885" in rules_against(result.cin_issues, "PODS0001")
    assert rules_against(result.cin_issues, "PODS0002") == set()
    assert result.ssda903_issues == ()


def test_an_icpc_on_a_sunday_is_an_error_against_that_child():
    cin_xml = edited_cin(
        "<S47ActualStartDate>2025-06-12</S47ActualStartDate>\n"
        "          <InitialCPCtarget>2025-07-02</InitialCPCtarget>\n"
        "          <DateOfInitialCPC>2025-06-30</DateOfInitialCPC>",
        "<S47ActualStartDate>2025-06-12</S47ActualStartDate>\n"
        "          <InitialCPCtarget>2025-07-02</InitialCPCtarget>\n"
        "          <DateOfInitialCPC>2025-06-29</DateOfInitialCPC>",
    )

    result = validate(year=2026, cin_xml=cin_xml, ssda903=None, ssda903_previous=None)

    assert {"8875", "2885"} <= rules_against(result.cin_issues, "PODS0001")
    assert {i.table for i in result.cin_issues if i.rule == "8875"} == {"Section47"}


def test_a_girl_looked_after_with_no_mother_field_is_an_error_on_her_header_row():
    ssda903 = edited(
        csv_folder("ssda903"),
        "header.csv",
        "PODS0004,F,12/09/2017,BCRB,B846251077777,0,",
        "PODS0004,F,12/09/2017,BCRB,B846251077777,,",
    )

    result = validate(year=2026, cin_xml=None, ssda903=ssda903, ssda903_previous=None)

    (issue,) = result.ssda903_issues
    assert (issue.rule, issue.kind, issue.child) == ("393", "error", "PODS0004")
    assert (issue.table, issue.row, issue.columns) == ("Header", 1, ("MOTHER",))
    assert issue.message == "Child is looked after but mother field is not completed."
    assert result.cin_issues == ()


def test_a_legal_status_outside_the_list_is_an_error_on_that_episode():
    ssda903 = edited(
        csv_folder("ssda903"),
        "episodes.csv",
        "PODS0004,15/07/2025,S,C2,",
        "PODS0004,15/07/2025,S,C9,",
    )

    result = validate(year=2026, cin_xml=None, ssda903=ssda903, ssda903_previous=None)

    (issue,) = [i for i in result.ssda903_issues if i.rule == "144"]
    assert (issue.child, issue.table, issue.row) == ("PODS0004", "Episodes", 1)
    assert issue.columns == ("LS",)


def test_an_episode_with_no_legal_status_is_not_flagged_by_the_validator():
    """A finding, pinned so that it is noticed if a release changes it: 903/144 accepts a blank
    LS, and no other 2025/26 rule requires one. Pods must require the legal status itself."""
    ssda903 = edited(
        csv_folder("ssda903"),
        "episodes.csv",
        "PODS0004,15/07/2025,S,C2,",
        "PODS0004,15/07/2025,S,,",
    )

    result = validate(year=2026, cin_xml=None, ssda903=ssda903, ssda903_previous=None)

    assert result.errors == ()


def test_a_postcode_that_does_not_exist_is_an_error_on_that_episode():
    ssda903 = edited(csv_folder("ssda903"), "episodes.csv", "BN1 1AE", "BN1 9ZZ")

    result = validate(year=2026, cin_xml=None, ssda903=ssda903, ssda903_previous=None)

    assert "392c" in rules_against(result.ssda903_issues, "PODS0004")
    assert rules_against(result.ssda903_issues, "PODS0003") == set()


def test_last_years_open_episode_must_carry_on_this_year():
    """Given last year's files, the year-on-year rules run: PODS0003's episode open at
    31 March 2025 is not this year's first episode when its start date is changed."""
    ssda903 = edited(
        csv_folder("ssda903"), "episodes.csv", "PODS0003,10/02/2023,", "PODS0003,11/02/2023,"
    )
    previous = csv_folder("ssda903_previous")

    without_last_year = validate(year=2026, cin_xml=None, ssda903=ssda903, ssda903_previous=None)
    with_last_year = validate(year=2026, cin_xml=None, ssda903=ssda903, ssda903_previous=previous)

    assert "502" not in rules_against(without_last_year.ssda903_issues, "PODS0003")
    assert "502" in rules_against(with_last_year.ssda903_issues, "PODS0003")


@pytest.mark.parametrize("fixture", ["cin_census.xml", "cin_reader_variety.xml"])
def test_the_runners_cin_reader_makes_exactly_the_validators_own_tables(settings, fixture):
    """runner.py reads the CIN XML with its own linear copy of the validator's (quadratic)
    reader; on every shape of block the two must give equal tables."""
    check = subprocess.run(  # noqa: S603
        [settings.PODS_VALIDATORS_PYTHON, "-I", RUNNER, "--check-reader", FIXTURES / fixture],
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert check.returncode == 0, check.stderr[-2000:]


def test_a_year_with_no_pinned_ruleset_is_refused():
    with pytest.raises(UnsupportedYear, match="2027"):
        validate(year=2027, cin_xml=CIN_XML, ssda903=None, ssda903_previous=None)


def test_a_file_the_validator_cannot_read_raises_validators_failed_with_its_last_words():
    with pytest.raises(ValidatorsFailed, match="exit status 1") as failure:
        validate(year=2026, cin_xml=b"<Message><Header>", ssda903=None, ssda903_previous=None)
    assert "ParseError" in str(failure.value)


def test_a_runner_that_takes_too_long_is_stopped(settings):
    settings.PODS_VALIDATORS_TIMEOUT_SECONDS = 0.2

    with pytest.raises(ValidatorsFailed, match="longer than 0.2 seconds"):
        validate(year=2026, cin_xml=CIN_XML, ssda903=None, ssda903_previous=None)


def test_validators_not_installed_says_how_to_install_them(settings, tmp_path):
    settings.PODS_VALIDATORS_PYTHON = tmp_path / "no-such-venv/bin/python"

    with pytest.raises(ValidatorsFailed, match="make validators"):
        validate(year=2026, cin_xml=CIN_XML, ssda903=None, ssda903_previous=None)


def test_a_rule_that_says_it_may_be_a_false_positive_is_a_query_not_an_error():
    """1002 ("no previous episodes of care, so no care leaver information") says itself that
    it "may generate false positives if a child had episodes prior to last year's collection":
    a care leaver whose care ended before last year is flagged, as a query to confirm."""
    ssda903 = edited(
        csv_folder("ssda903"), "header.csv", "PODS0004,F,12/09/2017,BCRB,B846251077777,0,\n",
        "PODS0004,F,12/09/2017,BCRB,B846251077777,0,\nPODS0009,M,02/05/2006,WBRI,UN1,,\n",
    )  # fmt: skip
    ssda903 = edited(
        ssda903, "oc3.csv", "CHILD,DOB,IN_TOUCH,ACTIV,ACCOM\n",
        "CHILD,DOB,IN_TOUCH,ACTIV,ACCOM\nPODS0009,02/05/2006,YES,F2,U1\n",
    )  # fmt: skip
    result = validate(
        year=2026, cin_xml=None, ssda903=ssda903, ssda903_previous=csv_folder("ssda903_previous")
    )
    flagged = [issue for issue in result.ssda903_issues if issue.rule == "1002"]
    assert flagged and {issue.child for issue in flagged} == {"PODS0009"}
    assert {issue.kind for issue in flagged} == {"query"}
    assert "1002" not in {issue.rule for issue in result.errors}


def test_624_for_a_care_leaver_whose_mothers_details_628_bars_is_a_query_saying_why():
    """A care leaver not looked after this year, who was a mother last year: 628 requires her
    MOTHER blank, 612 then her MC_DOB blank, and 624 flags the blank as contradicting last
    year's date. No record could pass all three, so 624 is a query there; for a girl looked
    after this year it stays an error."""
    ssda903 = edited(
        csv_folder("ssda903"), "header.csv", "PODS0004,F,12/09/2017,BCRB,B846251077777,0,\n",
        "PODS0004,F,12/09/2017,BCRB,B846251077777,0,\nPODS0009,F,02/05/2006,WBRI,UN1,,\n",
    )  # fmt: skip
    ssda903 = edited(
        ssda903, "oc3.csv", "CHILD,DOB,IN_TOUCH,ACTIV,ACCOM\n",
        "CHILD,DOB,IN_TOUCH,ACTIV,ACCOM\nPODS0009,02/05/2006,YES,F2,U1\n",
    )  # fmt: skip
    boy = "PODS0003,M,01/06/2014,WBRI,T846251099887,,\n"
    previous = edited(
        csv_folder("ssda903_previous"), "header.csv", boy,
        boy + "PODS0009,F,02/05/2006,WBRI,UN1,1,03/03/2024\n"
        "PODS0004,F,12/09/2017,BCRB,B846251077777,1,01/01/2025\n",
    )  # fmt: skip

    result = validate(year=2026, cin_xml=None, ssda903=ssda903, ssda903_previous=previous)

    flagged = {issue.child: issue for issue in result.ssda903_issues if issue.rule == "624"}
    assert set(flagged) == {"PODS0004", "PODS0009"}
    assert flagged["PODS0009"].kind == "query"
    assert "rules 628 and 612 require MOTHER and MC_DOB to be blank" in flagged["PODS0009"].message
    assert flagged["PODS0004"].kind == "error", "looked after this year: her record can say"
    assert {"628", "612"}.isdisjoint(rules_against(result.errors, "PODS0009"))

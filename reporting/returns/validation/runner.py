"""Run the DfE's validators (as coded by Data to Insight) on a built CIN census and SSDA903 return.

This script runs under the validators' own python (``.venv-validators/bin/python``, made by
``make validators``), never under the app's: the validators pin pandas 1.5 / numpy 1.24. So it
must not import Django or anything of Pods; the app calls it as a subprocess from
``reporting/returns/validation/__init__.py`` and reads the JSON it writes.

    runner.py --year 2026 --la E06000043 [--cin census.xml] [--ssda903 DIR]
              [--ssda903-previous DIR] --out results.json

``--ssda903`` and ``--ssda903-previous`` are folders of CSV files (this year's eleven, and last
year's, given to the validator as "Prev year" so that the year-on-year rules run). The 903
validator recognises each table by its columns, not its file name; every file must end ".csv".

``runner.py --check-reader FILE.xml`` only checks that this script's CIN reader (linear; the
validator's own is quadratic in children) makes exactly the validator's tables for FILE.xml.
Measured on synthetic returns of 40,000 children on this machine: CIN 37 s and 295 MB peak
RSS; SSDA903 (eleven CSV files) 112 s and 369 MB.

The JSON written::

    {"cin": {"issues": [ISSUE...], "return_issues": [{"rule", "kind", "message"}...],
             "failed": [{"rule", "error"}...], "ruleset": "cin2025_26"} | null,
     "ssda903": {"issues": [ISSUE...], "skipped": ["rule"...], "failed": [{"rule", "error"}...],
                 "ruleset": "lac2025_26"} | null,
     "versions": {"csc-validator-be-cin": ..., "csc-validator-be-903": ..., "pandas": ..., ...}}

where ISSUE is ``{"rule", "kind": "error"|"query", "child", "table", "columns", "row", "message"}``
and ``row`` is the 0-based position of the row in that table (for the 903, the data row of the
CSV file, header line not counted; for the CIN, the row of the validator's table built from the
XML, e.g. the n-th <CINdetails> of the whole file), or null when the validator gives none.

Kinds: CIN rules carry their own type (``RuleType.ERROR`` / ``QUERY``; query codes end in Q).
903 rules carry no type at all, and none of the 316 lac2025_26 codes ends in Q, so a 903 flag
is reported as an "error", except where the rule's own message says it may be a false positive
because the tool sees only this year and last (199, 1000, 1001, 1002: "[NOTE: This tool can only
test the current and previous year data loaded into the tool ...]"): those are "query", a
fact to confirm against the child's older records, as the rule itself asks. And 624 is a query
for a care leaver not looked after this year, for whom 628 and 612 require the very blanks 624
flags (see ``CONFLICTS_WITH_628``).

Rulesets: only the collection year these validators were pinned for is accepted (year 2026:
cin2025_26 and lac2025_26). Another year exits with status 3 and a message, rather than silently
running another year's rules: the pinned cin2026_27 package folder is an empty stub that inherits
cin2024_25, not 2025/26, so "the next folder along" would be wrong. Pinning newer releases of
both packages is how a new year is added (a line in RULESETS).
"""

import argparse
import contextlib
import io
import json
import logging
import math
import re
import sys
import warnings
import xml.etree.ElementTree as ET  # noqa: S405  # nosec B405  # only files the app built
from importlib import import_module
from importlib import metadata as importlib_metadata
from pathlib import Path

# The 903 package calls logging.basicConfig(level=INFO) on import and then logs every rule it
# runs; configuring the root logger first makes that call a no-op and keeps stderr for what
# matters (the app shows stderr's last lines when this script fails).
logging.basicConfig(level=logging.WARNING, stream=sys.stderr, format="%(name)s: %(message)s")
warnings.simplefilter("ignore", FutureWarning)

RULESETS = {2026: {"cin": "cin2025_26", "ssda903": "lac2025_26"}}

EXIT_UNSUPPORTED_YEAR = 3


class UnsupportedYear(Exception):
    pass


def rulesets_for(year):
    try:
        return RULESETS[year]
    except KeyError:
        pinned = ", ".join(str(y) for y in sorted(RULESETS))
        raise UnsupportedYear(
            f"No validator ruleset is pinned for the collection year ending in {year} "
            f"(pinned: {pinned})."
        ) from None


def _only_as_far_as_last_year(rule) -> bool:
    """The rule says itself that it may flag a child wrongly for want of older years' data."""
    return "current and previous year data" in (getattr(rule, "message", "") or "").lower()


# 903/624 flags a mother's first child's date of birth that differs from last year's, a blank
# included. For a care leaver not looked after this year (in OC3, with no episode), 628 requires
# MOTHER blank and 612 then requires MC_DOB blank: the three cannot all pass. For those children
# 624 is reported as a query, with why, rather than an error no record could put right.
CONFLICTS_WITH_628 = (
    " [Pods: for a care leaver not looked after this year, rules 628 and 612 require MOTHER and"
    " MC_DOB to be blank, so this rule cannot pass. Check that last year's date was right.]"
)


def _mothers_details_barred(frames) -> set:
    """The children whose MOTHER rule 628 requires blank: in the Header, in no episode, with
    any of OC3's IN_TOUCH, ACTIV or ACCOM given (as 628 itself selects them)."""
    header, episodes, oc3 = (frames.get(name) for name in ("Header", "Episodes", "OC3"))
    if header is None or episodes is None or oc3 is None:
        return set()
    answered = oc3[oc3[["IN_TOUCH", "ACTIV", "ACCOM"]].notna().any(axis=1)]
    barred = set(header["CHILD"].dropna()) - set(episodes["CHILD"].dropna())
    return barred & set(answered["CHILD"].dropna())


def _text_or_none(value):
    """The validators' frames hold NaN/NA/NaT for missing values; JSON wants null or text."""
    if value is None:
        return None
    try:
        import pandas as pd

        if pd.isna(value):
            return None
    except (TypeError, ValueError):
        pass
    return str(value)


def _row_or_none(value):
    if value is None:
        return None
    try:
        number = float(value)
    except (TypeError, ValueError):
        return None
    if math.isnan(number):
        return None
    return int(number)


# ---------------------------------------------------------------------------------------------
# CIN census
# ---------------------------------------------------------------------------------------------


CIN_TABLES = [
    "Header",
    "ChildIdentifiers",
    "ChildCharacteristics",
    "ChildProtectionPlans",
    "CINdetails",
    "CINplanDates",
    "Reviews",
    "Section47",
    "Assessments",
    "AssessmentFactorsList",
    "Disabilities",
]


def read_cin_tables_as_the_validator_does(path):
    """The validator's own reader (``cin_validator.ingress.XMLtoCSV``): quadratic in children."""
    from cin_validator.cin_validator import convert_data, process_data

    return process_data(convert_data(ET.parse(path).getroot()))  # noqa: S314  # nosec B314


class _CinReader:
    """The CIN validator's tables from the XML, as ``cin_validator.ingress.XMLtoCSV`` makes them.

    XMLtoCSV grows every table with one ``pd.concat`` per child and per block: about 14 ms a
    child whatever the file's size, so 40,000 children take over nine minutes before a rule
    runs. This walks the same elements in the same order, with the same ``get_values`` and the
    same ids (CINdetailsID, AssessmentID and CPPID count from 1 within a child), collects plain
    rows and makes each table with one concat onto XMLtoCSV's own empty table. ``--check-reader``
    compares the two readers on a file (the tests do, on a file with every kind of block).
    """

    def __init__(self):
        from cin_validator.ingress import XMLtoCSV
        from cin_validator.utils import get_values

        self.templates = {name: getattr(XMLtoCSV, name) for name in CIN_TABLES}
        self.elements = {
            name: [c for c in table.columns if c not in XMLtoCSV.id_cols]
            for name, table in self.templates.items()
        }
        self.get_values = get_values
        self.header_table = None
        self.rows = {name: [] for name in CIN_TABLES if name != "Header"}

    def header(self, element):
        from cin_validator.ingress import XMLtoCSV

        # create_Header does not use its instance.
        self.header_table = XMLtoCSV.create_Header(None, element)

    def child(self, child):
        identifiers = self.get_values(
            self.templates["ChildIdentifiers"].columns, {}, child.find("ChildIdentifiers")
        )
        self.rows["ChildIdentifiers"].append(identifiers)
        child_id = identifiers.get("LAchildID", pd_na())

        characteristics = child.find("ChildCharacteristics")
        if characteristics is None:
            raise ValueError(f"Child {child_id} has no <ChildCharacteristics>.")
        self.rows["ChildCharacteristics"].append(
            self.get_values(
                self.elements["ChildCharacteristics"], {"LAchildID": child_id}, characteristics
            )
        )
        disabilities = characteristics.find("Disabilities")
        if disabilities is not None:
            for disability in disabilities:
                self.rows["Disabilities"].append(
                    {"LAchildID": child_id, "Disability": disability.text}
                )

        cin_details_id = 0
        for cin_detail in child.findall("CINdetails"):
            cin_details_id += 1
            ids = {"LAchildID": child_id, "CINdetailsID": cin_details_id}
            self.rows["CINdetails"].append(
                self.get_values(self.elements["CINdetails"], dict(ids), cin_detail)
            )
            self.assessments(cin_detail, ids)
            for block in cin_detail.findall("CINPlanDates"):
                self.rows["CINplanDates"].append(
                    self.get_values(self.elements["CINplanDates"], dict(ids), block)
                )
            for block in cin_detail.findall("Section47"):
                self.rows["Section47"].append(
                    self.get_values(self.elements["Section47"], dict(ids), block)
                )
            self.plans(cin_detail, ids)
        # XMLtoCSV also looks for plans and reviews directly under <Child>, with the last
        # CINdetailsID; a valid file has none there, but read them as it does.
        plans = self.plans(child, {"LAchildID": child_id, "CINdetailsID": cin_details_id})
        for review in child.findall("Reviews[CPPreviewDate]"):
            self.rows["Reviews"].append(
                self.get_values(
                    ["CPPreviewDate"],
                    {"LAchildID": child_id, "CINdetailsID": cin_details_id, "CPPID": plans},
                    review,
                )
            )

    def assessments(self, cin_detail, ids):
        for assessment_id, assessment in enumerate(cin_detail.findall("Assessments"), start=1):
            assessment_ids = {**ids, "AssessmentID": assessment_id}
            row = self.get_values(self.elements["Assessments"], dict(assessment_ids), assessment)
            factors = assessment.find("FactorsIdentifiedAtAssessment")
            if factors is not None and len(factors) != 0:
                texts = []
                for factor in factors:
                    self.rows["AssessmentFactorsList"].append(
                        {**assessment_ids, "AssessmentFactor": factor.text}
                    )
                    texts.append(factor.text)
                row["AssessmentFactors"] = texts
            self.rows["Assessments"].append(row)

    def plans(self, parent, ids):
        plan_id = 0
        for plan in parent.findall("ChildProtectionPlans"):
            plan_id += 1
            plan_ids = {**ids, "CPPID": plan_id}
            self.rows["ChildProtectionPlans"].append(
                self.get_values(self.elements["ChildProtectionPlans"], dict(plan_ids), plan)
            )
            for review in plan.findall("Reviews[CPPreviewDate]"):
                self.rows["Reviews"].append(
                    self.get_values(["CPPreviewDate"], dict(plan_ids), review)
                )
        return plan_id

    def tables(self):
        import pandas as pd

        tables = {"Header": self.header_table}
        for name, rows in self.rows.items():
            template = self.templates[name]
            tables[name] = (
                pd.concat([template, pd.DataFrame(rows)], ignore_index=True)
                if rows
                else template.copy()
            )
        return tables


def pd_na():
    import pandas as pd

    return pd.NA


def read_cin_tables(path):
    """The CIN validator's tables for the XML at ``path``, read one child at a time."""
    from cin_validator.cin_validator import process_data

    reader = _CinReader()
    children = None  # the file's <Children>, which the parser fills as it reads
    for event, element in ET.iterparse(path, events=("start", "end")):  # noqa: S314  # nosec B314
        if event == "start":
            if element.tag == "Children" and children is None:
                children = element
            continue
        if element.tag == "Header" and reader.header_table is None:
            reader.header(element)
        elif element.tag == "Child" and children is not None:
            reader.child(element)
            # iterparse reads ahead: <Children> may already hold the next, half-read child,
            # so take out only this one, to free it.
            children.remove(element)
    if reader.header_table is None or children is None:
        raise ValueError("The CIN census has no <Header> or no <Children>.")
    return process_data(reader.tables())


def check_reader(path):
    """Exit 0 when read_cin_tables gives exactly the validator's own tables for ``path``."""
    import pandas as pd

    theirs = read_cin_tables_as_the_validator_does(path)
    ours = read_cin_tables(path)
    for name in CIN_TABLES:
        pd.testing.assert_frame_equal(ours[name], theirs[name], obj=name)
    return 0


def validate_cin(path, year):
    from cin_validator.cin_validator import CinValidator

    ruleset = rulesets_for(year)["cin"]
    registry = import_module(f"cin_validator.rules.{ruleset}").registry
    tables = read_cin_tables(path)

    # The validator prints "Error with rule R: Type, message" for a rule that raises, and
    # carries on; those rules checked nothing, so they are reported as failed.
    printed = io.StringIO()
    with contextlib.redirect_stdout(printed):
        validator = CinValidator(tables, registry)
    failed = [
        {"rule": m.group(1), "error": m.group(2)}
        for m in re.finditer(r"^Error with rule (\S+): (.*)$", printed.getvalue(), re.M)
    ]

    def kind_of(code):
        rule = registry.get(str(code))
        return "query" if rule is not None and rule.rule_type.name == "QUERY" else "error"

    def message_of(code):
        rule = registry.get(str(code))
        return rule.message if rule is not None else None

    grouped = {}
    for record in validator.full_issue_df.to_dict("records"):
        code = str(record["rule_code"])
        key = (
            code,
            _text_or_none(record.get("child_id")),
            _text_or_none(record.get("tables_affected")),
            _row_or_none(record.get("row_id")),
        )
        issue = grouped.get(key)
        if issue is None:
            issue = grouped[key] = {
                "rule": code,
                "kind": kind_of(code),
                "child": key[1],
                "table": key[2],
                "columns": [],
                "row": key[3],
                "message": message_of(code),
            }
        column = _text_or_none(record.get("columns_affected"))
        if column is not None and column not in issue["columns"]:
            issue["columns"].append(column)

    return_issues = []
    seen = set()
    for record in validator.multichild_issues.to_dict("records"):
        code = str(record["rule_code"])
        if code in seen:
            continue
        seen.add(code)
        return_issues.append({"rule": code, "kind": kind_of(code), "message": message_of(code)})

    return {
        "issues": sorted(grouped.values(), key=_issue_order),
        "return_issues": sorted(return_issues, key=lambda i: i["rule"]),
        "failed": failed,
        "ruleset": ruleset,
    }


# ---------------------------------------------------------------------------------------------
# SSDA903
# ---------------------------------------------------------------------------------------------


class _FailedRuleRecorder(logging.Handler):
    """Keeps the exception of each 903 rule that raised (the validator logs it and carries on)."""

    def __init__(self):
        super().__init__(level=logging.ERROR)
        self.errors = {}

    def emit(self, record):
        match = re.match(r"Rule code (\S+) failed to run", record.getMessage())
        if match and record.exc_info:
            exc = record.exc_info[1]
            self.errors[match.group(1)] = f"{type(exc).__name__}: {exc}"


def _csv_files(folder, description):
    files = sorted(p for p in Path(folder).iterdir() if p.is_file())
    not_csv = [p.name for p in files if p.suffix.lower() != ".csv"]
    if not_csv:
        raise ValueError(f"Not CSV files in {folder}: {', '.join(not_csv)}")
    if not files:
        raise ValueError(f"No CSV files in {folder}")
    return [
        {"name": p.name, "description": description, "file_content": p.read_bytes()} for p in files
    ]


def validate_ssda903(folder, previous_folder, year, la):
    from lac_validator.lac_validator import LacValidator

    ruleset = rulesets_for(year)["ssda903"]
    registry = import_module(f"lac_validator.rules.{ruleset}").registry
    files = _csv_files(folder, "This year")
    if previous_folder:
        files += _csv_files(previous_folder, "Prev year")

    recorder = _FailedRuleRecorder()
    validator_logger = logging.getLogger("lac_validator.lac_validator")
    validator_logger.addHandler(recorder)
    validator_logger.propagate = False
    try:
        # Some 903 rules print their working to stdout; keep it out of the way, with the logs.
        with contextlib.redirect_stdout(sys.stderr):
            validator = LacValidator(
                metadata={"collectionYear": str(year), "localAuthority": la},
                files=files,
                registry=registry,
            )
    finally:
        validator_logger.removeHandler(recorder)
        validator_logger.propagate = True
    del files

    barred = _mothers_details_barred(validator.ds_results)
    issues = []
    for table, frame in validator.ds_results.items():
        if table == "metadata":
            continue
        for column in frame.columns:
            if not column.startswith("ERR_"):
                continue
            code = column[4:]
            rule = registry.get(code)
            fields = [f for f in (rule.affected_fields or []) if f in frame.columns]
            flagged = frame.index[frame[column].eq(True)]
            children = frame.loc[flagged, "CHILD"] if "CHILD" in frame.columns else None
            kind = "query" if _only_as_far_as_last_year(rule) else "error"
            message = rule.message if rule is not None else None
            for row in flagged:
                child = None if children is None else _text_or_none(children[row])
                issue = {
                    "rule": code,
                    "kind": kind,
                    "child": child,
                    "table": table,
                    "columns": fields,
                    "row": _row_or_none(row),
                    "message": message,
                }
                if code == "624" and child in barred:
                    issue.update(kind="query", message=(message or "") + CONFLICTS_WITH_628)
                issues.append(issue)

    return {
        "issues": sorted(issues, key=_issue_order),
        "skipped": sorted(str(code) for code in validator.skips),
        "failed": [
            {"rule": str(code), "error": recorder.errors.get(str(code), "raised")}
            for code in validator.fails
        ],
        "ruleset": ruleset,
    }


# ---------------------------------------------------------------------------------------------


def _issue_order(issue):
    return (issue["child"] or "", issue["rule"], issue["table"] or "", issue["row"] or -1)


def versions():
    names = ["csc-validator-be-cin", "csc-validator-be-903", "pandas", "numpy"]
    found = {name: importlib_metadata.version(name) for name in names}
    found["python"] = sys.version.split()[0]
    return found


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--cin", type=Path, help="the CIN census XML")
    parser.add_argument("--ssda903", type=Path, help="folder of this year's SSDA903 CSV files")
    parser.add_argument(
        "--ssda903-previous", type=Path, help="folder of last year's SSDA903 CSV files"
    )
    parser.add_argument("--year", type=int, help="the collection year's end, e.g. 2026")
    parser.add_argument(
        "--la", default="", help="the authority's long code, e.g. E06000043 (903 only)"
    )
    parser.add_argument("--out", type=Path, help="where to write the JSON")
    parser.add_argument(
        "--check-reader",
        type=Path,
        metavar="FILE.xml",
        help="only compare this script's CIN reader with the validator's on FILE.xml",
    )
    args = parser.parse_args(argv)
    if args.check_reader:
        return check_reader(args.check_reader)
    if not args.out:
        parser.error("--out is required")
    if not args.year:
        parser.error("--year is required")
    if args.ssda903_previous and not args.ssda903:
        parser.error("--ssda903-previous needs --ssda903")
    if args.ssda903 and not args.la:
        parser.error("--ssda903 needs --la (placements in or out of the authority)")

    try:
        rulesets_for(args.year)
    except UnsupportedYear as exc:
        print(exc, file=sys.stderr)
        return EXIT_UNSUPPORTED_YEAR

    result = {
        "cin": validate_cin(args.cin, args.year) if args.cin else None,
        "ssda903": (
            validate_ssda903(args.ssda903, args.ssda903_previous, args.year, args.la)
            if args.ssda903
            else None
        ),
        "versions": versions(),
    }
    args.out.write_text(json.dumps(result, indent=1), encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())

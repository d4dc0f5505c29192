"""The headline figures of built returns, read back from the files themselves: how many
children each return holds, and the three figures at 31 March that must equal the KPI
registry's (children in need, on a child protection plan, looked after).

Ends are inclusive, as everywhere in Pods: a child whose episode or plan ends on 31 March was
still in need, or on the plan, that day. A looked-after episode's DEC is the day after the last
day of care and is left blank when that falls after 31 March, so a blank DEC is "looked after
at 31 March"."""

from __future__ import annotations

import csv
import datetime
import io
import xml.etree.ElementTree as ET  # nosec B405: reads only the XML Pods itself built


def _day(text: str | None) -> datetime.date | None:
    return datetime.date.fromisoformat(text) if text else None


def cin_counts(xml: bytes) -> dict[str, int]:
    root = ET.fromstring(xml)  # nosec B314: our own output, never a user's upload
    reference = _day(root.findtext("Header/CollectionDetails/ReferenceDate"))
    children = root.findall("Children/Child")
    in_need = on_plan = 0
    for child in children:
        open_at_end = False
        plan_at_end = False
        for details in child.findall("CINdetails"):
            closed = _day(details.findtext("CINclosureDate"))
            if closed is None or closed >= reference:
                open_at_end = True
            for plan in details.findall("ChildProtectionPlans"):
                ended = _day(plan.findtext("CPPendDate"))
                started = _day(plan.findtext("CPPstartDate"))
                if started <= reference and (ended is None or ended >= reference):
                    plan_at_end = True
        in_need += open_at_end
        on_plan += plan_at_end
    return {"children": len(children), "in_need_at_end": in_need, "cp_at_end": on_plan}


def _rows(files: dict[str, bytes], name: str) -> list[dict[str, str]]:
    content = files.get(name, b"")
    return list(csv.DictReader(io.StringIO(content.decode("utf-8"))))


def ssda903_counts(files: dict[str, bytes]) -> dict[str, int]:
    episodes = _rows(files, "episodes.csv")
    counts = {
        f"{name.removesuffix('.csv')}_rows": len(_rows(files, name)) for name in sorted(files)
    }
    counts["children"] = len(_rows(files, "header.csv"))
    counts["looked_after_at_end"] = len({row["CHILD"] for row in episodes if not row["DEC"]})
    return counts

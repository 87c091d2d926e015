"""JUnit XML for CI systems that show test reports: one test case per gate check."""

from __future__ import annotations

from collections.abc import Sequence
from xml.etree import ElementTree as ET

from aims.findings import Finding


def render_junit(
    findings: Sequence[Finding], failing: Sequence[Finding], *, suite: str = "aims check"
) -> str:
    """A JUnit report: each failing finding is a failed test case, others pass (or are skipped
    when suppressed), and an empty gate is one passing case so the report is never empty."""
    failing_ids = {id(f) for f in failing}
    root = ET.Element("testsuites", name=suite)
    cases = []
    failures = skipped = 0
    for f in findings:
        case = ET.Element(
            "testcase",
            classname=f"aims.{f.rule_id}",
            name=f"{f.rule_name} at {f.primary}",
            file=f.primary.path,
        )
        if f.primary.line:
            case.set("line", str(f.primary.line))
        if id(f) in failing_ids:
            failures += 1
            failure = ET.SubElement(case, "failure", message=f.message, type=f.severity.value)
            failure.text = f"{f.rule_id} {f.rule_name} ({f.severity}) at {f.primary}\n{f.message}"
        elif f.suppression is not None:
            skipped += 1
            ET.SubElement(
                case,
                "skipped",
                message=f"suppressed ({f.suppression.source}): {f.suppression.reason}",
            )
        cases.append(case)
    if not cases:
        cases.append(ET.Element("testcase", classname="aims.gate", name="policy gate"))
    suite_el = ET.SubElement(
        root,
        "testsuite",
        name=suite,
        tests=str(len(cases)),
        failures=str(failures),
        skipped=str(skipped),
        errors="0",
    )
    suite_el.extend(cases)
    root.set("tests", str(len(cases)))
    root.set("failures", str(failures))
    ET.indent(root)
    return '<?xml version="1.0" encoding="UTF-8"?>\n' + ET.tostring(root, encoding="unicode") + "\n"

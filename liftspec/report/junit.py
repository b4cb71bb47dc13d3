"""JUnit XML: one test suite per file, one failing test case per finding, one passing case per clean file."""

from __future__ import annotations

import xml.etree.ElementTree as ET
from collections import defaultdict

from liftspec.diagnostics import Diagnostic


def render(diagnostics: list[Diagnostic], *, files: list[str]) -> str:
    by_file: dict[str, list[Diagnostic]] = defaultdict(list)
    for d in diagnostics:
        by_file[d.file].append(d)
    names = list(dict.fromkeys([*files, *by_file]))
    total = sum(max(1, len(by_file[f])) for f in names)
    root = ET.Element("testsuites", {"name": "liftspec", "tests": str(total), "failures": str(len(diagnostics)), "errors": "0"})
    for file in names:
        found = by_file[file]
        suite = ET.SubElement(
            root,
            "testsuite",
            {"name": file, "tests": str(max(1, len(found))), "failures": str(len(found)), "errors": "0", "skipped": "0"},
        )
        if not found:
            ET.SubElement(suite, "testcase", {"classname": file, "name": "liftspec lint", "file": file})
            continue
        for d in found:
            env = f" [{d.env}]" if d.env else ""
            case = ET.SubElement(
                suite,
                "testcase",
                {"classname": file, "name": f"{d.id} {d.dotted_path() or '-'}{env}", "file": file, "line": str(d.line)},
            )
            failure = ET.SubElement(case, "failure", {"type": d.severity.value, "message": f"{d.id} {d.message}"})
            failure.text = f"{d.file}:{d.line}:{d.col}: {d.id} {d.message}{env}" + (f"\nhint: {d.hint}" if d.hint else "")
    ET.indent(root)
    return '<?xml version="1.0" encoding="UTF-8"?>\n' + ET.tostring(root, encoding="unicode") + "\n"

#!/usr/bin/env python3
"""Sums every TRX file below a folder into one line: "N passed, N failed, N skipped".

Exits 1 if anything failed or nothing passed. Skipped tests appear only as outcome="NotExecuted"
(the <Counters> element does not count them), so results are counted one by one.
"""
import collections
import glob
import sys
import xml.etree.ElementTree as ET

counts = collections.Counter()
for path in glob.glob(sys.argv[1] + "/**/*.trx", recursive=True):
    for result in ET.parse(path).getroot().findall(".//{*}UnitTestResult"):
        counts[result.get("outcome")] += 1
failed = sum(n for outcome, n in counts.items() if outcome not in ("Passed", "NotExecuted"))
print(f"{counts['Passed']} passed, {failed} failed, {counts['NotExecuted']} skipped")
sys.exit(1 if failed or counts["Passed"] == 0 else 0)

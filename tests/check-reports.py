#!/usr/bin/env python3
# SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
"""Checks that the harness's machine reports parse and agree with each
other: the --json report (a streaming writer can miss a bracket) and the
JUnit XML.  usage: check-reports.py REPORT.json REPORT.xml"""
import json
import sys
import xml.etree.ElementTree as ET


def main():
    rep = json.load(open(sys.argv[1]))
    suite = ET.parse(sys.argv[2]).getroot()
    scns = rep['scenarios']
    cases = suite.findall('testcase')
    failed = [s for s in scns if s['status'] != 'ok']
    problems = []
    if len(scns) != len(cases) or int(suite.get('tests')) != len(cases):
        problems.append('json has %d scenarios, junit %d testcases (%s)'
                        % (len(scns), len(cases), suite.get('tests')))
    junit_failed = sum(1 for c in cases if c.find('failure') is not None)
    if junit_failed != len(failed):
        problems.append('json has %d failed scenarios, junit %d'
                        % (len(failed), junit_failed))
    if sum(s['ops'] for s in scns) == 0:
        problems.append('no op ran')
    for p in problems:
        print('check-reports: ' + p)
    print('check-reports: %d scenarios, %d failed, json and junit agree'
          % (len(scns), len(failed)) if not problems else
          'check-reports: reports disagree')
    return 1 if problems else 0


if __name__ == '__main__':
    sys.exit(main())

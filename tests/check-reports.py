#!/usr/bin/env python3
# SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
"""Checks that the harness's machine reports parse and agree with each
other: the --json report (a streaming writer can miss a bracket) and the
JUnit XML, scenario by scenario and cell by cell of the type x command
matrix (program side included).  usage: check-reports.py REPORT.json
REPORT.xml"""
import json
import sys
import xml.etree.ElementTree as ET


def cell(c):
    """A matrix cell as the plain report and the JUnit properties say it."""
    if c['div']:
        return 'DIV %d' % c['div']
    return 'ok %d' % c['ok'] if c['ok'] else '-'


def matrix_problems(rep, suite):
    props = {p.get('name'): p.get('value')
             for p in suite.findall('properties/property')}
    cells = {'matrix/%s/%s' % (row, col): cell(c)
             for row, cols in rep['matrix'].items()
             for col, c in cols.items()}
    if not any(k.endswith('/prog') for k in cells):
        return ['json matrix has no prog column']
    return ['matrix %s: json %s, junit %s' % (k, v, props.get(k))
            for k, v in sorted(cells.items()) if props.get(k) != v] + \
        ['junit has matrix cell %s, json does not' % k
         for k in sorted(props) if k.startswith('matrix/') and k not in cells]


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
    problems += matrix_problems(rep, suite)
    for p in problems:
        print('check-reports: ' + p)
    print('check-reports: %d scenarios, %d failed, json and junit agree'
          % (len(scns), len(failed)) if not problems else
          'check-reports: reports disagree')
    return 1 if problems else 0


if __name__ == '__main__':
    sys.exit(main())

#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0-or-later
"""Normalize Prometheus text exposition samples so that a file and what
node_exporter serves from it compare equal: only the samples whose metric
name starts with PREFIX, labels sorted and unescaped, values as floats
(node_exporter re-encodes 2415919685 as 2.415919685e+09 and may reorder
labels). One sample per output line, sorted. Exits 1 on a line it cannot
parse. usage: promnorm.py PREFIX < exposition"""
import sys


def parse_labels(s, i):
    labels = []
    while s[i] != '}':
        j = s.index('=', i)
        name = s[i:j].strip().lstrip(',').strip()
        if s[j + 1] != '"':
            raise ValueError('label value not quoted')
        k, val = j + 2, []
        while s[k] != '"':
            if s[k] == '\\':
                nxt = s[k + 1]
                val.append({'n': '\n', '\\': '\\', '"': '"'}.get(nxt, '\\' + nxt))
                k += 2
            else:
                val.append(s[k])
                k += 1
        labels.append((name, ''.join(val)))
        i = k + 1
        while s[i] in ', ':
            i += 1
    return labels, i + 1


def main():
    prefix = sys.argv[1]
    out = []
    for line in sys.stdin:
        line = line.rstrip('\n')
        if not line or line.startswith('#') or not line.startswith(prefix):
            continue
        try:
            if '{' in line.split(' ')[0] or '{' in line[:line.find(' ')]:
                name = line[:line.index('{')]
                labels, i = parse_labels(line, line.index('{') + 1)
                rest = line[i:].split()
            else:
                name, rest, labels = line.split()[0], line.split()[1:], []
            value = float(rest[0])
        except (ValueError, IndexError) as e:
            print('cannot parse: %r (%s)' % (line, e), file=sys.stderr)
            sys.exit(1)
        out.append('%s{%s} %r' % (name, ','.join('%s=%r' % kv for kv in sorted(labels)), value))
    for o in sorted(out):
        print(o)


main()

#!/usr/bin/env python3
"""Checks the layout docs/architecture.md describes, and prints the figures it quotes:
 - no include runs back up the pipeline (a folder includes only folders at or before it);
 - no .cpp is longer than 600 lines, no function longer than 80 lines;
 - no model or workload name is compared as a string outside the registries.
Exit status 1 when a rule is broken.   python3 scripts/check-layout.py [--quiet]"""
import os, re, sys

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
ORDER = ['core/base', 'core/workload', 'core/trace', 'core/kernel', 'core/models', 'core/python', 'core/analysis',
         'core/formats', 'core/run', 'core/cli', 'ui/style', 'ui/tracks', 'ui/export', 'ui/panels', 'ui/windows',
         'app', 'app/commands']
RANK = {folder: i for i, folder in enumerate(ORDER)}
NAMES = ['processes', 'threads', 'async', 'table-loading', 'square-numbers', 'async-delay', 'mixed', 'native', 'cpython', 'dask']
REGISTRIES = {'core/models/registry.h', 'core/workload/builtins.h', 'core/models/registry.cpp', 'core/workload/workload.cpp'}


def sources():
    for top in ('core', 'ui', 'app'):
        for dirpath, _, files in os.walk(os.path.join(ROOT, top)):
            for f in sorted(files):
                if f.endswith(('.h', '.cpp')):
                    yield os.path.relpath(os.path.join(dirpath, f), ROOT)


def folder_of(path):
    return os.path.dirname(path)


def function_lengths(text):
    """Lengths of brace blocks that open a function body at column 0 ('{' alone on a line, WebKit style)."""
    lines = text.split('\n')
    out = []
    for i, line in enumerate(lines):
        if line == '{' and i > 0 and not lines[i - 1].startswith(('namespace', 'struct', 'class', 'enum', 'union')) \
                and not re.search(r'(=|\bstruct\b.*|\bclass\b.*)$', lines[i - 1]):
            depth = 0
            for j in range(i, len(lines)):
                depth += lines[j].count('{') - lines[j].count('}')
                if depth == 0:
                    out.append((lines[i - 1].strip(), j - i + 1))
                    break
    return out


def main():
    quiet = '--quiet' in sys.argv
    broken = []
    back_up = 0
    arrows = 0
    longest_cpp = ('', 0)
    long_functions = []
    name_compares = []
    for path in sources():
        folder = folder_of(path)
        text = open(os.path.join(ROOT, path), encoding='utf-8').read()
        if folder not in RANK:
            broken.append(f'{path}: in a folder the pipeline does not name ({folder})')
            continue
        for m in re.finditer(r'#include "((?:core|ui)/[a-z_/]+\.h)"', text):
            target = folder_of(m.group(1))
            if target == folder:
                continue
            arrows += 1
            if target not in RANK or RANK[target] > RANK[folder]:
                back_up += 1
                broken.append(f'{path}: includes {m.group(1)}, which runs back up the pipeline')
        if path.endswith('.cpp'):
            n = text.count('\n')
            if n > longest_cpp[1]:
                longest_cpp = (path, n)
            if n > 600:
                broken.append(f'{path}: {n} lines (more than 600)')
        for name, length in function_lengths(text):
            if length > 80:
                long_functions.append(f'{path}: {name[:70]} ({length} lines)')
        if path not in REGISTRIES:
            for name in NAMES:
                for m in re.finditer(r'(==|!=)\s*"' + re.escape(name) + '"|"' + re.escape(name) + r'"\s*(==|!=)', text):
                    name_compares.append(f'{path}: compares a name with "{name}"')
    broken += [f'function over 80 lines: {f}' for f in long_functions]
    broken += name_compares
    if not quiet:
        print(f'include arrows between folders: {arrows}; running back up: {back_up}')
        print(f'longest .cpp: {longest_cpp[0]} ({longest_cpp[1]} lines)')
        print(f'functions over 80 lines: {len(long_functions)}; model or workload names compared as strings: {len(name_compares)}')
    for b in broken:
        print('layout: ' + b, file=sys.stderr)
    return 1 if broken else 0


if __name__ == '__main__':
    sys.exit(main())

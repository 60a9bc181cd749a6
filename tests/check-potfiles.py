#!/usr/bin/env python3
# Fails when a source, .ui or data file with translatable strings is missing
# from po/POTFILES.in (or po/POTFILES.skip), or when POTFILES.in lists a file
# that does not exist. Then runs xgettext over the list, as the pot target
# does, so a file xgettext cannot read fails here too.
#
# Usage: check-potfiles.py SOURCE_ROOT

import os
import re
import shutil
import subprocess
import sys
import tempfile

root = sys.argv[1]

MARKERS = {
    '.c': re.compile(r'\b(?:N_|C_|NC_|_|ngettext|g_dgettext|g_dpgettext2)\s*\(\s*"'),
    '.ui': re.compile(r'translatable\s*=\s*"(?:yes|true|1)"'),
    '.xml': re.compile(r'<(?:summary|description|name|caption|p|li)\b'),
    '.in': re.compile(r'^(?:Name|GenericName|Comment|Keywords)=', re.M),
}


def listed(name):
    path = os.path.join(root, 'po', name)
    if not os.path.exists(path):
        return []
    with open(path, encoding='utf-8') as f:
        return [line.strip() for line in f
                if line.strip() and not line.startswith('#')]


def marker_for(path):
    if path.endswith('.c'):
        return MARKERS['.c']
    if path.endswith('.ui'):
        return MARKERS['.ui']
    if path.endswith('.gschema.xml') or '.metainfo.xml' in path:
        return MARKERS['.xml']
    if '.desktop.in' in path:
        return MARKERS['.in']
    return None


potfiles = listed('POTFILES.in')
skipped = set(listed('POTFILES.skip'))
failures = []

for rel in potfiles:
    if not os.path.isfile(os.path.join(root, rel)):
        failures.append(f'po/POTFILES.in lists {rel}, which does not exist')

for top in ('src', 'data'):
    for dirpath, dirnames, filenames in os.walk(os.path.join(root, top)):
        dirnames.sort()
        for name in sorted(filenames):
            path = os.path.join(dirpath, name)
            rel = os.path.relpath(path, root)
            marker = marker_for(rel)
            if marker is None:
                continue
            with open(path, encoding='utf-8', errors='replace') as f:
                if not marker.search(f.read()):
                    continue
            if rel not in potfiles and rel not in skipped:
                failures.append(f'{rel} has translatable strings but is not in po/POTFILES.in')

xgettext = shutil.which('xgettext')
if xgettext and not failures:
    with tempfile.TemporaryDirectory() as tmp:
        result = subprocess.run(
            [xgettext, '--from-code=UTF-8', '--keyword=_', '--keyword=N_',
             '--keyword=C_:1c,2', '--keyword=NC_:1c,2', '--add-comments',
             '--directory', root, '--files-from',
             os.path.join(root, 'po', 'POTFILES.in'),
             '--output', os.path.join(tmp, 'easel.pot')],
            capture_output=True, text=True)
        if result.returncode != 0:
            failures.append('xgettext failed:\n' + result.stderr)
        else:
            with open(os.path.join(tmp, 'easel.pot'), encoding='utf-8') as f:
                pot = f.read()
            # One string from each kind of file must have been extracted.
            for msgid in ('Generate and organize AI images',   # metainfo
                          'AI Image Studio',                   # desktop
                          'Window width',                      # schema
                          'No Images Yet',                     # .ui
                          'Run image generation jobs'):        # .c
                if f'msgid "{msgid}"' not in pot:
                    failures.append(f'xgettext did not extract "{msgid}"')

print('1..1')
if failures:
    for failure in failures:
        for line in failure.splitlines():
            print('# ' + line)
    print('not ok 1 - POTFILES.in is complete')
    sys.exit(1)
print('ok 1 - POTFILES.in is complete')

#!/usr/bin/env python3
# Checks the Flatpak manifest offline: flatpak-builder parses it with warnings
# fatal (an unknown key fails), and the sandbox asks only for what Easel
# needs. A real build needs the GNOME runtime, which cannot be downloaded
# here. Usage: check-flatpak-manifest.py MANIFEST APP_ID

import json
import os
import shutil
import subprocess
import sys

manifest_path, app_id = sys.argv[1], sys.argv[2]
results = []


def check(name, ok, detail=''):
    results.append((name, ok, detail))


with open(manifest_path, encoding='utf-8') as f:
    manifest = json.load(f)

check('the app ID is ' + app_id, manifest.get('id') == app_id, manifest.get('id', ''))
check('the command is easel', manifest.get('command') == 'easel')
check('the runtime is the GNOME platform',
      manifest.get('runtime') == 'org.gnome.Platform' and manifest.get('sdk') == 'org.gnome.Sdk')

allowed = {'--share=network', '--share=ipc', '--socket=fallback-x11',
           '--socket=wayland', '--device=dri'}
args = set(manifest.get('finish-args', []))
check('finish-args ask for network, Wayland with X11 fallback, IPC and DRI only',
      args == allowed, ' '.join(sorted(args ^ allowed)))
# Secrets go through the Secret portal, never a direct keyring bus name.
check('no direct Secret Service access',
      not any('org.freedesktop.secrets' in a for a in args))

modules = manifest.get('modules', [])
easel = modules[-1] if modules else {}
check('Easel is built with meson from the local checkout',
      isinstance(easel, dict) and easel.get('buildsystem') == 'meson' and
      any(s.get('type') == 'dir' for s in easel.get('sources', [])))

builder = shutil.which('flatpak-builder')
if builder:
    env = dict(os.environ, G_DEBUG='fatal-warnings')
    proc = subprocess.run([builder, '--show-manifest', manifest_path],
                          capture_output=True, text=True, env=env)
    check('flatpak-builder --show-manifest accepts it', proc.returncode == 0,
          proc.stderr.strip())
else:
    results.append(('flatpak-builder --show-manifest accepts it', None,
                    'flatpak-builder is not installed'))

print(f'1..{len(results)}')
failed = False
for i, (name, ok, detail) in enumerate(results, 1):
    if ok is None:
        print(f'ok {i} - {name} # SKIP {detail}')
        continue
    if not ok:
        failed = True
        for line in detail.splitlines():
            print('# ' + line)
    print(f'{"ok" if ok else "not ok"} {i} - {name}')
sys.exit(1 if failed else 0)

#!/usr/bin/env python3
"""Builds Kiln's test fixtures from the shared corpus (real captures of public
pages; see README.md): Kiln snapshot JSON from snapshot.html + resources/,
and gzip copies of the rrweb snapshots and Gleap payloads, with their truths.
Run from this folder: python3 make.py /path/to/corpus"""
import base64, gzip, json, os, shutil, sys

src = sys.argv[1]
def gz(path, data):
    with gzip.GzipFile(path, 'wb', mtime=0) as f:
        f.write(data)

for case in sorted(os.listdir(os.path.join(src, 'rrweb'))):
    for variant in ('', 'mobile'):
        d = os.path.join(src, 'rrweb', case, variant)
        if not os.path.exists(os.path.join(d, 'snapshot.html')):
            continue
        name = case + ('-mobile' if variant else '')
        out = os.path.join('.', name)
        os.makedirs(out, exist_ok=True)
        meta = json.load(open(os.path.join(d, 'meta.json')))
        res = json.load(open(os.path.join(d, 'resources.json')))
        resources = []
        for url, r in sorted(res.get('resources', {}).items()):
            data = open(os.path.join(d, r['file']), 'rb').read()
            resources.append({'url': url, 'contentType': r['content_type'], 'data': base64.b64encode(data).decode()})
        snap = {
            'version': 1,
            'url': meta['url'],
            'html': open(os.path.join(d, 'snapshot.html'), encoding='utf-8').read(),
            'viewport': {'width': meta['viewport']['width'], 'height': meta['viewport']['height'],
                         'deviceScaleFactor': meta['device_scale_factor'], 'mobile': meta['is_mobile']},
            'scroll': {'x': meta['scroll']['x'], 'y': meta['scroll']['y']},
            'resources': resources,
        }
        gz(os.path.join(out, 'snapshot.kiln.json.gz'), json.dumps(snap).encode())
        gz(os.path.join(out, 'snapshot.rrweb.json.gz'), open(os.path.join(d, 'snapshot.rrweb.json'), 'rb').read())
        shutil.copy(os.path.join(d, 'truth.png'), os.path.join(out, 'truth.png'))
        shutil.copy(os.path.join(d, 'meta.json'), os.path.join(out, 'meta.json'))

for variant in ('local', 'live'):
    d = os.path.join(src, 'gleap', variant)
    out = os.path.join('.', 'gleap-' + variant)
    os.makedirs(out, exist_ok=True)
    gz(os.path.join(out, 'feedback.json.gz'), open(os.path.join(d, 'feedback.json'), 'rb').read())
    shutil.copy(os.path.join(d, 'reference.png'), os.path.join(out, 'reference.png'))
site = os.path.join('.', 'gleap-live', 'site')
if os.path.exists(site):
    shutil.rmtree(site)
shutil.copytree(os.path.join(src, 'gleap', 'site'), site)

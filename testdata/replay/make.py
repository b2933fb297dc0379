#!/usr/bin/env python3
"""Builds the replay fidelity fixtures from the shared corpus (real rrweb 2.2.2
recordings of public pages; see ../corpus/README.md): per case, Kiln replay
JSON (docs/replay.md) made of recording.rrweb.json and every resource listed
in resources.json, gzipped, the truth frames of the live page, and
frames.json (each frame's time, viewport and scroll from recording-meta.json).

Run from this folder: python3 make.py /path/to/corpus [OUT [CASE...]]
OUT defaults to fidelity/ and CASE to the committed cases. The larger cases
(creative-portfolio-lazy: 3 MB of replay JSON and 1.4 MB of frames) are not
committed: build them into another folder and point KILN_FIDELITY_DIR at it
to run them in the fidelity test."""
import base64, gzip, json, os, shutil, sys

COMMITTED = ['todomvc-react', 'bootstrap-sign-in-password', 'purple-admin-dashboard']

src = sys.argv[1]
out = sys.argv[2] if len(sys.argv) > 2 else 'fidelity'
cases = sys.argv[3:] or COMMITTED

for case in cases:
    d = os.path.join(src, 'rrweb', case)
    rmeta = json.load(open(os.path.join(d, 'recording-meta.json')))
    res = json.load(open(os.path.join(d, 'resources.json')))
    def load(r):
        with open(os.path.join(d, r['file']), 'rb') as f:
            return base64.b64encode(f.read()).decode()
    resources = [{'url': u, 'contentType': r['content_type'], 'data': load(r)}
                 for u, r in sorted(res.get('resources', {}).items())]
    events = json.load(open(os.path.join(d, 'recording.rrweb.json')))
    replay = {
        'version': 1,
        'viewport': {'deviceScaleFactor': rmeta['device_scale_factor'], 'mobile': bool(rmeta.get('is_mobile', False))},
        'resources': resources,
        'events': events,
    }
    o = os.path.join(out, case)
    os.makedirs(o, exist_ok=True)
    with gzip.GzipFile(os.path.join(o, 'replay.kiln.json.gz'), 'wb', mtime=0) as f:
        f.write(json.dumps(replay, separators=(',', ':')).encode())
    frames = []
    for fr in rmeta['truth_frames']:
        shutil.copy(os.path.join(d, fr['file']), os.path.join(o, fr['file']))
        frames.append({'file': fr['file'], 'label': fr['label'], 't_ms': fr['t_ms'],
                       'viewport': fr['viewport'], 'device_scale_factor': fr['device_scale_factor'], 'scroll': fr['scroll']})
    json.dump(frames, open(os.path.join(o, 'frames.json'), 'w'), indent=1)
    print(case, os.path.getsize(os.path.join(o, 'replay.kiln.json.gz')), 'bytes of replay JSON,', len(frames), 'frames')

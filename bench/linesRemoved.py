#!/usr/bin/env python3
# How many lines a feature costs, in domain/ and outside it: remove the feature in a scratch worktree
# (git worktree add --detach /tmp/wt HEAD), make `tsc` pass on src domain handlers projections, then
# `python3 bench/linesRemoved.py /tmp/wt`. Used for issue 10's counts (docs/extending.md).
"""Count what removing the tags feature took out of domain/, handlers/, projections/.

Usage:
  python3 count_notags.py [WORKTREE]          # runs git diff in WORKTREE (default /tmp/wt-notags)
  python3 count_notags.py --diff FILE.diff    # reads a saved full-context diff
                                              # (git diff --unified=100000 HEAD -- domain handlers projections)

The +/- line sets are the same as `git diff -U0 HEAD -- domain handlers projections`
(context width does not change what the diff removes/adds); full context is used only so that
each line can be classified as code or comment with its whole file around it.

"code line" = non-blank, and not only a comment: after trimming it does not start with
//, /*, * or */, and it is not inside a /* ... */ block.
Net cost of tags per file = removed - added (physical and code).
"""
import re, subprocess, sys

def classify(lines):
    """For each line of a file: True if it is a code line, False if blank or only a comment."""
    out, in_block = [], False
    for raw in lines:
        t = raw.strip()
        if in_block:
            out.append(False)
            if '*/' in t:
                in_block = False
            continue
        if not t or t.startswith('//') or t.startswith('*'):   # '*' covers '*/' too
            out.append(False)
            continue
        if t.startswith('/*'):
            out.append(False)
            if '*/' not in t[2:]:
                in_block = True
            continue
        out.append(True)
    return out

def parse(diff_text):
    """file -> (old side: [(line, removed?)], new side: [(line, added?)])."""
    files, cur = {}, None
    for line in diff_text.split('\n'):
        if line.startswith('diff --git '):
            cur = re.match(r'diff --git a/(.*) b/', line).group(1)
            files[cur] = ([], [])
            in_hunk = False
            continue
        if cur is None:
            continue
        if line.startswith('@@'):
            in_hunk = True
            continue
        if not in_hunk:
            continue  # ---/+++/index/mode headers
        if line.startswith('\\'):
            continue  # "\ No newline at end of file"
        if line.startswith('-'):
            files[cur][0].append((line[1:], True))
        elif line.startswith('+'):
            files[cur][1].append((line[1:], True))
        elif line.startswith(' '):
            files[cur][0].append((line[1:], False))
            files[cur][1].append((line[1:], False))
    return files

def count(side):
    code = classify([l for l, _ in side])
    phys = sum(1 for _, ch in side if ch)
    codec = sum(1 for (_, ch), c in zip(side, code) if ch and c)
    return phys, codec

def main():
    args = sys.argv[1:]
    if args[:1] == ['--diff']:
        text = open(args[1]).read()
    else:
        wt = args[0] if args else '/tmp/wt-notags'
        text = subprocess.run(['git', '-C', wt, 'diff', '--unified=100000', 'HEAD', '--', 'domain', 'handlers', 'projections'],
                              check=True, capture_output=True, text=True).stdout
    files = parse(text)
    rows = []
    for f, (old, new) in sorted(files.items()):
        rp, rc = count(old)
        ap, ac = count(new)
        rows.append((f, rp, ap, rp - ap, rc, ac, rc - ac))
    hdr = ('file', '-phys', '+phys', 'net phys', '-code', '+code', 'net code')
    fmt = '{:<32} {:>6} {:>6} {:>8} {:>6} {:>6} {:>8}'
    print(fmt.format(*hdr))
    for r in rows:
        print(fmt.format(*r))
    def total(pred):
        sel = [r for r in rows if pred(r[0])]
        return tuple(sum(r[i] for r in sel) for i in range(1, 7))
    inside = total(lambda f: f.startswith('domain/'))
    outside = total(lambda f: not f.startswith('domain/'))
    print(fmt.format('TOTAL inside domain/', *inside))
    print(fmt.format('TOTAL outside domain/', *outside))
    print(fmt.format('TOTAL all', *(a + b for a, b in zip(inside, outside))))
    for name, i in (('physical', 2), ('code', 5)):
        ratio = outside[i] / inside[i] if inside[i] else float('inf')
        print(f'ratio outside/inside ({name}): {outside[i]} / {inside[i]} = {ratio:.3f}')

if __name__ == '__main__':
    main()

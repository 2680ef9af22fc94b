"""Check a news eval corpus: JSON, ids, sources, references (stdlib only).

python3 evals/news/check.py [DIR] [-v]   (DIR: a corpus folder with articles/ and *.jsonl,
                                          this one by default; -v also lists unlisted
                                          articles holding a reference)
"""

import json
import os
import re
import sys
from collections import Counter

HERE = os.path.dirname(os.path.abspath(__file__))
ART: dict[str, str] = {}  # article file -> text, filled by load()
TYPES = set("who what when where how_many how_much why how yes_no definition".split())


def norm(s):
    return " ".join(re.sub(r"[^\w\s]", "", s.lower().replace("-", " ")).split())


NORM: dict[str, str] = {}


def stem(w):
    return w[:-1] if len(w) > 3 and w.endswith("s") else w


TOK: dict[str, list[str]] = {}


def load(here):
    """Read the corpus folder's articles into ART, NORM and TOK."""
    for f in sorted(os.listdir(os.path.join(here, "articles"))):
        ART[f] = open(os.path.join(here, "articles", f), encoding="utf-8").read()
        NORM[f] = norm(ART[f])
        TOK[f] = [stem(w) for w in NORM[f].split()]


def found(part, f):
    """'exact': the normalized part is in the text; 'near': its words fall in a short window."""
    if f" {part} " in f" {NORM[f]} ":
        return "exact"
    want, toks = {stem(w) for w in part.split()}, TOK[f]
    width = 2 * len(want) + 3
    for i in range(len(toks)):
        if want <= set(toks[i : i + width]):
            return "near"
    return None


def main():
    args = [a for a in sys.argv[1:] if not a.startswith("-")]
    here = args[0] if args else HERE
    load(here)
    verbose, errors, seen, questions = "-v" in sys.argv, [], set(), set()
    for name in sorted(f for f in os.listdir(here) if f.endswith(".jsonl")):
        rows = [
            json.loads(line)
            for line in open(os.path.join(here, name), encoding="utf-8")
            if line.strip()
        ]
        types: Counter[str] = Counter()
        unans = 0
        for r in rows:
            rid, ref, srcs = r["id"], r["reference"], r["reference_sources"]
            if rid in seen:
                errors.append(f"{rid}: duplicate id")
            seen.add(rid)
            if not name.startswith("conversations"):
                if r["user_input"] in questions:
                    errors.append(f"{rid}: duplicate question")
                questions.add(r["user_input"])
                if r["question_type"] not in TYPES:
                    errors.append(f"{rid}: bad type")
            types[r["question_type"]] += 1
            for s in srcs:
                if s not in ART:
                    errors.append(f"{rid}: missing source {s}")
            if not r["answerable"]:
                unans += 1
                if ref is not None or srcs:
                    errors.append(f"{rid}: unanswerable with reference/sources")
                continue
            if not ref or not srcs:
                errors.append(f"{rid}: answerable without reference/sources")
                continue
            if r["question_type"] == "yes_no":
                continue
            for part in map(norm, ref.split("; ")):
                for s in srcs:
                    how = found(part, s) if s in ART else None
                    if how is None:
                        errors.append(f"{rid}: '{part}' not in {s}")
                    elif how == "near" and verbose:
                        print(f"near {rid}: '{part}' in {s}")
                if verbose:
                    extra = [f for f in ART if f not in srcs and f" {part} " in f" {NORM[f]} "]
                    if extra:
                        print(f"also {rid}: '{part}' in {', '.join(x[:2] for x in extra)}")
        share, counts = f"{unans / len(rows):.0%}", dict(sorted(types.items()))
        print(f"{name}: {len(rows)} rows, {unans} unanswerable ({share}), {counts}")
    print("\n".join(errors) or "OK")
    return 1 if errors else 0


if __name__ == "__main__":
    sys.exit(main())

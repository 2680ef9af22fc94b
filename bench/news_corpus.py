"""A deterministic generator of synthetic news articles with realistic lengths.

Lengths follow a news archive: 80% regular stories of 300-1,200 words, 17%
short briefs of 40-150 words, 3% long features of 3,000-9,000 words. Text is
made of news-like sentences (places, people, organisations, numbers, dates)
so tokenizers, the sentence chunker and spaCy see the shapes they see on
real news; the same seed always gives the same bytes.

    python bench/news_corpus.py OUT_DIR --count 1000
"""

from __future__ import annotations

import argparse
import random
from collections.abc import Iterator
from pathlib import Path

PLACES = "Caracas Lagos Tbilisi Manila Oslo Lima Nairobi Hanoi Quito Dakar Tallinn Accra".split()
PEOPLE = "Ana Ruiz|Kofi Mensah|Lena Berg|Ravi Nair|Maya Cohen|Tomas Varga|Nia Okafor".split("|")
ORGS = [
    "the central bank", "the health ministry", "the port authority", "the electoral board",
    "the union",
]  # fmt: skip
TOPICS = [
    "inflation", "the harbour", "fuel prices", "the election", "a new vaccine", "the railway",
    "exports",
]  # fmt: skip
VERBS = "announced|denied|reported|confirmed|criticised|proposed|postponed|approved".split("|")
TAILS = [
    "after a meeting that lasted until late in the evening",
    "according to officials who asked not to be named",
    "in a statement published on its website",
    "citing figures for the first quarter",
    "despite protests outside the building",
    "while analysts expect further changes next month",
]
KIND_WEIGHTS = (("brief", 0.17, 40, 150), ("story", 0.80, 300, 1200), ("long", 0.03, 3000, 9000))


def _sentence(rng: random.Random) -> str:
    shape = rng.randrange(4)
    who, org, topic = rng.choice(PEOPLE), rng.choice(ORGS), rng.choice(TOPICS)
    place, verb, tail = rng.choice(PLACES), rng.choice(VERBS), rng.choice(TAILS)
    number = rng.randrange(2, 980)
    if shape == 0:
        return f"In {place}, {org} {verb} a plan on {topic} worth {number} million dollars, {tail}."
    if shape == 1:
        return f"{who}, a spokesperson for {org}, said {number} people were affected by {topic}."
    if shape == 2:
        return f"The decision on {topic} was {verb} on {rng.randrange(1, 29)} March in {place}."
    return f"Officials {verb} that {topic} rose by {number / 10:.1f} percent, {tail}."


def article(index: int, seed: int = 13) -> tuple[str, str]:
    """(file name, text) of the ``index``-th article: title, dateline, paragraphs."""
    rng = random.Random(seed * 1_000_003 + index)
    draw, total = rng.random(), 0.0
    kind, low, high = KIND_WEIGHTS[-1][0], KIND_WEIGHTS[-1][2], KIND_WEIGHTS[-1][3]
    for name, weight, lo, hi in KIND_WEIGHTS:
        total += weight
        if draw < total:
            kind, low, high = name, lo, hi
            break
    words = rng.randint(low, high)
    place = rng.choice(PLACES)
    title = f"{rng.choice(ORGS).capitalize()} and {rng.choice(TOPICS)} in {place}"
    date = f"2026-{rng.randint(1, 12):02d}-{rng.randint(1, 28):02d}"
    paragraphs: list[str] = []
    count = 0
    while count < words:
        sentences = [_sentence(rng) for _ in range(rng.randint(2, 5))]
        paragraphs.append(" ".join(sentences))
        count += sum(len(s.split()) for s in sentences)
    text = f"{title}\n\n{date} — {place.upper()} —\n\n" + "\n\n".join(paragraphs) + "\n"
    return f"{index:06d}-{kind}.txt", text


def articles(count: int, seed: int = 13) -> Iterator[tuple[str, str]]:
    """The first ``count`` articles of the seed's archive."""
    for i in range(count):
        yield article(i, seed)


def write(folder: Path, count: int, seed: int = 13) -> Path:
    """Write the articles as .txt files into ``folder`` (created); returns it."""
    folder.mkdir(parents=True, exist_ok=True)
    for name, text in articles(count, seed):
        (folder / name).write_text(text, "utf-8")
    return folder


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("out", type=Path)
    parser.add_argument("--count", type=int, default=1000)
    parser.add_argument("--seed", type=int, default=13)
    args = parser.parse_args()
    write(args.out, args.count, args.seed)


if __name__ == "__main__":
    main()

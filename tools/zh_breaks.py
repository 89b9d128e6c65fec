"""Find (or join) line breaks inside Chinese sentences in the zh pages and notebook cells.

    python tools/zh_breaks.py            # list them, exit 1 if there are any
    python tools/zh_breaks.py --fix      # join them in place

Markdown turns a line break inside a paragraph into a space. Between two Chinese
characters that space is a visible gap ("所以 多读"), which English text never shows,
so a writer wrapping lines in the editor does not notice it. This tool finds such breaks
in ``docs/*.md`` (not ``*.en.md``) and in the ``lang="zh"`` markdown cells of
``snippets/*.py``, which become the zh notebooks.
"""

from __future__ import annotations

import argparse
import re
import sys
from collections.abc import Iterator
from pathlib import Path

if str(Path(__file__).resolve().parent) not in sys.path:  # imported by path (tests)
    sys.path.insert(0, str(Path(__file__).resolve().parent))
from layout import DEFAULT_LANGUAGE, DOCS, ROOT, SNIPPETS, language_of  # noqa: E402

CJK = "\u3000-\u303f\u4e00-\u9fff\uff00-\uffef"
ENDS_IN_CJK = re.compile(f"[{CJK}]$")
ENDS_IN_CJK_PUNCTUATION = re.compile("[\u3000-\u303f\uff00-\uffef]$")
STARTS_WITH_CJK = re.compile(f"^[{CJK}]")
# Lines that hold no paragraph text to continue: headings, tables, admonitions, fences,
# HTML, snippet markers, math, thematic breaks and front-matter fences.
NOT_PROSE_START = r"#|\||!!!|\?\?\?|```|~~~|<|--8<--|\$\$|([-*_=])\2{2,}\s*$"
NOT_PROSE = re.compile(f"^({NOT_PROSE_START})")
# A line that starts a new block is never a continuation; list items, quotes and blank
# lines start blocks too (but a list item or a quote does hold text to continue).
BLOCK_START = re.compile(rf"^([-*+]\s|\d+[.)]\s|>|$|{NOT_PROSE_START})")
FENCE = re.compile(r"^\s*(```|~~~)")
CELL = re.compile(r'^# %%(?: \[markdown\] lang="(\w+)")?')


def indent(line: str) -> int:
    return len(line) - len(line.lstrip(" "))


def continues(previous: str, line: str) -> bool:
    """Is ``line`` the next line of the same paragraph, after text ending in Chinese?"""
    before, after = previous.strip(), line.strip()
    return (
        bool(ENDS_IN_CJK.search(before))
        and not NOT_PROSE.match(before)
        and not BLOCK_START.match(after)
        and indent(line) >= indent(previous)
    )


def joined(previous: str, line: str) -> str:
    """Chinese next to Chinese needs no space; after a Chinese character (not punctuation)
    a Latin word keeps one, as in "只等 save()"."""
    after = line.strip()
    glue = "" if ENDS_IN_CJK_PUNCTUATION.search(previous) or STARTS_WITH_CJK.match(after) else " "
    return previous.rstrip() + glue + after


def prose_runs(path: Path, lines: list[str]) -> Iterator[tuple[int, int, str]]:
    """(first line index, last line index + 1, comment prefix) of each zh prose region."""
    if path.suffix == ".md":
        start, inside = 0, True
        for number, line in enumerate(lines + ["```"]):
            if FENCE.match(line):
                if inside:
                    yield start, number, ""
                inside, start = not inside, number + 1
        return
    start, language = None, None
    for number, line in enumerate(lines + ["# %%"]):
        cell = CELL.match(line)
        if cell:
            if language == "zh" and start is not None:
                yield start, number, "#"
            language, start = cell.group(1), number + 1


def text_of(line: str, prefix: str) -> str:
    return line[len(prefix) :].removeprefix(" ") if prefix and line.startswith(prefix) else line


def fix_lines(path: Path, lines: list[str]) -> tuple[list[str], list[int]]:
    """Lines with every in-sentence break joined, and the 1-based numbers of the breaks."""
    found: list[int] = []
    out = list(lines)
    for start, end, prefix in reversed(list(prose_runs(path, lines))):
        number = end - 1
        while number > start:
            previous, line = text_of(out[number - 1], prefix), text_of(out[number], prefix)
            if continues(previous, line):
                found.append(number)  # the break sits at the end of 1-based line `number`
                merged = joined(previous, line)
                out[number - 1 : number + 1] = [f"{prefix} {merged}" if prefix else merged]
            number -= 1
    return out, sorted(found)


def zh_sources() -> list[Path]:
    pages = [p for p in sorted(DOCS.glob("*.md")) if language_of(p) == DEFAULT_LANGUAGE]
    return pages + sorted(SNIPPETS.glob("*.py"))


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--fix", action="store_true", help="join the breaks in place")
    args = parser.parse_args(argv)
    total = 0
    for path in zh_sources():
        lines = path.read_text(encoding="utf-8").split("\n")
        fixed, found = fix_lines(path, lines)
        total += len(found)
        for number in found:
            print(f"{path.relative_to(ROOT)}:{number}: line break inside a Chinese sentence")
        if args.fix and found:
            path.write_text("\n".join(fixed), encoding="utf-8")
    if args.fix:
        print(f"joined {total} breaks")
        return 0
    return 1 if total else 0


if __name__ == "__main__":
    sys.exit(main())

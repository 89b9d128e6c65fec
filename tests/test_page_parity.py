"""The zh and en pages of the guide: the same pages, the same structure and heading ids, and
no code that does not come from a snippet."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from conftest import LANGUAGES
from layout import DOCS
from layout import page_path as page_file

FENCE = re.compile(r"^(```+|~~~+)([^\n]*)\n(.*?)^\1\s*$", re.M | re.S)


def doc_pages() -> list[str]:
    return sorted(p.stem for p in DOCS.glob("*.md") if "." not in p.stem)


def structure(text: str) -> dict[str, list[str]]:
    return {
        "h2 count": [str(len(re.findall(r"^## ", text, re.M)))],
        "includes": re.findall(r'--8<-- "([^"]+)"', text),
        "fences": [
            m.group(2).strip().split()[0] if m.group(2).strip() else ""
            for m in FENCE.finditer(text)
        ],
        "admonitions": re.findall(r"^\s*(?:!!!|\?\?\?\+?) (\w+)", text, re.M),
    }


def test_same_page_set_in_both_languages():
    zh = {p.stem for p in DOCS.glob("*.md") if "." not in p.stem}
    en = {p.stem.removesuffix(".en") for p in DOCS.glob("*.en.md")}
    assert zh == en


@pytest.mark.parametrize("page", doc_pages())
def test_zh_and_en_pages_have_the_same_structure(page):
    zh = structure(page_file(page, "zh").read_text(encoding="utf-8"))
    en = structure(page_file(page, "en").read_text(encoding="utf-8"))
    assert zh == en


@pytest.mark.parametrize("page", doc_pages())
def test_python_blocks_on_pages_come_from_snippets(page):
    for lang in LANGUAGES:
        text = page_file(page, lang).read_text(encoding="utf-8")
        for match in FENCE.finditer(text):
            info, body = match.group(2).strip(), match.group(3)
            if info.split()[:1] in (["python"], ["py"], ["python3"], ["pycon"]):
                lines = [line for line in body.splitlines() if line.strip()]
                assert lines and all(line.strip().startswith("--8<--") for line in lines), (
                    f"{page_file(page, lang).name}: Python typed into Markdown:\n{body}"
                )
        assert not re.search(r"^\s*(def |import |from \w+ import )", strip_fences(text), re.M)


def strip_fences(text: str) -> str:
    return FENCE.sub("", text)


HEADING = re.compile(r"^(#{2,6})[ \t]+(.*?)[ \t]*$")


EXPLICIT_ID = re.compile(r"\{\s*#([\w-]+)\s*\}$")


def page_headings(path: Path) -> list[tuple[str, str | None]]:
    """(heading line, its explicit id or None) for each ## to ###### heading of a Markdown
    page, skipping fenced code (a ``# comment`` in a block is no heading)."""
    headings, fence = [], None
    for line in path.read_text(encoding="utf-8").splitlines():
        opened = re.match(r"^\s*(`{3,}|~{3,})", line)
        if fence:
            fence = None if opened and opened.group(1).startswith(fence) else fence
            continue
        if opened:
            fence = opened.group(1)
            continue
        if match := HEADING.match(line):
            explicit = EXPLICIT_ID.search(match.group(2))
            headings.append((line, explicit.group(1) if explicit else None))
    return headings


@pytest.mark.parametrize("page", doc_pages())
def test_every_heading_has_an_explicit_id_equal_in_both_languages(page):
    """The language switch keeps the #fragment, so a section's id must not depend on the
    language: every heading says it, ``## 为什么要断点续训 { #why }``, the same in zh and en."""
    ids = {}
    for lang in LANGUAGES:
        headings = page_headings(page_file(page, lang))
        missing = [line for line, found in headings if found is None]
        assert not missing, (
            f"{page_file(page, lang).name}: headings without an explicit id; end each with "
            f"{{ #short-english-id }}, the same id as in the other language: {missing}"
        )
        ids[lang] = [found for _, found in headings]
        repeated = sorted({i for i in ids[lang] if ids[lang].count(i) > 1})
        assert not repeated, f"{page_file(page, lang).name}: ids used twice: {repeated}"
    assert ids["zh"] == ids["en"], (
        f"{page}: heading ids differ between languages (in order):\n"
        f"  zh {page_file(page, 'zh').name}: {ids['zh']}\n"
        f"  en {page_file(page, 'en').name}: {ids['en']}"
    )

"""Pre-render the site's mermaid diagrams to SVG files, one way, like the notebooks.

Material renders ```mermaid blocks in the reader's browser with a 3.5 MB script: about
1 MB on the wire and a second of blocked main thread on a phone, for a drawing that never
changes. So each diagram is drawn once, here, with headless chromium and a vendored
mermaid, into ``docs/assets/diagrams/<hash>.light.svg`` and ``<hash>.dark.svg`` (the hash
is of the diagram's source). ``hooks/colab_guide.py`` swaps each block for the two images;
CSS shows the one matching the palette. A test fails when a diagram has no up-to-date SVG.

Usage: ``python tools/diagrams.py`` renders what is missing and deletes orphans;
``python tools/diagrams.py --check`` exits 1 and names each diagram that needs rendering.
"""

from __future__ import annotations

import argparse
import hashlib
import html
import re
import sys
from pathlib import Path

if str(Path(__file__).resolve().parent) not in sys.path:  # imported by path (tests, the hook)
    sys.path.insert(0, str(Path(__file__).resolve().parent))
from layout import CHROMIUM, CHROMIUM_FLAGS, DOCS, ROOT  # noqa: E402

OUT = DOCS / "assets" / "diagrams"
MERMAID_JS = ROOT / "tools" / "vendor" / "mermaid.min.js"
FENCE = re.compile(r"^```mermaid[ \t]*\n(.*?)^```[ \t]*$", re.M | re.S)
THEMES = {"light": "default", "dark": "dark"}
FONT = '"Noto Sans CJK SC", "PingFang SC", "Microsoft YaHei", "Segoe UI", Roboto, sans-serif'


def diagram_key(source: str) -> str:
    """Same text → same file; the hook computes the key from the rendered page the same way."""
    return hashlib.sha256(source.strip().encode("utf-8")).hexdigest()[:16]


def svg_path(key: str, scheme: str) -> Path:
    return OUT / f"{key}.{scheme}.svg"


def sources_in_docs() -> dict[str, str]:
    """key → mermaid source, for every diagram on every page."""
    found = {}
    for page in sorted(DOCS.glob("*.md")):
        for match in FENCE.finditer(page.read_text(encoding="utf-8")):
            found[diagram_key(match.group(1))] = match.group(1).strip()
    return found


def missing_and_orphans() -> tuple[list[str], list[Path]]:
    sources = sources_in_docs()
    missing = [k for k in sources for s in THEMES if not svg_path(k, s).is_file()]
    expected = {svg_path(k, s) for k in sources for s in THEMES}
    orphans = sorted(p for p in OUT.glob("*.svg") if p not in expected)
    return sorted(set(missing)), orphans


RENDER_JS = r"""
async ([source, theme, font, id]) => {
  // SVG text labels, not HTML in <foreignObject>: an <img> shows the file as pure SVG/XML.
  mermaid.initialize({
    startOnLoad: false, theme: theme, fontFamily: font, htmlLabels: false,
    flowchart: { htmlLabels: false }, securityLevel: "strict",
  });
  const { svg } = await mermaid.render(id, source);
  const holder = document.createElement("div");
  holder.innerHTML = svg;
  const root = holder.firstElementChild;
  const [, , width, height] = root.getAttribute("viewBox").split(/\s+/).map(Number);
  root.setAttribute("width", Math.ceil(width));   // an intrinsic size, so <img> needs no guess
  root.setAttribute("height", Math.ceil(height));
  root.removeAttribute("style");
  return new XMLSerializer().serializeToString(root);
}
"""


def render(sources: dict[str, str]) -> list[Path]:
    """Draw each diagram in both themes with headless chromium; returns the files written."""
    from playwright.sync_api import sync_playwright

    written = []
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_FLAGS)
        page = browser.new_page()
        page.set_content("<!doctype html><meta charset='utf-8'><body></body>")
        page.add_script_tag(path=str(MERMAID_JS))
        for key, source in sources.items():
            for scheme, theme in THEMES.items():
                svg = page.evaluate(RENDER_JS, [source, theme, FONT, f"d{key}{scheme}"])
                svg_path(key, scheme).write_text(svg + "\n", encoding="utf-8")
                written.append(svg_path(key, scheme))
        browser.close()
    return written


def alt_text(source: str) -> str:
    """A text alternative for screen readers: the diagram's labels, in order."""
    labels = re.findall(r'"([^"]+)"', source)
    if not labels:  # a sequence diagram: participants' names, then each message and note
        labels = re.findall(r"^\s*participant \S+ as (.+)$|^[^:\n]*:\s*(.+)$", source, re.M)
        labels = [name or text for name, text in labels]
    parts = [" ".join(html.unescape(re.sub(r"<br\s*/?>", " ", label)).split()) for label in labels]
    return "; ".join(dict.fromkeys(p for p in parts if p))


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--check", action="store_true", help="fail if any SVG is missing")
    args = parser.parse_args(argv)
    missing, orphans = missing_and_orphans()
    if args.check:
        for key in missing:
            print(f"diagram {key} has no SVG (run: python tools/diagrams.py)")
        for path in orphans:
            print(f"orphan: {path.relative_to(ROOT)} (run: python tools/diagrams.py)")
        return 1 if missing or orphans else 0
    OUT.mkdir(parents=True, exist_ok=True)
    sources = sources_in_docs()
    for path in render({k: sources[k] for k in missing}):
        print(f"wrote {path.relative_to(ROOT)}")
    for path in orphans:
        path.unlink()
        print(f"deleted {path.relative_to(ROOT)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())

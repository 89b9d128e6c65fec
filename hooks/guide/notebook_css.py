"""The notebook CSS, pruned and linked from ``<head>``.

mkdocs-jupyter writes about 590 KB of CSS into the body of every notebook page, most of it
for JupyterLab widgets a static page never shows. The rules that can match something in the
guide's notebooks (the classes their HTML uses, collected by ``classes_in`` over the whole
build) go into one stylesheet linked from ``<head>``: parsed before the first paint (no jump
in the layout when it arrives), and downloaded once for all notebook pages.
"""

from __future__ import annotations

import functools
import hashlib
import re
from collections.abc import Callable, Iterable
from collections.abc import Set as AbstractSet
from pathlib import Path
from typing import Any

import mkdocs.utils
import tinycss2
from mkdocs.config.defaults import MkDocsConfig
from mkdocs.structure.pages import Page

CLASS_ATTRIBUTE = re.compile(r'class="([^"]*)"')


def classes_in(content: str) -> set[str]:
    """Every class an element of ``content`` (a page's HTML) carries."""
    return {name for match in CLASS_ATTRIBUTE.finditer(content) for name in match.group(1).split()}


STYLE_TAG = re.compile(r"<style\b[^>]*>(.*?)</style>\s*", re.DOTALL)
NOTEBOOK_SCOPE = ".jupyter-wrapper"  # mkdocs-jupyter's wrapper around a notebook's cells
# Parts of a selector whose classes an element need not carry: :not(.x), :is(.x, .y),
# [data-mime-type="application/vnd.jupyter.stderr"].
OPTIONAL_PARTS = re.compile(r":[\w-]+\([^()]*\)|\[[^\]]*\]")
CLASS_NAME = re.compile(r"\.(-?[_a-zA-Z][\w-]*)")


def split_selectors(prelude: str) -> list[str]:
    """Split a selector list at its top-level commas (not those inside :is(...) or [...])."""
    parts, depth, start = [], 0, 0
    for index, char in enumerate(prelude):
        depth += char in "([" and 1 or char in ")]" and -1 or 0
        if char == "," and depth == 0:
            parts.append(prelude[start:index])
            start = index + 1
    return [*parts, prelude[start:]]


def can_match(selector: str, used: AbstractSet[str]) -> bool:
    """False only for a notebook-scoped selector that cannot match: it needs a class no
    notebook uses, or an ``:root`` (the ``<html>`` element) inside the notebook. Anything
    else is kept: a rule kept for nothing costs bytes, a rule dropped wrongly costs a
    broken page."""
    selector = selector.strip()
    if not selector.startswith(NOTEBOOK_SCOPE):
        return True
    if ":root" in selector:
        return False
    needed = set(CLASS_NAME.findall(OPTIONAL_PARTS.sub("", selector)))
    # Material's JavaScript adds md-* classes after load (it wraps each table in
    # md-typeset__scrollwrap), so the built HTML cannot tell whether they will be there.
    return {name for name in needed if not name.startswith("md-")} <= used


def last_copies_only(rules: list[str]) -> list[str]:
    """Drop a rule when an identical one comes later: the later copy wins every tie the
    earlier one could, so the page looks the same (mkdocs-jupyter repeats whole blocks)."""
    later: set[str] = set()
    kept = []
    for rule in reversed(rules):
        if rule not in later:
            later.add(rule)
            kept.append(rule)
    return kept[::-1]


def parse_rules(css: Any) -> list:
    """A stylesheet's rules, or those inside an at-rule's block (a token list)."""
    parse = tinycss2.parse_stylesheet if isinstance(css, str) else tinycss2.parse_rule_list
    return parse(css, skip_comments=True, skip_whitespace=True)


def block_parts(rule: Any) -> list:
    """The declarations (and anything else) inside a qualified rule's braces."""
    return tinycss2.parse_blocks_contents(rule.content, skip_comments=True, skip_whitespace=True)


def pruned_rules(
    nodes: Iterable, keep_selector: Callable[[str], bool], keep_property: Callable[[str], bool]
) -> list[str]:
    """The rules of ``nodes`` (inside @media and @supports too), keeping the selectors and
    properties asked for; other at-rules (@keyframes, @font-face) are kept whole."""
    kept = []
    for node in nodes:
        if node.type == "qualified-rule":
            selectors = split_selectors(tinycss2.serialize(node.prelude))
            selectors = [s.strip() for s in selectors if keep_selector(s)]
            parts = block_parts(node)
            if all(part.type == "declaration" for part in parts):
                body = ";".join(p.serialize() for p in parts if keep_property(p.name))
            else:  # nested rules or a parse error: leave the block as it was
                body = tinycss2.serialize(node.content)
            if selectors and body:
                kept.append(f"{','.join(selectors)}{{{body}}}")
        elif node.type == "at-rule" and node.lower_at_keyword in ("media", "supports"):
            inner = pruned_rules(parse_rules(node.content or []), keep_selector, keep_property)
            if inner:
                kept.append(
                    f"@{node.at_keyword}{tinycss2.serialize(node.prelude)}{{{''.join(inner)}}}"
                )
        elif node.type == "at-rule":
            kept.append(node.serialize())
    return last_copies_only(kept)


VAR_REFERENCE = re.compile(r"var\(\s*(--[\w-]+)")


def custom_property_uses(nodes: Iterable, uses_of: dict[str, set[str]]) -> set[str]:
    """The custom properties read by ordinary declarations (``color: var(--x)``); fills
    ``uses_of`` with those each custom property's own definition reads."""
    needed: set[str] = set()
    for node in nodes:
        if node.type == "qualified-rule":
            for part in block_parts(node):
                value = tinycss2.serialize(part.value if part.type == "declaration" else [part])
                refs = set(VAR_REFERENCE.findall(value))
                if part.type == "declaration" and part.name.startswith("--"):
                    uses_of.setdefault(part.name, set()).update(refs)
                else:
                    needed |= refs
        elif node.type == "at-rule" and node.content:  # @media, @supports, @keyframes
            needed |= custom_property_uses(parse_rules(node.content), uses_of)
    return needed


def needed_custom_properties(css: str) -> set[str]:
    """Custom properties some ``var()`` reads, directly or through another custom
    property. JupyterLab defines about 450; the guide's static notebooks read about 100."""
    uses_of: dict[str, set[str]] = {}
    needed = custom_property_uses(parse_rules(css), uses_of)
    frontier = list(needed)
    while frontier:
        for name in uses_of.get(frontier.pop(), ()):
            if name not in needed:
                needed.add(name)
                frontier.append(name)
    return needed


@functools.cache
def notebook_css(css: str, used: frozenset[str]) -> str:
    """The rules that can match a notebook's HTML, without custom properties no rule reads."""
    matching = "\n".join(
        pruned_rules(parse_rules(css), lambda s: can_match(s, used), lambda p: True)
    )
    needed = needed_custom_properties(matching)
    return "\n".join(
        pruned_rules(
            parse_rules(matching),
            lambda s: True,
            lambda p: not p.startswith("--") or p in needed,
        )
    )


def with_body_styles_linked(
    output: str, page: Page, config: MkDocsConfig, used: AbstractSet[str]
) -> str:
    """Move the ``<style>`` blocks of the body, pruned, into one file linked at the end of
    ``<head>``, keeping the rules that can match an element with a class of ``used``.

    In the body they are parsed after the browser has painted the start of the page, which
    then moves (Lighthouse measured a layout shift of 0.16 on desktop), and each notebook
    page carried its own 590 KB copy (19 KB once pruned). The file is named by its
    content's hash, so a new notebook class or a new mkdocs-jupyter never meets a stale
    cached copy. The order of the rules is kept, and they still come after the theme's
    stylesheets, so the cascade is unchanged."""
    head_end, body_start = output.index("</head>"), output.index("<body")
    styles = STYLE_TAG.findall(output, body_start)
    if not styles:
        return output
    css = notebook_css("\n".join(styles), frozenset(used))
    name = f"assets/stylesheets/notebook.{hashlib.sha256(css.encode()).hexdigest()[:8]}.css"
    target = Path(config.site_dir) / name
    if not target.exists():
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(css, encoding="utf-8")
    link = f'  <link rel="stylesheet" href="{mkdocs.utils.get_relative_url(name, page.url)}">\n  '
    body = STYLE_TAG.sub("", output[body_start:])
    return output[:head_end] + link + output[head_end:body_start] + body

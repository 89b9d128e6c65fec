"""hooks/guide/code_heights.py: each code block carries its line count for the CSS."""

from __future__ import annotations

from guide.code_heights import with_code_line_counts


def test_each_code_block_gets_its_own_line_count():
    page = (
        '<p>x</p><div class="language-python highlight"><pre><span></span><code>a = 1\n'
        "b = 2\nc = 3\n</code></pre></div>"
        '<div class="highlight hl-ipython3"><pre><span></span>print(1)\n</pre></div>'
        '<div class="highlight"><p>not code</p></div>'
    )
    out = with_code_line_counts(page)
    assert '<div class="language-python highlight" style="--cg-lines: 3">' in out
    assert '<div class="highlight hl-ipython3" style="--cg-lines: 1">' in out
    assert '<div class="highlight"><p>not code</p></div>' in out  # no <pre>: left alone
    assert out.replace(' style="--cg-lines: 3"', "").replace(' style="--cg-lines: 1"', "") == page


def test_every_built_code_block_has_a_line_count(built_site):
    page = (built_site.path / "en" / "datasets" / "index.html").read_text(encoding="utf-8")
    assert page.count('highlight"><pre') == 0
    assert page.count("--cg-lines: ") > 20

"""No line break inside a Chinese sentence: Markdown would show it as a stray space."""

from __future__ import annotations

from conftest import load_tool

ZH_SAMPLE = """---
description: 一行描述。
---

# 标题
第一句写到这里，
第二句接着写。
用 `torch.save` 保存，
save() 之后再说。

- 列表项写到这里，
  接着写完。
- 第二项。

```python
# 代码里的中文，
# 不能动。
```

!!! note "提示"
    说明的第一行，
    说明的第二行。
"""


def test_zh_breaks_joins_sentences_and_leaves_blocks_alone(tmp_path):
    zh_breaks = load_tool("zh_breaks")
    page = tmp_path / "page.md"
    fixed, found = zh_breaks.fix_lines(page, ZH_SAMPLE.split("\n"))
    expected = ZH_SAMPLE.replace(
        "第一句写到这里，\n第二句接着写。\n用 `torch.save` 保存，\nsave()",
        "第一句写到这里，第二句接着写。用 `torch.save` 保存，save()",
    )
    expected = expected.replace("这里，\n  接着", "这里，接着").replace(
        "第一行，\n    说明", "第一行，说明"
    )
    assert "\n".join(fixed) == expected
    assert len(found) == 5
    cell = '# %% [markdown] lang="zh"\n# 笔记本里的一句，\n# 换了一行。\n\n# %% [markdown] lang="en"\n# An English\n# cell.\n'
    fixed, found = zh_breaks.fix_lines(tmp_path / "s.py", cell.split("\n"))
    assert fixed[1] == "# 笔记本里的一句，换了一行。" and fixed[-3:-1] == [
        "# An English",
        "# cell.",
    ]


def test_no_line_break_inside_a_chinese_sentence():
    """Markdown renders such a break as a stray space between Chinese characters."""
    assert load_tool("zh_breaks").main([]) == 0, "join them with `python tools/zh_breaks.py --fix`"

"""The words the hook writes on a page, per language."""

from __future__ import annotations

LABELS = {
    "zh": {
        "open_label": "在 Colab 中打开",
        "download_label": "下载笔记本 (.ipynb)",
        "module_label": "下载代码 {filename}（单个文件，可直接 import）",
        "folded_label": "折叠的代码：",
        "code_label": "本课代码：",
        "proof_label": "证明它的测试：",
        "report_label": "这一页有错，或者代码跑不通？在 GitHub 上报告（页面和语言已填好）",
        "report_body": (
            "页面：{url}\n语言：zh\n源文件：{source}\n\n"
            "哪里不对（贴上报错或输出）：\n\n\n"
            "在哪里运行：Colab / 自己的电脑（操作系统：）\n"
            "Colab 运行时版本（例如 2026.07，或 latest）：\n"
            "torch 版本（import torch; print(torch.__version__)）：\n"
            "GPU（!nvidia-smi 显示的型号，或“无”）：\n"
        ),
    },
    "en": {
        "open_label": "Open in Colab",
        "download_label": "Download notebook (.ipynb)",
        "module_label": "Download the code: {filename} (one file, ready to import)",
        "folded_label": "Folded code: ",
        "code_label": "The lesson's code: ",
        "proof_label": "The tests that prove it: ",
        "report_label": (
            "Something wrong on this page, or code that does not run? "
            "Report it on GitHub (page and language filled in)"
        ),
        "report_body": (
            "Page: {url}\nLanguage: en\nSource: {source}\n\n"
            "What is wrong (paste the error or output):\n\n\n"
            "Where it ran: Colab / my own machine (OS: )\n"
            "Colab runtime version (e.g. 2026.07, or latest):\n"
            "torch version (import torch; print(torch.__version__)):\n"
            "GPU (the model !nvidia-smi shows, or none):\n"
        ),
    },
}


def labels_for(lang: str) -> dict[str, str]:
    """``lang``'s labels; a language without its own gets the English ones."""
    return LABELS.get(lang, LABELS["en"])

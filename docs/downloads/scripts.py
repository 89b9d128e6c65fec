# scripts.py from Colab Guide (https://github.com/colab-guide/colab-guide),
# with the code it shares with other lessons inlined: this one file is all you need.
# ---
# jupyter:
#   jupytext:
#     text_representation:
#       extension: .py
#       format_name: percent
#   kernelspec:
#     display_name: Python 3
#     language: python
#     name: python3
# ---

# %% [markdown] lang="zh"
# # 在笔记本里运行 .py 脚本，并让 argparse 两边都能用
#
# 单元格适合试验；真正的训练最好写成一个 `.py` 文件：
#
# - **长任务**：脚本可以在终端、`nohup`、`colab` 命令行工具里跑，不依赖一个一直开着的浏览器标签页；
# - **同一份代码**：自己电脑上 `python train.py ...`，Colab 上 `!python train.py ...`，参数一样，结果一样；
# - **可测试**：参数解析、训练函数都能被测试直接调用。
#
# 本笔记本先用 `%%writefile` 写出一个小脚本，再用三种方式运行它：`!python`、`%run`、`subprocess`。

# %% [markdown] lang="en"
# # Running .py scripts from a notebook, with argparse that works in both
#
# Cells are for trying things; a real training run belongs in a `.py` file:
#
# - **long jobs**: a script runs from a terminal, under `nohup`, or through the `colab`
#   command-line tool, without a browser tab that must stay open;
# - **the same code everywhere**: `python train.py ...` on your machine and
#   `!python train.py ...` on Colab take the same arguments and do the same thing;
# - **testable**: the argument parser and the training function can be called from tests.
#
# This notebook writes a small script with `%%writefile`, then runs it three ways:
# `!python`, `%run` and `subprocess`.

# %% [markdown] lang="zh"
# ## 脚本本身：写对 argparse
#
# 下面这个单元格第一行是 `%%writefile train_tiny.py`：运行它不会执行代码，而是把代码存成文件。它重写了原文里的 `parsing.py` 例子，并补上几条规矩：
#
# - **位置参数**（`steps`）靠位置识别；**可选参数**以 `-` 开头，短名一个字母（`-l`），长名一个单词（`--lr`）。原文的 `-arg2` 是多字母短名，argparse 虽然接受，但容易和组合短选项混淆，不要这样写。
# - 每个参数都有 `type`：`"5"` 会变成整数 `5`；输入不合法时，由 argparse 报错并以退出码 2 结束，而不是在训练到一半时崩溃。
# - 每个参数都有默认值和 `help`，`--help` 就是说明书。`steps` 用 `nargs="?"` 变成可省略的位置参数，这样在笔记本里不传参数也能运行。
# - `parse_args(argv=None)`：不传 `argv` 时读真正的命令行；传一个列表时只解析这个列表（给测试和笔记本用）。在笔记本内核里，`sys.argv` 是 Jupyter 自己的启动参数（`-f .../kernel-xxxx.json`），不是给你的脚本的，所以要忽略。

# %% [markdown] lang="en"
# ## The script: argparse done right
#
# The cell below starts with `%%writefile train_tiny.py`: running it does not execute the
# code, it saves it as a file. It redoes the `parsing.py` example from the original post
# with a few rules added:
#
# - A **positional** argument (`steps`) is known by its position; an **optional** one starts
#   with `-`: a one-letter short name (`-l`) and a one-word long name (`--lr`). The post's
#   `-arg2` is a multi-letter short name: argparse accepts it, but it reads like bundled
#   short flags. Avoid it.
# - Every argument has a `type`: `"5"` becomes the integer `5`, and bad input stops in
#   argparse with a clear message and exit code 2, not halfway through training.
# - Every argument has a default and a `help` line, so `--help` is the manual. `nargs="?"`
#   makes the positional `steps` optional, so a notebook can run with no arguments.
# - `parse_args(argv=None)`: with no `argv` it reads the real command line; with a list it
#   parses exactly that list (for tests and notebook cells). Inside a notebook kernel,
#   `sys.argv` holds Jupyter's own start-up arguments (`-f .../kernel-xxxx.json`), which
#   are not meant for your script, so they are ignored.

# %%
# %%writefile train_tiny.py
# train_tiny.py: a tiny training run with a proper command line.
import argparse
import sys
import time
from collections.abc import Sequence
from pathlib import Path

# Jupyter starts a kernel as `<launcher> -f <connection file>.json`; Colab uses
# its own launcher.
KERNEL_LAUNCHERS = ("ipykernel_launcher.py", "colab_kernel_launcher.py")


def positive_int(text: str) -> int:
    """argparse type for counts: refuse 0 and negatives up front, with a message
    that says why.
    """
    try:
        value = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(
            f"{text!r} is not a whole number"
        ) from None
    if value < 1:
        raise argparse.ArgumentTypeError(f"must be at least 1, got {value}")
    return value


def build_parser() -> argparse.ArgumentParser:
    """Every argument has a type, a default and a help line, so `--help` is the
    manual.
    """
    parser = argparse.ArgumentParser(
        description=(
            "Fit y = 2x with a single weight and print the loss at every step."
        )
    )
    parser.add_argument(
        "steps",
        type=positive_int,
        nargs="?",
        default=20,
        help="number of training steps (default: %(default)s)",
    )
    parser.add_argument(
        "-l",
        "--lr",
        type=float,
        default=0.1,
        help="learning rate (default: %(default)s)",
    )
    parser.add_argument(
        "-m", "--message", help="a note to print before training"
    )
    parser.add_argument(
        "-d",
        "--delay",
        type=float,
        default=0.0,
        metavar="SECONDS",
        help=(
            "pause after each step, to watch the output stream"
            " (default: %(default)s)"
        ),
    )
    return parser


def script_arguments(argv: Sequence[str]) -> list[str]:
    """The part of ``argv`` meant for this script: nothing at all when a Jupyter
    kernel is running.
    """
    if argv and Path(argv[0]).name in KERNEL_LAUNCHERS:
        return []
    return list(argv[1:])


def parse_args(argv: Sequence[str] | None = None) -> argparse.Namespace:
    """One entry point for every caller.

    A shell, ``!python`` or ``%run``: leave ``argv`` out and the real command
    line is read. A notebook cell: leave it out too; the kernel's
    ``-f kernel.json`` is skipped, defaults apply. Tests, or a cell that wants
    other values: pass a list such as ``["5", "--lr", "0.3"]``.
    """
    if argv is None:
        argv = script_arguments(sys.argv)
    return build_parser().parse_args(list(argv))


def fit_slope(steps: int, lr: float, delay: float = 0.0) -> float:
    """Gradient descent for y = 2x: small enough to read, real enough to print a
    falling loss.
    """
    xs = [0.5, 1.0, 1.5, 2.0]
    weight = 0.0
    for step in range(1, steps + 1):
        gradient = sum(2 * (weight - 2) * x * x for x in xs) / len(xs)
        weight -= lr * gradient
        loss = sum(((weight - 2) * x) ** 2 for x in xs) / len(xs)
        # no flush: see run_script below
        print(f"step {step}/{steps}  loss {loss:.6f}")
        time.sleep(delay)
    return weight


def main(argv: Sequence[str] | None = None) -> int:
    args = parse_args(argv)
    if args.message:
        print(args.message)
    weight = fit_slope(args.steps, args.lr, args.delay)
    print(f"done: weight {weight:.4f} after {args.steps} steps (target 2.0)")
    return 0


# `python snippets/scripts.py ...` stops here too: this file is the script
if __name__ == "__main__":
    sys.exit(main())


# %% [markdown] lang="zh"
# ## 方式一：`!python`，和在终端里一样
#
# `!` 把这一行交给 shell。参数写法和终端里完全相同。最后一个例子故意传了 `0`：argparse 打印用法和原因，退出码是 2（`$?` 是 shell 里上一条命令的退出码）。

# %% [markdown] lang="en"
# ## Way 1: `!python`, exactly as in a terminal
#
# `!` hands the line to the shell, and the arguments are written as in a terminal. The
# last example passes `0` on purpose: argparse prints the usage and the reason, and the
# exit code is 2 (`$?` is the shell's exit code of the previous command).

# %%
# !python train_tiny.py 5 --lr 0.3 -m "run from a shell line"
# !python train_tiny.py --help
# !python train_tiny.py 0; echo "exit code: $?"

# %% [markdown] lang="zh"
# ## 方式二：`%run`，运行后函数留在笔记本里
#
# `%run` 在当前内核里运行脚本，参数照样传进 `sys.argv`，`__name__` 是 `"__main__"`。运行结束后，脚本定义的函数（`parse_args`、`fit_slope`……）都留在笔记本里，后面的单元格可以直接调用。脚本里的 `sys.exit(0)` 不会打断笔记本。

# %% [markdown] lang="en"
# ## Way 2: `%run`, and the functions stay in the notebook
#
# `%run` runs the script inside this kernel: the arguments reach `sys.argv` and
# `__name__` is `"__main__"`. Afterwards every function the script defined
# (`parse_args`, `fit_slope`, ...) is available to the following cells. The script's
# `sys.exit(0)` does not stop the notebook.

# %%
# %run train_tiny.py 3 -m "run with %run"

# %% [markdown] lang="zh"
# ## 在单元格里调用 `parse_args`
#
# 先看内核自己的 `sys.argv`：第一个是内核启动器，后面是 `-f` 和连接文件。`parse_args()` 识别出这是内核，忽略这些参数，得到默认值；传列表时只解析列表。

# %% [markdown] lang="en"
# ## Calling `parse_args` from a cell
#
# First look at the kernel's own `sys.argv`: the kernel launcher, then `-f` and the
# connection file. `parse_args()` sees that a kernel is running, ignores them and
# returns the defaults; a list is parsed exactly.

# %%
if __name__ == "__main__":
    print("the kernel's sys.argv:", sys.argv)
    print("parse_args()          ->", parse_args())
    print("parse_args([...])     ->", parse_args(["8", "--lr", "0.2"]))


# %% [markdown] lang="zh"
# ## 常见写法为什么在笔记本里出错
#
# 大多数教程直接写 `parser.parse_args()`，它读的是 `sys.argv[1:]`。在笔记本里，那是 `['-f', '.../kernel-xxxx.json']`：argparse 把连接文件路径当成 `steps`，报错并抛出 `SystemExit(2)`，单元格就此中断。下面捕获这个异常，让你看到它。

# %% [markdown] lang="en"
# ## Why the usual version breaks in a notebook
#
# Most tutorials call `parser.parse_args()`, which reads `sys.argv[1:]`. In a notebook
# that is `['-f', '.../kernel-xxxx.json']`: argparse takes the connection file for
# `steps`, prints an error and raises `SystemExit(2)`, which stops the cell. The cell
# below catches it so you can see it.


# %%
def naive_parse_args() -> argparse.Namespace:
    """What most examples do. In a notebook, sys.argv belongs to the kernel, not
    to you.
    """
    return build_parser().parse_args()


if __name__ == "__main__":
    try:
        naive_parse_args()
    except SystemExit as stop:
        print(
            f"naive_parse_args() raised SystemExit({stop.code})"
            " inside the notebook"
        )


# %% [markdown] lang="zh"
# ## 方式三：`subprocess`，实时输出并检查退出码
#
# 在脚本里（或想拿到退出码时）用 `subprocess`。两个坑：
#
# 1. 子进程的输出接到管道时，Python 会攒满一大块才写出，单元格看起来像卡住，最后一次性出现。`python -u`（或环境变量 `PYTHONUNBUFFERED=1`）让它每行都立刻写出。
# 2. 子进程失败不会自动报错。要检查退出码；`check=True` 时非零就抛出 `CalledProcessError`。
#
# `run_script` 逐行读取输出并立刻打印，所以训练进度是一行一行出现的。

# %% [markdown] lang="en"
# ## Way 3: `subprocess`, with live output and the exit code checked
#
# Use `subprocess` from a script, or whenever you need the exit code. Two traps:
#
# 1. When a child's output goes into a pipe, Python holds it back until a large block is
#    full: the cell looks frozen, then everything appears at once. `python -u` (or the
#    environment variable `PYTHONUNBUFFERED=1`) makes it write every line at once.
# 2. A failing child raises nothing by itself. Check the exit code; with `check=True`
#    a non-zero code raises `CalledProcessError`.
#
# `run_script` reads the output line by line and prints each line as it arrives, so the
# training progress shows up one step at a time.

# %%
import subprocess
from collections.abc import Callable


def echo(line: str) -> None:
    print(line, end="", flush=True)


def run_script(
    args: Sequence[str],
    check: bool = True,
    on_line: Callable[[str], None] = echo,
) -> int:
    """Run ``python -u <args>`` with this interpreter; hand over each output
    line as it arrives.

    Returns the exit code. With ``check=True`` a non-zero code raises
    ``CalledProcessError`` whose ``output`` holds everything the script printed.
    """
    command = [sys.executable, "-u", *args]
    lines = []
    with subprocess.Popen(
        command,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
        bufsize=1,
    ) as child:
        assert child.stdout is not None
        # yields each line as soon as the child writes it
        for line in child.stdout:
            on_line(line)
            lines.append(line)
    if check and child.returncode != 0:
        raise subprocess.CalledProcessError(
            child.returncode, command, output="".join(lines)
        )
    return child.returncode



# %%
if __name__ == "__main__":
    code = run_script(
        ["train_tiny.py", "4", "--delay", "0.5", "-m", "streamed line by line"]
    )
    print(f"exit code {code}")
    try:
        run_script(["train_tiny.py", "--lr", "fast"])
    except subprocess.CalledProcessError as error:
        print(f"train_tiny.py failed with exit code {error.returncode}")

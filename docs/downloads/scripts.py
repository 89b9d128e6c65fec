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
# 单元格适合试验，真正的训练最好写成一个 `.py` 文件。自己电脑上 `python train.py ...`，Colab 上 `!python train.py ...`，参数一样，结果一样；参数解析和训练函数也都能被测试直接调用。在自己的电脑或服务器上，脚本可以用 `nohup` 放到后台，关掉终端也不停。在 Colab 上不是这样：`!python` 或 `nohup` 启动的进程都在运行时里，运行时被删除或回收时一起结束；能留下来的只有写进 Drive 的检查点。
#
# 这个笔记本先让你看到常见写法在笔记本里怎样出错，再写出一个两边都能用的小脚本 `train_tiny.py`，最后用三种方式运行它：`%run`、`!python` 和 `subprocess`。

# %% [markdown] lang="en"
# # Running .py scripts from a notebook, with argparse that works in both
#
# Cells are for trying things; a real training run belongs in a `.py` file:
# `python train.py ...` on your machine and `!python train.py ...` on Colab take the
# same arguments and do the same thing, and tests can call its argument parser and
# training function. On your own machine or server, `nohup` keeps a script running after
# you close the terminal. Not on Colab: a process started with `!python` or `nohup`
# lives in the runtime and ends when the runtime is deleted or recycled; only the
# checkpoints written to Drive remain.
#
# This notebook first shows the usual version failing in a notebook, then writes a small
# script, `train_tiny.py`, that works in both, and runs it three ways: `%run`,
# `!python` and `subprocess`.

# %% [markdown] lang="zh"
# ## 问题：常见的 `parser.parse_args()` 在笔记本单元格里出错
#
# 大多数教程直接写 `parser.parse_args()`，它读的是 `sys.argv[1:]`。在笔记本内核里，`sys.argv` 是 Jupyter 启动内核时用的参数：内核启动器，然后是 `-f` 和一个连接文件（每次启动名字都不同）。argparse 把连接文件的路径当成 `steps`，报错并抛出 `SystemExit(2)`，单元格就此中断。下面捕获这个异常，让你看到它：

# %% [markdown] lang="en"
# ## The problem: the usual `parser.parse_args()` breaks in a notebook cell
#
# Most tutorials call `parser.parse_args()`, which reads `sys.argv[1:]`. In a notebook
# kernel `sys.argv` holds the arguments Jupyter started the kernel with: the kernel
# launcher, then `-f` and a connection file (a new name at every start). argparse takes
# the connection file's path for `steps`, prints an error and raises `SystemExit(2)`,
# which stops the cell. The cell below catches it so you can see it:

# %% active="ipynb"
# import argparse
# import sys
#
# print("the kernel's sys.argv:", sys.argv)
# parser = argparse.ArgumentParser(prog="train.py")
# parser.add_argument("steps", type=int, nargs="?", default=20)
# try:
#     parser.parse_args()  # what most tutorials write
# except SystemExit as stop:
#     print(f"parse_args() raised SystemExit({stop.code}) inside the notebook")

# %% [markdown] lang="zh"
# ## 修正：只有不在内核里时，才读命令行
#
# 下面的单元格第一行是 `%%writefile train_tiny.py`：运行它不会执行代码，而是把代码存成文件（后面两个单元格用 `%%writefile -a` 接着往里写）。`parse_args(argv=None)` 是唯一的入口：不传 `argv` 时读真正的命令行，但 `sys.argv[0]` 是内核启动器时什么都不读，全部用默认值。传一个列表时只解析这个列表（给测试和笔记本单元格用）。`%run` 会把 `sys.argv[0]` 换成脚本名，所以 `%run train_tiny.py 3` 的参数照样算数。

# %% [markdown] lang="en"
# ## The fix: read the command line only outside a kernel
#
# The cell below starts with `%%writefile train_tiny.py`: running it does not execute
# the code, it saves it as a file (the next two cells add to it with
# `%%writefile -a`). `parse_args(argv=None)` is the one entry point: with no `argv` it
# reads the real command line, except when `sys.argv[0]` is a kernel launcher, where it
# reads nothing and every argument takes its default; with a list it parses exactly
# that list (for tests and notebook cells). `%run` replaces `sys.argv[0]` with the
# script's name, so the arguments of `%run train_tiny.py 3` still count.

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



# %% [markdown] lang="zh"
# ## 写对 argparse：类型、默认值、帮助
#
# 这是原文 `parsing.py` 例子的重写，补上几条规矩：
#
# - **位置参数**（`steps`）靠位置识别；**可选参数**以 `-` 开头，短名一个字母（`-l`），长名一个单词（`--lr`）。原文的 `-arg2` 是多字母短名，argparse 虽然接受，但容易和组合短选项混淆，不要这样写。
# - 每个参数都有 `type`：`"0.3"` 会变成浮点数 `0.3`。`step_count` 在解析时就拒绝 `0`、负数和非数字，输入不合法时由 argparse 报错并以退出码 2 结束，而不是在训练到一半时崩溃。
# - 每个参数都有默认值和 `help`，`%(default)s` 把默认值写进帮助，`--help` 就是说明书。`steps` 用 `nargs="?"` 变成可省略的位置参数，这样在笔记本里不传参数也能运行。

# %% [markdown] lang="en"
# ## argparse done right: types, defaults, help
#
# This redoes the `parsing.py` example from the original post, with a few rules added:
#
# - A **positional** argument (`steps`) is known by its position; an **optional** one
#   starts with `-`: a one-letter short name (`-l`) and a one-word long name (`--lr`).
#   The post's `-arg2` is a multi-letter short name: argparse accepts it, but it reads
#   like bundled short flags. Avoid it.
# - Every argument has a `type`: `"0.3"` becomes the float `0.3`. `step_count` refuses
#   `0`, negatives and non-numbers while parsing, so bad input stops in argparse with a
#   clear message and exit code 2, not halfway through training.
# - Every argument has a default and a `help` line; `%(default)s` puts the default into
#   the help text, so `--help` is the manual. `nargs="?"` makes the positional `steps`
#   optional, so a notebook can run the script with no arguments.


# %%
# %%writefile -a train_tiny.py


def step_count(text: str) -> int:
    """argparse type for the number of steps: refuse 0, negatives and
    non-numbers up front, with a message that says why.
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




# %%
# %%writefile -a train_tiny.py


def build_parser() -> argparse.ArgumentParser:
    """Every argument has a type, a default and a help line."""
    parser = argparse.ArgumentParser(
        description="Fit y = 2x with a single weight and print the loss at "
        "every step."
    )
    parser.add_argument(
        "steps",
        type=step_count,
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
        help="pause after each step, to watch the output stream"
        " (default: %(default)s)",
    )
    return parser



# %% [markdown] lang="zh"
# ## 训练本身，以及 `main`
#
# `main(argv=None)` 返回退出码，`sys.exit(main())` 把它交给 shell：0 表示成功。训练是一个只有一个权重的模型，拟合 y = 2x，每一步打印损失。

# %% [markdown] lang="en"
# ## The training, and `main`
#
# `main(argv=None)` returns an exit code, and `sys.exit(main())` hands it to the shell:
# 0 means success. The training fits y = 2x with a single weight and prints the loss at
# every step.


# %%
# %%writefile -a train_tiny.py


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


# run as a script: python train_tiny.py 5 --lr 0.3
if __name__ == "__main__":
    sys.exit(main())


# %% [markdown] lang="zh"
# ## 证明：`%run`，然后在单元格里调用 `parse_args`
#
# `%run` 在当前内核里运行脚本，参数照样传进 `sys.argv`，`__name__` 是 `"__main__"`。脚本里的 `sys.exit(0)` 不会打断笔记本。运行结束后，脚本定义的函数（`parse_args`、`fit_slope`……）都留在笔记本里，后面的单元格可以直接调用。

# %% [markdown] lang="en"
# ## The proof: `%run`, then `parse_args` from a cell
#
# `%run` runs the script inside this kernel: the arguments reach `sys.argv` and
# `__name__` is `"__main__"`. The script's `sys.exit(0)` does not stop the notebook.
# Afterwards every function the script defined (`parse_args`, `fit_slope`, ...) stays in
# the notebook, so the following cells can call them.

# %%
# %run train_tiny.py 3 -m "run with %run"

# %% [markdown] lang="zh"
# 在单元格里，`parse_args()` 识别出这是内核，忽略内核的参数，得到默认值；传列表时只解析列表。同一个解析器用常见写法 `naive_parse_args()` 调用，还是会出错。

# %% [markdown] lang="en"
# In a cell, `parse_args()` sees that a kernel is running, ignores the kernel's
# arguments and returns the defaults; a list is parsed exactly. The same parser called
# the usual way, `naive_parse_args()`, still fails.


# %%
# --- _colab.py, inlined ------------------------------------------------------
import argparse
import os
import sys
from pathlib import Path


def in_colab() -> bool:
    """True on a Colab runtime: only there is the ``google.colab`` package
    installed."""
    try:
        import google.colab  # noqa: F401
    except ImportError:
        return False
    return True


def drive_mountpoint() -> Path:
    """Where Colab mounts Drive. The override exists only so tests can mount
    somewhere safe."""
    return Path(os.environ.get("COLAB_GUIDE_MOUNTPOINT", "/content/drive"))


def running_in_notebook() -> bool:
    """True inside a Jupyter or Colab kernel, whose ``sys.argv`` is the
    launcher's (``ipykernel_launcher -f kernel.json``), not the reader's
    flags."""
    # Not "ipykernel in sys.modules": under `%run resume.py --steps 500` the
    # kernel is loaded, yet sys.argv holds the reader's flags, which count.
    return Path(sys.argv[0]).stem.endswith("kernel_launcher")


def positive_int(text: str) -> int:
    """argparse type for counts: refuse 0, negatives and non-numbers up
    front, with a message that says why."""
    try:
        value = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(
            f"{text!r} is not a whole number"
        ) from None
    if value < 1:
        raise argparse.ArgumentTypeError(f"must be at least 1, got {value}")
    return value
# --- end of _colab.py


def naive_parse_args() -> argparse.Namespace:
    """What most examples do. In a notebook, sys.argv belongs to the kernel, not
    to you.
    """
    return build_parser().parse_args()



# %% [markdown] lang="zh"
# ## 在笔记本里用 `!python` 运行，和在终端里一样
#
# `!` 把这一行交给 shell，参数写法和终端里完全相同。最后一个例子故意传了 `0`：argparse 打印用法和原因，退出码是 2（`$?` 是 shell 里上一条命令的退出码）。
#
# 下面保存的输出来自 Python 3.11，所以 `--help` 把选项写成 `-l LR, --lr LR`；Colab 的 Python 3.13 写成 `-l, --lr LR`，内容相同。

# %% [markdown] lang="en"
# ## `!python` in a notebook, exactly as in a terminal
#
# `!` hands the line to the shell, and the arguments are written as in a terminal. The
# last example passes `0` on purpose: argparse prints the usage and the reason, and the
# exit code is 2 (`$?` is the shell's exit code of the previous command).
#
# The saved output below comes from Python 3.11, so `--help` prints `-l LR, --lr LR`;
# Colab's Python 3.13 prints `-l, --lr LR`, with the same content.

# %%
# !python train_tiny.py 5 --lr 0.3 -m "run from a shell line"
# !python train_tiny.py --help
# !python train_tiny.py 0; echo "exit code: $?"

# %% [markdown] lang="zh"
# ## 下一步：`subprocess`，实时输出并检查退出码
#
# 在 `.py` 脚本里没有 `!`，要用 `subprocess`（想拿到退出码时也一样）。两个坑：
#
# 1. 子进程的输出接到管道时，Python 会攒满一大块才写出，单元格看起来像卡住，最后一次性出现。`python -u`（或环境变量 `PYTHONUNBUFFERED=1`）让它每行都立刻写出。
# 2. 子进程失败不会自动报错。要检查退出码；`check=True` 时非零就抛出 `CalledProcessError`。
#
# `run_script`（已折叠）逐行读取输出并立刻打印，所以训练进度是一行一行出现的。

# %% [markdown] lang="en"
# ## Next level: `subprocess`, with live output and the exit code checked
#
# A `.py` script has no `!`: there (or whenever you need the exit code) you use
# `subprocess`. Two traps:
#
# 1. When a child's output goes into a pipe, Python holds it back until a large block is
#    full: the cell looks frozen, then everything appears at once. `python -u` (or the
#    environment variable `PYTHONUNBUFFERED=1`) makes it write every line at once.
# 2. A failing child raises nothing by itself. Check the exit code; with `check=True`
#    a non-zero code raises `CalledProcessError`.
#
# `run_script` (folded) reads the output line by line and prints each line as it
# arrives, so the training progress shows up one step at a time.

# %%
# @title run_script: run a script with live output, check its exit code
# @title-zh run_script：运行脚本，实时输出，检查退出码
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

# %% [markdown] lang="zh"
# 这一课的测试：[tests/test_scripts.py](https://github.com/colab-guide/colab-guide/blob/main/tests/test_scripts.py)

# %% [markdown] lang="en"
# This lesson's tests: [tests/test_scripts.py](https://github.com/colab-guide/colab-guide/blob/main/tests/test_scripts.py)

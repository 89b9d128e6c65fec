# why_colab.py from Colab Guide (https://github.com/colab-guide/colab-guide),
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
# # 为什么用 Colab：该不该付钱，先看答案
#
# 先说结论：**花多少钱，只取决于两件事：用哪块 GPU，以及连接了多少小时。** 连着就扣计算单元（compute units，CU），不管代码在不在跑。
#
# | 方案 | 你得到什么 | 价格（来源、日期） |
# | --- | --- | --- |
# | 免费版 | 没有 CU；有空闲时才分到 T4 这样的 GPU，不保证；A100 用不了 | 0 |
# | 按量付费 | 一次买 100 或 500 CU，90 天内有效 | 100 CU 9.99 美元，500 CU 49.99 美元（2022-09 上线价，当前价格未确认） |
# | Colab Pro | 每月 100 CU | 常被引用为每月 9.99 美元（未确认） |
# | Colab Pro+ | 每月 500 CU；有 CU 时运行时最长保持约 24 小时 | 常被引用为每月 49.99 美元（未确认） |
# | Colab Enterprise | 不用 CU，走 Google Cloud 计费 | 未收录 |
#
# 公式只有两行：
#
# - **用掉的 CU = 每小时消耗 × 连接小时数**
# - **花费 ≈ 用掉的 CU × 0.10 美元**（9.99 ÷ 100），按量付费要凑成整包，Pro / Pro+ 要凑成整月。
#
# 用户在 2023-05 观察到的消耗：T4 约 1.86 CU/小时（约 0.19 美元），A100 约 13.8 CU/小时（约 1.38 美元）。这不是官方数字，你自己的速率以 Colab“资源”面板为准。所以最省钱的做法是：**在本地写代码、调通，只为训练连接 Colab 的 GPU，训练完立刻断开。**
#
# 下面的单元格就按这个公式算一次：A100 连接 10 小时（前两个折叠的单元格是准备工作）。

# %% [markdown] lang="en"
# # Why Colab: should you pay? The answer first
#
# The short answer: **what you pay depends on two things only, the GPU you pick and the
# hours you stay connected.** A connected runtime uses compute units (CU) whether or not
# code is running.
#
# | Plan | What you get | Price (source, date) |
# | --- | --- | --- |
# | Free | no CU; a GPU such as a T4 when one is free, not guaranteed; no A100 | 0 |
# | Pay As You Go | packs of 100 or 500 CU, valid for 90 days | 100 CU for US$9.99, 500 CU for US$49.99 (launch price 2022-09; today's unconfirmed) |
# | Colab Pro | 100 CU a month | widely quoted as US$9.99 a month (unconfirmed) |
# | Colab Pro+ | 500 CU a month; runtime kept up to about 24 h while you have CU | widely quoted as US$49.99 a month (unconfirmed) |
# | Colab Enterprise | no CU; Google Cloud billing | not collected |
#
# The formula is two lines:
#
# - **CU used = CU per hour × hours connected**
# - **cost ≈ CU used × US$0.10** (9.99 ÷ 100), rounded up to whole packs (Pay As You
#   Go) or whole months (Pro, Pro+).
#
# Users saw these rates in 2023-05: T4 about 1.86 CU an hour (about US$0.19), A100 about
# 13.8 CU an hour (about US$1.38). They are not official; Colab's Resources panel shows
# your rate. So the cheapest habit is: **write and debug on your own machine, connect to
# a Colab GPU only to train, and disconnect when it is done.**
#
# The cell below applies the formula once: an A100 for 10 hours (the two folded cells
# before it set things up).

# %%
# @title Imports
# @title-zh 导入
from __future__ import annotations

import argparse
import math
import re
import sys
from collections.abc import Mapping
from dataclasses import dataclass

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


# %%

# %% [markdown] lang="zh"
# 138 CU 要买两包，花 19.98 美元，还剩 62 CU（90 天后过期）。Pro 每月只发 100 CU，同一个任务要用掉两个月的额度。
#
# ## 陷阱：为思考时间付费
#
# 本站起点的那篇 2024 年 3 月的博文，作者有自己的显卡，还是订了 Colab Pro：自己的 GPU 太慢，出门时手边又没有 NVIDIA GPU。他的分工是本地写原型、调试，调通后再把长训练交给 Colab。这个分工今天更重要，因为连着就扣费。看看差多少：在 Colab 的 T4 上边写边调 6 小时再训练 10 小时，和只为 10 小时训练连接。

# %% [markdown] lang="en"
# 138 CU means two packs, US$19.98, with 62 CU left over (they expire after 90 days).
# Pro grants only 100 CU a month, so the same job uses two months of allotment.
#
# ## The trap: paying for thinking time
#
# The author of the March 2024 blog post this guide grew from owned graphics cards
# and still subscribed to Colab Pro: their GPUs were too slow, and away from home there
# was no NVIDIA GPU at hand.
# Their split: prototype and debug at home, then hand the long training job to Colab.
# That split matters more today, because connected means charged. Here is the
# difference: 6 hours of writing and debugging on a Colab T4 plus 10 hours of training,
# against connecting only for the 10 hours of training.

# %%

# %% [markdown] lang="zh"
# 多连的 6 小时多花了 11.16 CU，约 1.1 美元，而这段时间 GPU 几乎是空着的。换成 A100，同样 6 小时是 82.8 CU，接近一整包。
#
# ## 计算器：任意 GPU、任意时长
#
# 上面的两行公式够估算了。下面的计算器多做了四件事：价格表只写一次，每一项都标来源和日期；检查输入（型号拼写、负数、`NaN`）；按量付费时找最便宜的整包组合；把五种方案排成一张表。代码折叠在下面几个单元格里，展开就能读，不展开也照样运行。


# %% [markdown] lang="en"
# The 6 extra hours cost 11.16 CU, about US$1.10, while the GPU sat nearly idle. On an
# A100 the same 6 hours are 82.8 CU, almost a whole pack.
#
# ## The calculator: any GPU, any hours
#
# The two-line formula is enough for an estimate. The calculator below adds four
# things: one price table, each figure with its source and date; checks on the input
# (spelling of the GPU, negative hours, `NaN`); the cheapest mix of whole packs for Pay
# As You Go; and one table comparing the five plans. Its code is folded in the next
# cells: open them to read it; folded, they still run.
# %%
# @title The price table: every figure, with its source and date
# @title-zh 价格表：每个数字都带来源和日期
@dataclass(frozen=True)
class Rate:
    """Compute units one accelerator uses per connected hour, and where the
    figure came from.
    """

    cu_per_hour: float
    seen: str  # when the figure was observed
    source: str
    availability: str


@dataclass(frozen=True)
class Subscription:
    """A monthly plan: a price and an allotment of compute units that arrives
    each month.
    """

    usd_per_month: float
    cu_per_month: int
    price_status: str


@dataclass(frozen=True)
class PriceTable:
    """Every figure the calculator uses.

    Change a price here and nowhere else.
    """

    compiled: str
    rates: Mapping[str, Rate]
    payg_bundles: Mapping[int, float]  # compute units in the pack -> US$
    payg_status: str
    subscriptions: Mapping[str, Subscription]
    offered_without_rate: Mapping[str, str]
    retired: Mapping[str, str]
    # What the free tier can get, by accelerator; absent: unconfirmed.
    on_free_tier: Mapping[str, str]
    not_on_free_tier: Mapping[str, str]
    cu_valid_days: int


PRICES = PriceTable(
    # Compiled 2026-11-25 from archived public pages, code and issue threads;
    # none read live.
    compiled="2026-11-25",
    rates={
        # USER OBSERVATIONS, not published by Google: the Resources panel shows
        # the live rate.
        # T4: 1.86 CU/h, user report, TheLastBen/fast-stable-diffusion issue
        #     #2126, 2023-05.
        #     (1.96 CU/h on Pro+, currypurin.com, 2022-09-30.)
        "T4": Rate(
            1.86,
            "2023-05",
            "fast-stable-diffusion issue #2126",
            "offered (2026-08)",
        ),
        # A100: 13.8 CU/h, user report, googlecolab/colabtools issue #3709,
        #     2023-05-23.
        #     (13.08 CU/h on Pro+, currypurin.com, 2022-09-30.)
        #     40 GB or 80 GB: unconfirmed.
        "A100": Rate(
            13.8,
            "2023-05",
            "colabtools issue #3709",
            "offered when capacity allows (2026-08)",
        ),
        # TPU: about 2 CU/h on Pro+, currypurin.com, 2022-09-30
        #     (v2-8 was Colab's TPU then).
        #     v2-8 left the free tier in 2025-09 (colabtools #5566);
        #     paid access unconfirmed.
        "TPU v2-8": Rate(
            2.0,
            "2022-09",
            "currypurin.com blog",
            "left the free tier 2025-09; paid access unconfirmed",
        ),
    },
    # Pay As You Go at launch: 100 CU = US$9.99, 500 CU = US$49.99
    # (TechCrunch, 2022-09-29).
    payg_bundles={100: 9.99, 500: 49.99},
    payg_status="launch price 2022-09; current price unconfirmed",
    subscriptions={
        # Allotments: Pro 100 CU/month (Colab team, colabtools #4395,
        # 2024-02-21); Pro+ 500 CU/month (secondary only: currypurin.com,
        # 2022-09-30).
        # USD prices: UNCONFIRMED for 2025-2026. Secondary: Pro "about US$10"
        # (mccormickml.com, 2026-03); Pro ~JPY 1,180 and Pro+ ~JPY 5,200
        # (NetDevInfraWiki, 2026-09-11).
        "Pro": Subscription(
            9.99, 100, "price unconfirmed (secondary: ~US$10, 2026-03)"
        ),
        "Pro+": Subscription(
            49.99, 500, "price unconfirmed (widely quoted, not official)"
        ),
    },
    # Offered in 2026 (colab-vscode client code 2026-08-20; colabtools #5976,
    # #6045, #6076), but no rate on record: pass the one the Resources panel
    # shows.
    offered_without_rate={
        "L4": "offered, High-RAM runtimes only (2026-08)",
        "H100": "offered in limited numbers, first come first served (2026-08)",
        "G4": (
            "NVIDIA RTX PRO 6000 Blackwell, the fallback when no H100 is free "
            "(2026-08)"
        ),
        "TPU v5e-1": (
            "offered, High-RAM only; the free tier's TPU since 2025-09"
        ),
        "TPU v6e-1": "offered, High-RAM only; added 2025-04",
    },
    # Marked deprecated in the Colab client code (colab-vscode commit bc99e7e,
    # 2025-01-30).
    retired={
        "V100": "retired: marked deprecated in Colab's client code (2025-01)",
        "P100": "retired: marked deprecated in Colab's client code (2025-01)",
        "P4": "retired: marked deprecated in Colab's client code (2025-01)",
    },
    # Free of charge when there is capacity, never guaranteed (Colab team,
    # colabtools #4395, 2024-02-21); the free TPU since 2025-09 (colabtools
    # #5566).
    on_free_tier={
        "T4": "a T4 when one is free, not guaranteed (2024-02)",
        "TPU v5e-1": "the free tier's TPU since 2025-09",
    },
    # Premium GPUs need compute units: "if you've run out then premium not
    # accessible" (Colab PM, colabtools #3126, 2022-10-06).
    not_on_free_tier={
        "A100": "a premium GPU: it needs compute units (Colab PM, 2022-10)",
        "TPU v2-8": "left the free tier in 2025-09",
    },
    # Compute units expire 90 days after purchase or grant
    # (Colab PM, colabtools #3617, 2023-08-10).
    cu_valid_days=90,
)


# %%
# @title Input checks: GPU names, hours, rates
# @title-zh 检查输入：GPU 型号、小时数、速率
def name_key(name: str) -> str:
    """Fold 'Tesla T4', 't4' and 'T-4' together so a reader's spelling does
    not matter.
    """
    key = re.sub(r"[^a-z0-9]", "", str(name).lower())
    return re.sub(r"^(nvidia|tesla|tpu)", "", key)


def lookup(name: str, table: Mapping[str, object]) -> str | None:
    """The table's own spelling of ``name``, or None when the table does not
    have it.
    """
    wanted = name_key(name)
    return next((known for known in table if name_key(known) == wanted), None)


def known_names(prices: PriceTable = PRICES) -> str:
    """The names the calculator can price, and those that need a rate from
    you.
    """
    return (
        f"{', '.join(sorted(prices.rates))} "
        "(with --cu-per-hour also: "
        f"{', '.join(sorted(prices.offered_without_rate))})"
    )


def accelerator_name(gpu: str, prices: PriceTable = PRICES) -> str:
    """The table's spelling of an accelerator Colab offers; a clear ValueError
    otherwise.
    """
    for table in (prices.rates, prices.offered_without_rate):
        name = lookup(gpu, table)
        if name is not None:
            return name
    retired = lookup(gpu, prices.retired)
    if retired is not None:
        raise ValueError(
            f"{retired} is no longer offered ({prices.retired[retired]}). "
            f"Known accelerators: {known_names(prices)}."
        )
    raise ValueError(
        f"Unknown accelerator {gpu!r}. "
        f"Known accelerators: {known_names(prices)}."
    )


def find_rate(gpu: str, prices: PriceTable = PRICES) -> tuple[str, Rate]:
    """The table's name and observed rate for ``gpu``; a ValueError that says
    what to do instead.
    """
    name = accelerator_name(gpu, prices)
    if name not in prices.rates:
        raise ValueError(
            f"No observed compute-unit rate for {name} is on record "
            f"({prices.offered_without_rate[name]}). "
            "Read the rate in Colab's Resources "
            "panel and pass it as cu_per_hour (--cu-per-hour)."
        )
    return name, prices.rates[name]


def checked_number(value: float, what: str) -> float:
    """A finite number >= 0, or an error that says what was wrong with it."""
    if isinstance(value, bool) or not isinstance(value, int | float):
        raise TypeError(
            f"{what} must be a number, got {value!r} ({type(value).__name__})"
        )
    if math.isnan(value):
        raise ValueError(f"{what} must be a number, got NaN")
    if math.isinf(value):
        raise ValueError(f"{what} must be finite, got {value}")
    if value < 0:
        raise ValueError(f"{what} must be 0 or more, got {value}")
    return float(value)




# %%
# @title Compute units, whole packs and what each plan charges
# @title-zh 计算单元、整包，以及每种方案的花费
def whole_packs(units: float, pack_size: int) -> int:
    """Packs needed to cover ``units``; rounding first stops 100.00000000001
    from costing a pack.
    """
    return math.ceil(round(units / pack_size, 9))


def compute_units(
    gpu: str,
    hours: float,
    cu_per_hour: float | None = None,
    prices: PriceTable = PRICES,
) -> float:
    """Units used by ``hours`` connected to ``gpu``; ``cu_per_hour`` overrides
    the table.
    """
    hours = checked_number(hours, "hours")
    if cu_per_hour is None:
        cu_per_hour = find_rate(gpu, prices)[1].cu_per_hour
    else:
        accelerator_name(gpu, prices)  # a typo in the name is still an error
    return checked_number(cu_per_hour, "cu_per_hour") * hours


def cheapest_packs(
    units: float, bundles: Mapping[int, float]
) -> tuple[float, dict[int, int]]:
    """Lowest price (US$) of whole Pay As You Go packs covering ``units``, and
    the mix.
    """
    sizes = sorted(bundles, reverse=True)
    largest, rest = sizes[0], {size: bundles[size] for size in sizes[1:]}
    if not rest:
        count = whole_packs(units, largest)
        return count * bundles[largest], {largest: count}
    best: tuple[float, dict[int, int]] | None = None
    for count in range(whole_packs(units, largest) + 1):
        price, mix = cheapest_packs(max(0.0, units - count * largest), rest)
        price += count * bundles[largest]
        if best is None or round(price, 2) < round(best[0], 2):
            best = price, {largest: count, **mix}
    return best


@dataclass(frozen=True)
class PlanCost:
    plan: str
    usd: float | None  # None: this plan is not priced in compute units
    units_bought: float | None
    buys: str  # what the money buys
    caveat: str = ""  # how sure we are of the price


def free_tier_cost(name: str, prices: PriceTable = PRICES) -> PlanCost:
    """The free tier costs nothing, but only for what it can get: a 0.00 for
    an A100 would say the free tier runs it."""
    if name in prices.on_free_tier:
        return PlanCost(
            "Free",
            0.0,
            None,
            "no compute units; resources not guaranteed",
            prices.on_free_tier[name],
        )
    if name in prices.not_on_free_tier:
        return PlanCost(
            "Free",
            None,
            None,
            f"not available: {name} is not on the free tier",
            prices.not_on_free_tier[name],
        )
    return PlanCost(
        "Free", None, None, f"unconfirmed whether the free tier offers {name}"
    )


def plan_costs(
    gpu: str,
    hours: float,
    cu_per_hour: float | None = None,
    prices: PriceTable = PRICES,
) -> tuple[float, list[PlanCost]]:
    """Compute units for the job, and what each plan would charge for them."""
    units = compute_units(gpu, hours, cu_per_hour, prices)
    price, mix = cheapest_packs(units, prices.payg_bundles)
    packs = (
        " + ".join(f"{n} x {size} CU" for size, n in sorted(mix.items()) if n)
        or "nothing"
    )
    rows = [
        free_tier_cost(accelerator_name(gpu, prices), prices),
        PlanCost(
            "Pay As You Go",
            round(price, 2),
            float(sum(size * n for size, n in mix.items())),
            packs,
            prices.payg_status,
        ),
    ]
    for name, plan in prices.subscriptions.items():
        months = whole_packs(units, plan.cu_per_month)
        rows.append(
            PlanCost(
                name,
                round(months * plan.usd_per_month, 2),
                float(months * plan.cu_per_month),
                f"{months} month{'' if months == 1 else 's'} "
                f"of {plan.cu_per_month} CU",
                plan.price_status,
            )
        )
    rows.append(
        PlanCost(
            "Enterprise",
            None,
            None,
            "billed by Google Cloud; not in this table",
        )
    )
    return units, rows




# %%
# @title The comparison table
# @title-zh 对比表
def format_comparison(
    gpu: str,
    hours: float,
    cu_per_hour: float | None = None,
    prices: PriceTable = PRICES,
) -> str:
    """A plain-text table that reads the same in a notebook and in a
    terminal.
    """
    units, rows = plan_costs(gpu, hours, cu_per_hour, prices)
    if cu_per_hour is None:
        name, rate = find_rate(gpu, prices)
        origin = [
            f"  rate: {rate.cu_per_hour:g} CU/h, a user observation "
            f"({rate.source}, {rate.seen})",
            "        not an official figure: "
            "the Resources panel shows the real rate",
            f"  availability: {rate.availability}",
        ]
    else:
        name = accelerator_name(gpu, prices)
        origin = [
            f"  rate: {cu_per_hour:g} CU/h, your reading of the Resources panel"
        ]
    lines = [f"{name}, {hours:g} h connected: {units:.2f} CU", *origin]
    lines.append(
        f"{'plan':<14} {'US$':>7} {'CU bought':>9} {'left over':>9}  "
        "what you buy"
    )
    for row in rows:
        usd = "-" if row.usd is None else f"{row.usd:.2f}"
        bought = "-" if row.units_bought is None else f"{row.units_bought:g}"
        left = (
            "-"
            if row.units_bought is None
            else f"{row.units_bought - units:.2f}"
        )
        lines.append(
            f"{row.plan:<14} {usd:>7} {bought:>9} {left:>9}  {row.buys}"
        )
    lines += [f"{row.plan}: {row.caveat}." for row in rows if row.caveat]
    lines.append(
        f"Left-over units expire {prices.cu_valid_days} days "
        "after purchase or grant. "
        f"Table compiled {prices.compiled}."
    )
    return "\n".join(lines)




# %%
# @title The command line: python why_colab.py --gpu A100 --hours 10
# @title-zh 命令行：python why_colab.py --gpu A100 --hours 10
def demo() -> None:
    """What ``python why_colab.py`` prints without arguments."""
    on_colab_all_day = compute_units("T4", 6 + 10)
    prototype_locally = compute_units("T4", 10)
    print(f"Debug 6 h + train 10 h on a Colab T4: {on_colab_all_day:.2f} CU")
    print(f"Debug locally, connect only to train:  {prototype_locally:.2f} CU")
    for gpu in ["T4", "A100"]:
        print()
        print(format_comparison(gpu, 10))


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        description="Colab compute units and cost per plan."
    )
    parser.add_argument("--gpu", help=f"one of: {known_names()}")
    parser.add_argument(
        "--hours", type=float, help="hours connected to the runtime"
    )
    parser.add_argument(
        "--cu-per-hour", type=float, help="rate from the Resources panel"
    )
    args = parser.parse_args(argv)
    if args.gpu is None and args.hours is None:
        demo()
        return 0
    if args.gpu is None or args.hours is None:
        parser.error("give both --gpu and --hours (or neither, for the demo)")
    try:
        print(format_comparison(args.gpu, args.hours, args.cu_per_hour))
    except ValueError as error:
        parser.error(str(error))
    return 0


# In a notebook sys.argv belongs to Jupyter: the cells below call the code.
if __name__ == "__main__" and not running_in_notebook():
    sys.exit(main())


# %% [markdown] lang="zh"
# ## 算你自己的任务
#
# 把型号和小时数换成你的。`format_comparison` 打印一张表：用掉多少 CU、每种方案花多少、剩下多少 CU，以及每个数字有多可靠。

# %% [markdown] lang="en"
# ## Price your own job
#
# Put in your GPU and your hours. `format_comparison` prints one table: the CU used,
# what each plan charges, the CU left over, and how sure each figure is.

# %%

# %% [markdown] lang="zh"
# 怎么读这张表：免费版那一行没有价格，因为 A100 这类高级 GPU 要有计算单元才能用（Colab 团队，2022-10）。按这些价格，三种付费方式每个 CU 都约 0.10 美元，差别在于**什么时候拿到 CU**。按量付费随买随用；Pro 每月只发 100 CU，这个任务要攒两个月；Pro+ 一次就够，还剩 362 CU，但 90 天后过期。Pro+ 还会在有 CU 时让运行时最长保持约 24 小时：一次训练要跑十几个小时的话，这一点比单价更重要。
#
# 同样的 10 小时放在 T4 上：

# %% [markdown] lang="en"
# How to read it: the Free row has no price, because premium GPUs such as the A100
# need compute units (Colab PM, 2022-10). At these prices a CU costs about US$0.10 on all three paid options;
# the difference is **when you get the units**. Pay As You Go: when you buy them. Pro
# grants only 100 CU a month, so this job needs two months of allotment. Pro+ covers it
# at once with 362 CU to spare, which expire after 90 days. Pro+ also keeps a runtime
# alive for up to about 24 hours while you have units: if one training run lasts ten
# hours or more, that matters more than the unit price.
#
# The same 10 hours on a T4:

# %%

# %% [markdown] lang="zh"
# L4、H100、G4 和两种新 TPU 没有可信的速率记录，计算器不替你编一个，而是告诉你去哪里找：

# %% [markdown] lang="en"
# L4, H100, G4 and the two newer TPUs have no trustworthy rate on record. The
# calculator does not make one up; it tells you where to find yours:

# %%

# %% [markdown] lang="zh"
# 在“资源”面板里读到速率后，把它传进去，例如 `format_comparison("L4", 3, cu_per_hour=你读到的数)`。
#
# 想在自己的电脑上用：从这一课网页上 Colab 按钮旁的下载链接取 `why_colab.py`，一个独立的文件，只用标准库。命令行的用法是 `python why_colab.py --gpu A100 --hours 10`，不带参数运行则打印上面 T4 与 A100 的对比。
#
# 这一课的测试：[tests/test_why_colab.py](https://github.com/colab-guide/colab-guide/blob/main/tests/test_why_colab.py)

# %% [markdown] lang="en"
# Once you read a rate in the Resources panel, pass it in, e.g.
# `format_comparison("L4", 3, cu_per_hour=YOUR_RATE)`.
#
# To use it on your own computer: this lesson's download link sits beside the Colab
# button on its page; `why_colab.py` is one standalone file that needs only the standard
# library. On the command line: `python why_colab.py --gpu A100 --hours 10`; with no
# arguments it prints the T4 and A100 comparison above.
#
# This lesson's tests: [tests/test_why_colab.py](https://github.com/colab-guide/colab-guide/blob/main/tests/test_why_colab.py)

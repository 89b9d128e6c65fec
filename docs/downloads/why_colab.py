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
# # 为什么用 Colab：套餐、计算单元和一笔账
#
# 自己有显卡，为什么还要用 Colab？常见的两个理由：自己的 GPU 太慢（或显存太小），或者人在外面，手边只有一台没有 NVIDIA GPU 的笔记本。一个省钱的分工是：**在本地写代码、用小数据调试；调通之后，再把长时间的训练放到 Colab 的 GPU 上。**
#
# 这个笔记本是一个小小的成本计算器：输入 GPU 型号和连接时长，算出要消耗多少计算单元（compute units，CU），以及在每种套餐下大约要花多少钱。它只用 Python 标准库，不需要 GPU。
#
# **注意：** 下面的价格和消耗速率都标了日期和来源，其中不少是用户观察到的数字或未经官方确认的数字。Google 没有公开固定的消耗速率表；真正的速率以 Colab“资源”面板显示的为准。

# %% [markdown] lang="en"
# # Why Colab: plans, compute units and the arithmetic
#
# Why use Colab when you own a graphics card? Two usual reasons: your GPU is too slow
# (or has too little memory), or you are away from it with a laptop that has no NVIDIA
# GPU. A thrifty split of the work: **write and debug on your own machine with small
# data; once it runs, send the long training job to a Colab GPU.**
#
# This notebook is a small cost calculator: give it a GPU type and the hours you stay
# connected, and it works out the compute units (CU) used and roughly what each plan
# charges. It needs only the Python standard library, no GPU.
#
# **Caution:** every price and rate below carries its date and source, and several are
# user observations or unconfirmed figures. Google publishes no fixed rate card; the
# real rate is the one Colab's Resources panel shows you.

# %%
from __future__ import annotations

import argparse
import math
import re
import sys
from collections.abc import Mapping
from dataclasses import dataclass



# %% [markdown] lang="zh"
# ## 唯一的一张价格表
#
# 所有数字都只出现在这里，每一项旁边写着来源和日期。
#
# - **每小时消耗的 CU 是用户的观察值**，不是官方价目：T4 约 1.86（2023-05），A100 约 13.8（2023-05）。
# - 按量付费（Pay As You Go）的价格是 2022-09 上线时的价格（100 CU 9.99 美元，500 CU 49.99 美元），**当前价格未确认**。
# - Pro 每月 100 CU 有 Colab 员工的说法（2024-02）；Pro+ 每月 500 CU 只见于二手资料（2022-09）；**美元月费未确认**，这里用常被引用的 9.99 / 49.99 美元。
# - L4、H100、G4 和 TPU v5e-1 / v6e-1 目前提供，但没有可信的速率记录，所以表里不给数字：你可以把“资源”面板里看到的速率传进来。

# %% [markdown] lang="en"
# ## The one price table
#
# Every number lives here and nowhere else, each with its source and date.
#
# - **CU per hour are user observations**, not an official price list: T4 about 1.86
#   (2023-05), A100 about 13.8 (2023-05).
# - Pay As You Go prices are the launch prices of 2022-09 (100 CU for US$9.99, 500 CU
#   for US$49.99); **today's price is unconfirmed**.
# - Pro's 100 CU a month comes from Colab staff (2024-02); Pro+'s 500 CU a month only
#   from a secondary source (2022-09); **the USD monthly prices are unconfirmed**; the table uses the widely quoted
#   US$9.99 / US$49.99.
# - L4, H100, G4 and TPU v5e-1 / v6e-1 are offered, but no trustworthy rate is on record,
#   so the table has no number for them: pass in the rate your Resources panel shows.


# %%
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
    # Compute units expire 90 days after purchase or grant
    # (Colab PM, colabtools #3617, 2023-08-10).
    cu_valid_days=90,
)


# %% [markdown] lang="zh"
# ## 先检查输入
#
# 型号名不区分大小写，空格和连字符可有可无（`t4`、`Tesla T4`、`tpu v2-8` 都行）。不认识的名字会报错，并列出认识的名字；小时数必须是有限的、不小于 0 的数字，`NaN` 和负数都会被拒绝。

# %% [markdown] lang="en"
# ## Check the input first
#
# GPU names ignore case, spaces and hyphens (`t4`, `Tesla T4`, `tpu v2-8` all work).
# An unknown name raises an error that lists the known ones; hours must be a finite
# number of at least 0, so `NaN` and negative values are refused.


# %%
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




# %% [markdown] lang="zh"
# ## 计算单元与花费
#
# - **计算单元** = 每小时消耗 × **连接**的小时数。只要运行时连着，不论代码是否在跑，都在消耗。
# - **按量付费**：只能整包购买。程序会找出最便宜的组合（按上线价格，5 个 100 CU 包比 1 个 500 CU 包便宜 4 美分）。
# - **Pro / Pro+**：每月发一次额度，所需月数 = 向上取整(CU ÷ 每月额度)，花费 = 月数 × 月费。
# - 没用完的 CU 在购买或发放 90 天后过期。

# %% [markdown] lang="en"
# ## Compute units and money
#
# - **Compute units** = rate per hour × hours **connected**. A connected runtime uses
#   units whether or not code is running.
# - **Pay As You Go** sells whole packs only. The code finds the cheapest mix (at launch
#   prices, five 100-CU packs cost 4 cents less than one 500-CU pack).
# - **Pro / Pro+** grant units once a month: months = ceil(CU ÷ monthly allotment),
#   cost = months × monthly price.
# - Units you do not use expire 90 days after purchase or grant.


# %%
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
        PlanCost(
            "Free", 0.0, None, "no compute units; resources not guaranteed"
        ),
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




# %% [markdown] lang="zh"
# ## 打印对比表

# %% [markdown] lang="en"
# ## Print the comparison


# %%
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




# %% [markdown] lang="zh"
# ## 运行
#
# 例子对比两种做法：在 Colab 的 T4 上边写边调 6 小时再训练 10 小时，和在本地调通、只为 10 小时训练连接 Colab。然后打印 T4 和 A100 各训练 10 小时的对比表。作为脚本运行时可以指定参数，例如 `python why_colab.py --gpu A100 --hours 10`。

# %% [markdown] lang="en"
# ## Run it
#
# The example compares two ways to work: writing and debugging for 6 hours on a Colab
# T4 and then training for 10, against debugging locally and connecting only for the
# 10 hours of training. Then it prints the comparison for 10 hours on a T4 and on an
# A100. As a script it takes arguments, e.g. `python why_colab.py --gpu A100 --hours 10`.


# %%
def demo() -> None:
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


if __name__ == "__main__":
    if "ipykernel" in sys.modules:  # in a notebook: sys.argv belongs to Jupyter
        demo()
    else:
        sys.exit(main())

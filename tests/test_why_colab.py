"""Proof for the "why-colab" lesson: snippets/why_colab.py, its two notebooks and its pages.

Expected numbers are worked out here by hand from the lesson's stated formulas,
with the table's figures typed as literals, never by calling the code under test:

* compute units = CU per hour x hours connected
* Pay As You Go = cheapest mix of whole packs (100 CU for US$9.99, 500 CU for US$49.99)
* Pro / Pro+ = ceil(CU / monthly allotment) months x monthly price (US$9.99 / US$49.99)
"""

from __future__ import annotations

import math
import re
import subprocess
import sys

import pytest
from conftest import LANGUAGES, ROOT, assert_outputs_match, execute_notebook, load_snippet
from hypothesis import given, settings
from hypothesis import strategies as st
from layout import lesson_page

SNIPPET = ROOT / "snippets" / "why_colab.py"
PAGES = {lang: lesson_page("why_colab", lang) for lang in LANGUAGES}

# The figures as the lesson states them (facts file, compiled 2026-11-25).
T4_RATE, A100_RATE, TPU_V28_RATE = 1.86, 13.8, 2.0
PAYG_100, PAYG_500 = 9.99, 49.99
PRO_USD, PRO_CU, PRO_PLUS_USD, PRO_PLUS_CU = 9.99, 100, 49.99, 500


@pytest.fixture
def why():
    return load_snippet("why_colab")


def run_script(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, str(SNIPPET), *args], capture_output=True, text=True, timeout=60
    )


def costs_by_plan(rows) -> dict[str, tuple[float | None, float | None]]:
    return {row.plan: (row.usd, row.units_bought) for row in rows}


# --- the table itself -------------------------------------------------------------------


def test_table_holds_the_stated_figures(why):
    prices = why.PRICES
    assert {name: rate.cu_per_hour for name, rate in prices.rates.items()} == {
        "T4": T4_RATE,
        "A100": A100_RATE,
        "TPU v2-8": TPU_V28_RATE,
    }
    assert dict(prices.payg_bundles) == {100: PAYG_100, 500: PAYG_500}
    assert {n: (s.usd_per_month, s.cu_per_month) for n, s in prices.subscriptions.items()} == {
        "Pro": (PRO_USD, PRO_CU),
        "Pro+": (PRO_PLUS_USD, PRO_PLUS_CU),
    }
    assert prices.cu_valid_days == 90


def test_every_figure_is_dated_and_unconfirmed_prices_say_so(why):
    prices = why.PRICES
    assert re.fullmatch(r"\d{4}-\d{2}-\d{2}", prices.compiled)
    for rate in prices.rates.values():
        assert re.fullmatch(r"\d{4}-\d{2}", rate.seen)
        assert rate.source and re.search(r"\d{4}-\d{2}", rate.availability)
    assert "unconfirmed" in prices.payg_status and "2022-09" in prices.payg_status
    for plan in prices.subscriptions.values():
        assert "unconfirmed" in plan.price_status
    names = [
        why.name_key(n)
        for t in (prices.rates, prices.offered_without_rate, prices.retired)
        for n in t
    ]
    assert len(names) == len(set(names)), "one accelerator in two lists"


def test_source_comments_sit_next_to_the_table():
    """The table's provenance is in the code a reader copies, not only on the page."""
    text = SNIPPET.read_text(encoding="utf-8")
    table = text[text.index("PRICES = PriceTable(") : text.index("# --8<-- [end:prices]")]
    for source in [
        "#2126",
        "#3709",
        "techcrunch",
        "#4395",
        "#3617",
        "#3126",
        "#5566",
        "USER OBSERVATIONS",
    ]:
        assert source.lower() in table.lower(), source


def test_importing_has_no_side_effects(capsys):
    load_snippet("why_colab")
    assert capsys.readouterr() == ("", "")


# --- arithmetic against hand-computed cases -------------------------------------------


@pytest.mark.parametrize(
    ("gpu", "hours", "expected"),
    [
        ("T4", 10, 18.6),  # 1.86 x 10
        ("a100", 2.5, 34.5),  # 13.8 x 2.5
        ("Tesla T4", 0.5, 0.93),  # 1.86 x 0.5
        ("tpu v2-8", 3, 6.0),  # 2 x 3
        ("V28", 0, 0.0),
    ],
)
def test_compute_units(why, gpu, hours, expected):
    assert why.compute_units(gpu, hours) == pytest.approx(expected)


def test_own_rate_overrides_the_table_and_prices_offered_gpus(why):
    assert why.compute_units("L4", 3, cu_per_hour=4.8) == pytest.approx(14.4)  # 4.8 x 3
    assert why.compute_units("T4", 10, cu_per_hour=2.0) == pytest.approx(20.0)


def test_a100_for_ten_hours_under_each_plan(why):
    units, rows = why.plan_costs("A100", 10)
    assert units == pytest.approx(138.0)  # 13.8 x 10
    costs = costs_by_plan(rows)
    # 138 CU: two 100-packs (2 x 9.99 = 19.98) beat one 500-pack (49.99).
    assert costs["Pay As You Go"] == (pytest.approx(19.98), 200)
    assert costs["Pro"] == (pytest.approx(19.98), 200)  # ceil(138/100) = 2 months x 9.99
    assert costs["Pro+"] == (pytest.approx(49.99), 500)  # ceil(138/500) = 1 month x 49.99
    assert costs["Free"] == (None, None)  # an A100 is not on the free tier: no 0.00
    assert rows[0].buys == "not available: A100 is not on the free tier"
    assert costs["Enterprise"] == (None, None)
    assert [row.plan for row in rows] == ["Free", "Pay As You Go", "Pro", "Pro+", "Enterprise"]


@pytest.mark.parametrize(
    ("gpu", "rate", "usd", "says"),
    [
        ("T4", None, 0.0, "no compute units; resources not guaranteed"),
        ("TPU v5e-1", 2.0, 0.0, "no compute units; resources not guaranteed"),
        ("A100", None, None, "not available: A100 is not on the free tier"),
        ("TPU v2-8", None, None, "not available: TPU v2-8 is not on the free tier"),
        ("H100", 9.0, None, "unconfirmed whether the free tier offers H100"),
    ],
)
def test_the_free_tier_is_priced_only_for_what_it_can_get(why, gpu, rate, usd, says):
    _, rows = why.plan_costs(gpu, 10, cu_per_hour=rate)
    free = rows[0]
    assert (free.plan, free.usd, free.units_bought, free.buys) == ("Free", usd, None, says)


def test_free_tier_lists_name_known_accelerators_once(why):
    prices = why.PRICES
    known = set(prices.rates) | set(prices.offered_without_rate)
    on, off = set(prices.on_free_tier), set(prices.not_on_free_tier)
    assert on | off <= known and not on & off
    for note in [*prices.on_free_tier.values(), *prices.not_on_free_tier.values()]:
        assert re.search(r"\d{4}-\d{2}", note), note


def test_t4_for_three_hundred_hours_under_each_plan(why):
    units, rows = why.plan_costs("T4", 300)
    assert units == pytest.approx(558.0)  # 1.86 x 300
    costs = costs_by_plan(rows)
    # 558 CU: 6 x 100 = 59.94; 1 x 500 + 1 x 100 = 59.98; 2 x 500 = 99.98 -> 59.94.
    assert costs["Pay As You Go"] == (pytest.approx(59.94), 600)
    assert costs["Pro"] == (pytest.approx(6 * 9.99), 600)  # ceil(558/100) = 6 months
    assert costs["Pro+"] == (pytest.approx(2 * 49.99), 1000)  # ceil(558/500) = 2 months
    payg = next(row for row in rows if row.plan == "Pay As You Go")
    assert payg.buys == "6 x 100 CU"
    assert "unconfirmed" in payg.caveat


def test_five_hundred_units_buy_five_small_packs(why):
    # 5 x 9.99 = 49.95 is 4 cents less than one 500-pack at 49.99.
    price, mix = why.cheapest_packs(500, {100: 9.99, 500: 49.99})
    assert price == pytest.approx(49.95)
    assert mix == {500: 0, 100: 5}


def test_big_pack_wins_when_it_is_cheaper(why):
    # 558 CU with a 500-pack at 45.00: 1 x 500 + 1 x 100 = 54.99 < 6 x 9.99 = 59.94 < 2 x 45 = 90.
    price, mix = why.cheapest_packs(558, {100: 9.99, 500: 45.00})
    assert price == pytest.approx(54.99)
    assert mix == {500: 1, 100: 1}


def test_three_pack_sizes(why):
    # 160 CU with packs 10 -> 1.00, 50 -> 4.00, 100 -> 9.00:
    # 100+50+10 = 14.00; 2 x 100 = 18.00; 3 x 50 + 10 = 13.00; 4 x 50 = 16.00; 16 x 10 = 16.00.
    price, mix = why.cheapest_packs(160, {10: 1.0, 50: 4.0, 100: 9.0})
    assert price == pytest.approx(13.0)
    assert mix == {100: 0, 50: 3, 10: 1}


def test_exact_multiples_and_float_noise_do_not_buy_an_extra_pack(why):
    assert why.whole_packs(100, 100) == 1
    assert why.whole_packs(100.5, 100) == 2
    assert 1.1 * 100 > 110  # float noise: 110.00000000000001
    assert why.whole_packs(1.1 * 100, 110) == 1
    assert why.cheapest_packs(0, {100: 9.99}) == (0, {100: 0})


def test_zero_hours_cost_nothing(why):
    units, rows = why.plan_costs("T4", 0)
    assert units == 0
    assert all(row.usd in (0, None) for row in rows)


@settings(max_examples=200, deadline=None)
@given(hours=st.floats(min_value=0, max_value=2000, allow_nan=False))
def test_packs_always_cover_the_job_with_less_than_one_small_pack_spare(hours):
    why = load_snippet("why_colab")
    units, rows = why.plan_costs("A100", hours)
    assert units == pytest.approx(13.8 * hours)
    payg = costs_by_plan(rows)["Pay As You Go"]
    assert payg[1] >= units - 1e-6
    assert payg[1] - units < 100 + 1e-6
    assert payg[0] == pytest.approx(math.ceil(round(units / 100, 9)) * 9.99)


# --- bad input --------------------------------------------------------------------------


@pytest.mark.parametrize("name", ["K80", "", "A10", "RTX 4090"])
def test_unknown_gpu_names_are_rejected_with_the_known_ones(why, name):
    with pytest.raises(ValueError) as error:
        why.compute_units(name, 1)
    message = str(error.value)
    assert message.startswith(f"Unknown accelerator {name!r}.")
    assert "A100, T4, TPU v2-8" in message
    assert "G4, H100, L4, TPU v5e-1, TPU v6e-1" in message


def test_offered_gpu_without_a_rate_says_where_to_find_one(why):
    with pytest.raises(ValueError, match=r"No observed compute-unit rate for H100") as error:
        why.compute_units("h100", 1)
    assert "Resources panel" in str(error.value) and "--cu-per-hour" in str(error.value)


def test_retired_gpu_is_named_as_retired(why):
    with pytest.raises(ValueError, match=r"^V100 is no longer offered \(retired"):
        why.compute_units("Tesla V100", 1)


def test_own_rate_does_not_excuse_a_misspelt_name(why):
    with pytest.raises(ValueError, match="Unknown accelerator 'T5'"):
        why.compute_units("T5", 1, cu_per_hour=2.0)


@pytest.mark.parametrize(
    ("hours", "error", "message"),
    [
        (-1, ValueError, "hours must be 0 or more, got -1"),
        (-0.5, ValueError, "hours must be 0 or more, got -0.5"),
        (float("nan"), ValueError, "hours must be a number, got NaN"),
        (float("inf"), ValueError, "hours must be finite, got inf"),
        ("10", TypeError, "hours must be a number, got '10' (str)"),
        (True, TypeError, "hours must be a number, got True (bool)"),
        (None, TypeError, "hours must be a number, got None (NoneType)"),
    ],
)
def test_bad_hours_are_rejected(why, hours, error, message):
    with pytest.raises(error) as raised:
        why.compute_units("T4", hours)
    assert str(raised.value) == message


def test_bad_rate_is_rejected(why):
    with pytest.raises(ValueError, match="cu_per_hour must be 0 or more, got -2"):
        why.compute_units("L4", 1, cu_per_hour=-2)
    with pytest.raises(ValueError, match="cu_per_hour must be a number, got NaN"):
        why.compute_units("L4", 1, cu_per_hour=float("nan"))


# --- the printed table ------------------------------------------------------------------


def test_comparison_table_shows_the_numbers_and_labels_the_rate(why):
    text = why.format_comparison("A100", 10)
    lines = text.splitlines()
    assert lines[0] == f"A100, 10 h connected: {13.8 * 10:.2f} CU"
    assert "13.8 CU/h, a user observation" in lines[1] and "not an official figure" in lines[2]
    plan_rows = [line.split("  ")[0].strip() for line in lines[5:10]]
    assert plan_rows == ["Free", "Pay As You Go", "Pro", "Pro+", "Enterprise"]
    numbers = {line[:14].strip(): line[14:44].split() for line in lines[5:10]}
    left = 2 * 100 - 138  # two packs or two months of 100 CU, minus the job's 138 CU
    assert numbers["Pay As You Go"] == [f"{2 * 9.99:.2f}", "200", f"{left:.2f}"]
    assert numbers["Pro"] == [f"{2 * 9.99:.2f}", "200", f"{left:.2f}"]
    assert numbers["Pro+"] == [f"{49.99:.2f}", "500", f"{500 - 138:.2f}"]
    assert numbers["Enterprise"] == ["-", "-", "-"]
    assert numbers["Free"] == ["-", "-", "-"]  # not 0.00: the free tier has no A100
    assert "not available: A100 is not on the free tier" in lines[5]
    assert "Free: a premium GPU: it needs compute units (Colab PM, 2022-10)." in lines
    assert "Pay As You Go: launch price 2022-09; current price unconfirmed." in lines
    assert any(line.startswith("Pro: price unconfirmed") for line in lines)
    assert any(line.startswith("Pro+: price unconfirmed") for line in lines)
    assert "expire 90 days" in lines[-1] and "2026-11-25" in lines[-1]


def test_comparison_with_own_rate_says_whose_rate_it_is(why):
    text = why.format_comparison("g4", 2, cu_per_hour=7.5)
    assert text.splitlines()[0] == f"G4, 2 h connected: {7.5 * 2:.2f} CU"
    assert "your reading of the Resources panel" in text
    assert "user observation" not in text


# --- same result on Colab and locally -----------------------------------------------------


def test_demo_on_a_laptop(no_colab, why, capsys):
    assert why.main([]) == 0
    out = capsys.readouterr().out
    assert f"Debug 6 h + train 10 h on a Colab T4: {1.86 * 16:.2f} CU" in out
    assert f"Debug locally, connect only to train:  {1.86 * 10:.2f} CU" in out
    assert "A100, 10 h connected: 138.00 CU" in out


def test_demo_on_colab_prints_the_same(colab, why, capsys):
    """The calculator never touches google.colab: the Colab branch is the local branch."""
    why.main([])
    on_colab = capsys.readouterr().out
    assert colab.CALLS == []
    sys.modules["google.colab"] = None  # now as on a laptop
    try:
        why.main([])
    finally:
        del sys.modules["google.colab"]
    assert capsys.readouterr().out == on_colab


# --- the command line -------------------------------------------------------------------


def test_cli_prints_the_comparison():
    result = run_script("--gpu", "A100", "--hours", "10")
    assert result.returncode == 0, result.stderr
    assert "A100, 10 h connected: 138.00 CU" in result.stdout


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--gpu", "K80", "--hours", "1"], "Unknown accelerator 'K80'. Known accelerators: A100"),
        (["--gpu", "T4", "--hours", "nan"], "hours must be a number, got NaN"),
        (["--gpu", "T4", "--hours", "-3"], "hours must be 0 or more, got -3.0"),
        (["--gpu", "L4", "--hours", "2"], "Read the rate in Colab's Resources panel"),
        (["--gpu", "T4"], "give both --gpu and --hours"),
    ],
)
def test_cli_rejects_bad_input_with_a_message(args, message):
    result = run_script(*args)
    assert result.returncode == 2
    assert message in result.stderr
    assert result.stdout == ""


def page_commands_and_outputs(page) -> list[tuple[str, str]]:
    """(command, shown output) for each ```bash block that a ```text block follows."""
    pattern = re.compile(r"```bash\n(python [^\n]+)\n```\s*\n```text\n(.*?)\n```", re.DOTALL)
    return pattern.findall(page.read_text(encoding="utf-8"))


@pytest.mark.parametrize("lang", LANGUAGES)
def test_page_commands_run_and_print_what_the_page_shows(lang):
    pairs = page_commands_and_outputs(PAGES[lang])
    assert pairs, f"{PAGES[lang].name} shows no command with its output"
    for command, shown in pairs:
        args = command.split()[2:]  # drop "python snippets/why_colab.py"
        assert command.split()[1] == "snippets/why_colab.py"
        result = subprocess.run(
            [sys.executable, str(SNIPPET), *[a.strip('"') for a in args]],
            capture_output=True,
            text=True,
            timeout=60,
        )
        printed = result.stdout.strip() or result.stderr.strip().splitlines()[-1]
        assert printed == shown.strip(), command


# --- the notebooks ----------------------------------------------------------------------


ANSWER = f"{13.8 * 10:g} CU = 2 packs of 100 CU = US${2 * 9.99:.2f}"  # 138 CU -> 2 packs


@pytest.mark.parametrize("lang", LANGUAGES)
def test_notebook_runs_standalone(lang, tmp_path):
    executed = execute_notebook("why_colab", lang, tmp_path / "nb")
    out = executed.text_output()
    assert out.startswith(ANSWER + "\n"), "the answer is the notebook's first output"
    assert f"Debug 6 h + train 10 h on a Colab T4: {1.86 * 16:.2f} CU" in out
    assert f"Debug locally, connect only to train:  {1.86 * 10:.2f} CU" in out
    assert f"T4, 10 h connected: {1.86 * 10:.2f} CU" in out
    assert f"A100, 10 h connected: {13.8 * 10:.2f} CU" in out
    assert "No observed compute-unit rate for L4" in out and "cu_per_hour" in out
    assert_outputs_match(executed)


def test_notebook_runs_without_google_colab(tmp_path):
    out = execute_notebook("why_colab", "en", tmp_path / "nb", colab=False).text_output()
    assert f"A100, 10 h connected: {13.8 * 10:.2f} CU" in out


def test_the_answer_cells_use_the_tables_figures(why):
    """The two short cells that come first write their figures out; they must be the table's."""
    text = SNIPPET.read_text(encoding="utf-8")
    answer = text[text.index("[start:answer]") : text.index("[end:answer]")]
    trap = text[text.index("[start:trap]") : text.index("[end:trap]")]
    assert f"{why.PRICES.rates['A100'].cu_per_hour:g} * 10" in answer
    assert f"US${{packs * {why.PRICES.payg_bundles[100]:g}" in answer
    assert f"= {why.PRICES.rates['T4'].cu_per_hour:g}" in trap


@pytest.mark.parametrize("lang", LANGUAGES)
def test_page_shows_the_answer_first(lang):
    """The page opens with the answer: the include of the answer cell and its output,
    before any folded calculator code."""
    page = PAGES[lang].read_text(encoding="utf-8")
    include = page.index('--8<-- "snippets/why_colab.py:answer"')
    assert page.index(f"```text\n{ANSWER}\n```") > include
    assert include < page.index('--8<-- "snippets/why_colab.py:prices"')
    assert page.index("```mermaid") > include

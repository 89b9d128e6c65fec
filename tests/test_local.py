"""Proof for the "local" lesson: snippets/local.py, its notebooks and its pages.

There is no GPU on the test machine, so every device branch is reached by faking what
PyTorch, the NVIDIA driver (`nvidia-smi`) and the OS report.
"""

from __future__ import annotations

import ast
import dataclasses
import os
import platform
import re
import subprocess
import sys
from pathlib import Path

import nbformat
import pytest
import torch
from conftest import (
    LANGUAGES,
    ROOT,
    SNIPPETS,
    assert_outputs_match,
    execute_notebook,
    fake_nvidia_smi,
    load_snippet,
    stack_neutral,
)
from layout import lesson_page

SCRIPT = SNIPPETS / "local.py"
PAGES = [lesson_page("local", lang) for lang in LANGUAGES]


@pytest.fixture
def local(monkeypatch):
    monkeypatch.delenv("TRAIN_DEVICE", raising=False)
    return load_snippet("local")


def fake_gpus(monkeypatch, local, cuda: int = 0, mps: bool = False) -> None:
    """Pretend PyTorch sees ``cuda`` CUDA GPUs and/or an Apple GPU."""
    monkeypatch.setattr(torch.cuda, "is_available", lambda: cuda > 0)
    monkeypatch.setattr(torch.cuda, "device_count", lambda: cuda)
    monkeypatch.setattr(torch.backends.mps, "is_available", lambda: mps)


def no_nvidia_smi(monkeypatch, tmp_path: Path) -> None:
    empty = tmp_path / "empty-bin"
    empty.mkdir(exist_ok=True)
    monkeypatch.setenv("PATH", str(empty))


# ---- pick_device ------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("cuda", "mps", "expected"),
    [(1, False, "cuda"), (2, True, "cuda"), (0, True, "mps"), (0, False, "cpu")],
)
def test_auto_prefers_cuda_then_mps_then_cpu(local, monkeypatch, cuda, mps, expected):
    fake_gpus(monkeypatch, local, cuda=cuda, mps=mps)
    assert local.pick_device() == torch.device(expected)
    for value in ["auto", "AUTO", " ", ""]:
        monkeypatch.setenv("TRAIN_DEVICE", value)
        assert local.pick_device() == torch.device(expected)


@pytest.mark.parametrize(
    ("value", "expected"),
    [("cpu", "cpu"), ("CPU", "cpu"), ("cuda", "cuda"), ("cuda:1", "cuda:1"), ("mps", "mps")],
)
def test_environment_variable_overrides(local, monkeypatch, value, expected):
    fake_gpus(monkeypatch, local, cuda=2, mps=True)
    monkeypatch.setenv("TRAIN_DEVICE", value)
    assert local.pick_device() == torch.device(expected)


def test_argument_overrides_like_the_variable(local, monkeypatch):
    fake_gpus(monkeypatch, local, cuda=1)
    monkeypatch.setenv("TRAIN_DEVICE", "cuda")
    assert local.pick_device("cpu") == torch.device("cpu")


@pytest.mark.parametrize(
    ("value", "cuda", "mps", "error", "message"),
    [
        ("cuda", 0, True, RuntimeError, "sees no CUDA GPU"),
        ("cuda:2", 2, False, RuntimeError, "only 2 CUDA GPU(s) exist"),
        ("mps", 1, False, RuntimeError, "MPS is not available"),
        ("tpu", 1, True, ValueError, "choose auto, cpu, cuda, cuda:N or mps"),
        ("xpu", 1, True, ValueError, "'xpu' is not a known device"),
        ("cuda:first", 1, True, ValueError, "'cuda:first' is not a known device"),
    ],
)
def test_a_missing_device_is_an_error_not_a_silent_cpu(
    local, monkeypatch, value, cuda, mps, error, message
):
    fake_gpus(monkeypatch, local, cuda=cuda, mps=mps)
    monkeypatch.setenv("TRAIN_DEVICE", value)
    with pytest.raises(error, match=re.escape(message)):
        local.pick_device()


def test_pick_device_without_torch_says_how_to_install(local, monkeypatch):
    monkeypatch.setattr(local, "torch", None)
    with pytest.raises(RuntimeError, match=re.escape("pip install torch")):
        local.pick_device()
    assert local.mps_available() is False


# ---- gathering the facts --------------------------------------------------------------------


class T4Properties:
    name = "Tesla T4"
    total_memory = 15 * 2**30


def test_gather_on_a_cuda_machine(local, monkeypatch, tmp_path, no_colab):
    fake_gpus(monkeypatch, local, cuda=1)
    monkeypatch.setattr(torch.cuda, "get_device_properties", lambda index: T4Properties())
    monkeypatch.setattr(torch.version, "cuda", "12.8")
    fake_nvidia_smi(monkeypatch, tmp_path, "Tesla T4\\n")
    env = local.gather_environment()
    assert (env.gpu_name, env.gpu_memory, env.driver_gpu) == ("Tesla T4", 15 * 2**30, "Tesla T4")
    assert env.cuda_available and env.torch_cuda == "12.8" and not env.colab
    rows = local.environment_rows(env)
    assert rows["GPU"] == "Tesla T4" and rows["GPU memory"] == "15.0 GiB"
    assert rows["built for CUDA"] == "12.8" and rows["CUDA available"] == "yes"
    assert local.install_advice(env) == []


def test_gather_on_an_apple_silicon_mac(local, monkeypatch, tmp_path):
    fake_gpus(monkeypatch, local, mps=True)
    monkeypatch.setattr(torch.backends.mps, "is_built", lambda: True)
    monkeypatch.setattr(torch.mps, "recommended_max_memory", lambda: 12 * 2**30)
    monkeypatch.setattr(platform, "system", lambda: "Darwin")
    monkeypatch.setattr(platform, "machine", lambda: "arm64")
    no_nvidia_smi(monkeypatch, tmp_path)
    env = local.gather_environment()
    assert (env.system, env.machine, env.mps_built, env.mps_available) == (
        "Darwin",
        "arm64",
        True,
        True,
    )
    assert (env.gpu_name, env.gpu_memory, env.driver_gpu) == ("Apple GPU (MPS)", 12 * 2**30, None)
    assert local.environment_rows(env)["MPS available"] == "yes"
    assert local.install_advice(env) == []
    assert local.pick_device() == torch.device("mps")


def test_mps_memory_unknown_when_torch_cannot_tell(local, monkeypatch):
    fake_gpus(monkeypatch, local, mps=True)
    monkeypatch.delattr(torch.mps, "recommended_max_memory")
    assert local.gpu_name_and_memory() == ("Apple GPU (MPS)", None)


def test_gather_on_this_cpu_machine(local, monkeypatch, tmp_path, no_colab):
    fake_gpus(monkeypatch, local)
    no_nvidia_smi(monkeypatch, tmp_path)
    env = local.gather_environment()
    assert env.python == platform.python_version()
    assert env.torch_version == torch.__version__
    assert (env.gpu_name, env.gpu_memory, env.driver_gpu) == (None, None, None)
    rows = local.environment_rows(env)
    assert (rows["GPU"], rows["GPU memory"], rows["driver sees"]) == ("none", "-", "no NVIDIA GPU")


def test_driver_gpu_reads_nvidia_smi_and_survives_failure(local, monkeypatch, tmp_path):
    fake_nvidia_smi(monkeypatch, tmp_path, "NVIDIA GeForce RTX 3060\\nNVIDIA GeForce GTX 1080\\n")
    assert local.driver_gpu() == "NVIDIA GeForce RTX 3060"
    fake_nvidia_smi(monkeypatch, tmp_path, "NVIDIA-SMI has failed\\n", code=9)
    assert local.driver_gpu() is None
    no_nvidia_smi(monkeypatch, tmp_path)
    assert local.driver_gpu() is None


@pytest.mark.parametrize(
    ("release", "wsl"),
    [
        ("5.15.167.4-microsoft-standard-WSL2", True),
        ("4.4.0-19041-Microsoft", True),
        ("6.8.0-45-generic", False),
        ("23.6.0", False),
    ],
)
def test_wsl_is_recognised_by_its_kernel(local, monkeypatch, release, wsl):
    real = platform.uname()
    monkeypatch.setattr(platform, "uname", lambda: real._replace(release=release))
    assert local.in_wsl() is wsl


def test_gather_without_torch(local, monkeypatch, tmp_path):
    monkeypatch.setattr(local, "torch", None)
    no_nvidia_smi(monkeypatch, tmp_path)
    env = local.gather_environment()
    assert env.torch_version is None and not env.cuda_available and not env.mps_built
    assert local.environment_rows(env)["torch"] == "not installed"
    assert "pip install torch" in local.install_advice(env)[0]


def test_colab_and_local_branches(local, colab, monkeypatch, tmp_path):
    fake_gpus(monkeypatch, local)
    no_nvidia_smi(monkeypatch, tmp_path)
    env = local.gather_environment()
    assert env.colab and local.environment_rows(env)["where"] == "Colab"
    assert local.install_advice(env) == [
        "This Colab runtime has no GPU: Runtime → Change runtime type → T4 GPU → Save."
    ]


def test_local_branch(local, no_colab, monkeypatch, tmp_path):
    fake_gpus(monkeypatch, local)
    no_nvidia_smi(monkeypatch, tmp_path)
    assert local.environment_rows(local.gather_environment())["where"] == "local machine"


# ---- advice, one branch at a time --------------------------------------------------------------


@pytest.fixture
def cpu_linux(local):
    return local.Environment(
        python="3.13.15",
        system="Linux",
        machine="x86_64",
        wsl=False,
        colab=False,
        torch_version="2.11.0+cpu",
        torch_cuda=None,
        cuda_available=False,
        mps_built=False,
        mps_available=False,
        gpu_name=None,
        gpu_memory=None,
        driver_gpu=None,
    )


@pytest.mark.parametrize(
    ("changes", "expected"),
    [
        ({"torch_version": None}, ["`pip install torch`"]),
        ({"cuda_available": True, "torch_cuda": "12.8"}, []),
        ({"mps_available": True, "system": "Darwin"}, []),
        ({"driver_gpu": "NVIDIA GeForce RTX 3060"}, ["CPU-only build", "whl/cu128"]),
        (
            {"driver_gpu": "NVIDIA GeForce RTX 3060", "torch_cuda": "12.8", "wsl": True},
            ["built for CUDA 12.8", "update the NVIDIA driver on Windows (not inside WSL)"],
        ),
        (
            {"driver_gpu": "NVIDIA GeForce GTX 1080", "torch_cuda": "12.8"},
            ["cannot use the GPU: update the NVIDIA driver."],
        ),
        ({"colab": True}, ["Change runtime type → T4 GPU"]),
        ({"wsl": True}, ["driver on Windows only", "never a Linux driver inside WSL"]),
        (
            {"system": "Darwin", "machine": "x86_64"},
            ["arm64 Python", "Rosetta", "no longer support Intel Macs"],
        ),
        ({"system": "Darwin", "machine": "arm64", "mps_built": True}, ["macOS 14.0 or later."]),
        ({"system": "Darwin", "machine": "arm64"}, ["has no MPS: `pip install torch`"]),
        ({}, ["No GPU found", "run the long job on Colab"]),
        ({"system": "Windows", "machine": "AMD64"}, ["No GPU found", "`nvidia-smi` works"]),
    ],
)
def test_install_advice_for_each_case(local, cpu_linux, changes, expected):
    advice = local.install_advice(dataclasses.replace(cpu_linux, **changes))
    if not expected:
        assert advice == []
        return
    assert len(advice) == 1
    for fragment in expected:
        assert fragment in advice[0]


def test_format_rows_aligns(local):
    assert local.format_rows({"a": "1", "longer": "2"}).splitlines() == ["a       1", "longer  2"]


def test_smoke_test_checks_the_result(local, monkeypatch):
    assert local.smoke_test(torch.device("cpu")) == "matmul on cpu: ok"
    zeros = torch.zeros
    monkeypatch.setattr(torch, "ones", lambda *size, device: zeros(*size, device=device))
    assert local.smoke_test(torch.device("cpu")) == "matmul on cpu: WRONG (0.0)"


# ---- as a script ------------------------------------------------------------------------------


def run_script(*extra_env: tuple[str, str]) -> subprocess.CompletedProcess:
    env = {k: v for k, v in os.environ.items() if k != "TRAIN_DEVICE"}
    env.update(extra_env)
    return subprocess.run(
        [sys.executable, str(SCRIPT)], capture_output=True, text=True, env=env, timeout=120
    )


def test_script_reports_and_runs_on_cpu():
    result = run_script()
    assert result.returncode == 0, result.stderr
    out = result.stdout
    assert re.search(r"^torch +" + re.escape(torch.__version__) + "$", out, re.M)
    assert "device: cpu (set TRAIN_DEVICE to override)" in out
    assert out.rstrip().endswith("matmul on cpu: ok")


def test_script_refuses_a_missing_gpu_with_exit_code_2():
    result = run_script(("TRAIN_DEVICE", "cuda"))
    assert result.returncode == 2
    assert "error: TRAIN_DEVICE=cuda but PyTorch sees no CUDA GPU" in result.stderr
    assert "matmul" not in result.stdout


def test_main_without_torch_returns_1(local, monkeypatch, tmp_path, capsys):
    monkeypatch.setattr(local, "torch", None)
    no_nvidia_smi(monkeypatch, tmp_path)
    assert local.main() == 1
    assert "to do: PyTorch is not installed" in capsys.readouterr().out


# ---- notebooks and pages ------------------------------------------------------------------------


PROOF_OUTPUT = """\
auto -> cpu
cpu -> cpu
cuda -> refused: TRAIN_DEVICE=cuda but PyTorch sees no CUDA GPU (torch.cuda.is_available() is False).
tpu -> refused: TRAIN_DEVICE='tpu' is not a known device: choose auto, cpu, cuda, cuda:N or mps.
"""


@pytest.mark.parametrize("lang", LANGUAGES)
def test_notebook_runs_standalone_on_colab(lang, tmp_path):
    """The story in order: hard-coded 'cuda' failing, the five lines, the proof, the loop,
    the report; and the outputs the site shows are this run's."""
    executed = execute_notebook("local", lang, tmp_path / "nb")
    out = executed.text_output()
    story = [
        "hard-coded 'cuda' failed: ",
        "device: cpu\n",
        PROOF_OUTPUT,
        "100 steps on cpu: loss ",
        "to do: This Colab runtime has no GPU",
        "matmul on cpu: ok",
    ]
    positions = [out.index(part) for part in story]
    assert positions == sorted(positions), out
    assert re.search(r"^where +Colab$", out, re.M)
    first, last = map(float, re.search(r"loss (\S+) -> (\S+)", out).groups())
    assert last < first / 100  # the loop really trains on the picked device
    assert_outputs_match(executed)


def test_reports_of_two_stacks_compare_equal_and_other_changes_do_not():
    """The environment report names its stack; that part may differ from the committed one."""
    here = "python          3.11.7\ntorch           2.13.0+cpu\nbuilt for CUDA  no\nGPU  none\n"
    there = (
        "python          3.13.0\ntorch           2.13.0+cu130\nbuilt for CUDA  13.0\nGPU  none\n"
    )
    assert stack_neutral(here) == stack_neutral(there)
    assert stack_neutral(here) != stack_neutral(there.replace("2.13.0", "2.11.0"))
    assert stack_neutral(here) != stack_neutral(there.replace("GPU  none", "GPU  T4"))


def test_both_builds_no_gpu_messages_compare_equal():
    """A CPU build and a CUDA build without a driver word the same failure differently."""
    cuda_build = (
        "hard-coded 'cuda' failed: Found no NVIDIA driver on your system. Please check that "
        "you have an NVIDIA GPU and installed a driver from http://www.nvidia.com/Download/index.aspx\n"
    )
    cpu_build = "hard-coded 'cuda' failed: Torch not compiled with CUDA enabled\n"
    assert stack_neutral(cuda_build) == stack_neutral(cpu_build) == cpu_build


def test_the_problem_comes_first_then_the_device_pick():
    """Only the folded shared helpers come before hard-coded 'cuda' failing; the five-line
    pick follows it."""
    notebook = nbformat.read(ROOT / "docs" / "notebooks" / "local.en.ipynb", as_version=4)
    code = [cell for cell in notebook.cells if cell.cell_type == "code"]
    assert code[0].metadata.get("cellView") == "form"
    assert 'device="cuda"' in code[1].source
    assert code[1].outputs[0]["text"].startswith("hard-coded 'cuda' failed: ")
    assert code[2].source.startswith("if torch.cuda.is_available():")
    assert [o["text"] for o in code[2].outputs] == ["device: cpu\n"]


def test_notebooks_speak_their_language_and_end_with_the_test_link():
    """Form titles in the reader's language, the Chinese menu path, the tests' link last."""
    link = "https://github.com/colab-guide/colab-guide/blob/main/tests/test_local.py"
    for lang, title, menu in [
        ("zh", "# @title 导入", "中文界面：代码执行程序 → 更改运行时类型 → T4 GPU → 保存"),
        ("en", "# @title Imports", None),
    ]:
        name = "local.ipynb" if lang == "zh" else f"local.{lang}.ipynb"
        notebook = nbformat.read(ROOT / "docs" / "notebooks" / name, as_version=4)
        text = "\n".join(cell.source for cell in notebook.cells)
        assert title + "\n" in text and "@title-zh" not in text
        assert menu is None or menu in text
        assert link in notebook.cells[-1].source and 'info "' not in text


@pytest.mark.parametrize("lang", LANGUAGES)
def test_notebook_runs_locally_with_the_override(lang, tmp_path):
    out = execute_notebook(
        "local", lang, tmp_path / "nb", colab=False, env={"TRAIN_DEVICE": "cpu"}
    ).text_output()
    assert re.search(r"^where +local machine$", out, re.M)
    assert "device: cpu" in out and "matmul on cpu: ok" in out


def test_pages_have_the_same_sections_and_includes():
    zh, en = (page.read_text(encoding="utf-8") for page in PAGES)
    for pattern in [r'--8<-- "snippets/[^"]+"', r"```(\w+)", r"^## ", r"\b20\d\d-\d\d(?:-\d\d)?\b"]:
        assert re.findall(pattern, zh, re.M) == re.findall(pattern, en, re.M), pattern
    # Python only through includes, at the top level or indented in a folded block
    bare = re.sub(r'( *)```python\n\1--8<-- "[^"]+"\n\1```', "", zh + en)
    assert "```python\n" not in bare


@pytest.mark.parametrize("page", PAGES, ids=lambda p: p.name)
def test_page_shows_the_proof_output_the_notebook_prints(page):
    """The ```text block under the proof is the notebook's committed output of that cell."""
    notebook = nbformat.read(ROOT / "docs" / "notebooks" / "local.en.ipynb", as_version=4)
    printed = [
        "".join(o["text"] for o in cell.outputs)
        for cell in notebook.cells
        if cell.cell_type == "code" and "pick_device(wanted)" in cell.source
    ]
    assert printed == [PROOF_OUTPUT]
    assert re.findall(r"```text\n(.*?)```", page.read_text("utf-8"), re.S) == [PROOF_OUTPUT]


@pytest.mark.parametrize("page", PAGES, ids=lambda p: p.name)
def test_page_links_its_tests_in_one_box_at_the_end(page):
    text = page.read_text("utf-8")
    assert text.count('??? info "') == 1 and '!!! info "' not in text
    box = text[text.index('??? info "') :]
    assert "](testing.md)" in box
    assert "https://github.com/colab-guide/colab-guide/blob/main/tests/test_local.py" in box
    assert "\n## " not in box  # near the end: no section follows it
    assert "macOS 14.0" in text and "#141182" in text and "12.3" not in text


# ---- the commands the pages show --------------------------------------------------------------

RESUME_COMMAND = (
    "python snippets/resume.py --ckpt-dir checkpoints --steps 200 --save-every 50 --seed 0"
)
PAGE_COMMANDS = [
    "TRAIN_DEVICE=cpu python snippets/local.py",
    "python snippets/local.py",
    RESUME_COMMAND,
]


def bash_blocks(page: Path) -> list[str]:
    return [
        block.strip() for block in re.findall(r"```bash\n(.*?)```", page.read_text("utf-8"), re.S)
    ]


def run_in_copy(command: str, workdir: Path) -> subprocess.CompletedProcess:
    """Run a page's command from a folder holding a copy of snippets/, as a reader would."""
    (workdir / "snippets").mkdir(parents=True, exist_ok=True)
    for source in SNIPPETS.glob("*.py"):  # a clone has every snippet (resume.py imports two)
        (workdir / "snippets" / source.name).write_bytes(source.read_bytes())
    env = {k: v for k, v in os.environ.items() if k not in {"TRAIN_DEVICE", "PYTHONPATH"}}
    env["PATH"] = f"{Path(sys.executable).parent}{os.pathsep}{env['PATH']}"
    return subprocess.run(
        ["bash", "-c", command], cwd=workdir, capture_output=True, text=True, env=env, timeout=300
    )


@pytest.mark.parametrize("page", PAGES, ids=lambda p: p.name)
def test_every_bash_block_is_a_command_these_tests_run(page):
    assert bash_blocks(page) == PAGE_COMMANDS


@pytest.mark.parametrize("command", PAGE_COMMANDS[:2])
def test_page_commands_for_the_report_work(command, tmp_path):
    result = run_in_copy(command, tmp_path)
    assert result.returncode == 0, result.stderr
    assert "device: cpu (set TRAIN_DEVICE to override)" in result.stdout
    assert "matmul on cpu: ok" in result.stdout


def final_hash(result: subprocess.CompletedProcess) -> str:
    assert result.returncode == 0, result.stderr
    match = re.search(r"^final weights sha256: ([0-9a-f]{64})$", result.stdout, re.M)
    assert match, result.stdout
    return match.group(1)


def test_resume_script_runs_locally_with_the_colab_flags(tmp_path):
    """The page's command, as is; then the same run split in two must end identically."""
    whole = final_hash(run_in_copy(RESUME_COMMAND, tmp_path / "whole"))
    saved = sorted(p.name for p in (tmp_path / "whole" / "checkpoints").glob("step-*.ckpt"))
    assert saved[-1] == "step-000000200.ckpt"  # the file the colab download line fetches
    halves = tmp_path / "halves"
    final_hash(run_in_copy(RESUME_COMMAND.replace("--steps 200", "--steps 100"), halves))
    assert final_hash(run_in_copy(RESUME_COMMAND, halves)) == whole


def sh_blocks(page: Path) -> list[list[str]]:
    blocks = re.findall(r"^ *```sh\n(.*?)^ *```", page.read_text("utf-8"), re.S | re.M)
    return [[line.strip() for line in block.strip().splitlines()] for block in blocks]


def optional_import_nodes(tree: ast.Module) -> set[int]:
    """The import statements in a ``try`` whose ``except ImportError`` falls back (isal: the
    snippet uses zlib without it): a reader need not install what only they import."""
    return {
        id(statement)
        for node in ast.walk(tree)
        if isinstance(node, ast.Try)
        and any(isinstance(h.type, ast.Name) and h.type.id == "ImportError" for h in node.handlers)
        for statement in node.body
        if isinstance(statement, ast.Import | ast.ImportFrom)
    }


def third_party_imports(snippet: Path) -> set[str]:
    """Top-level packages a snippet imports that a reader must install: a package imported
    anywhere outside such a ``try`` counts, even if a ``try`` imports it too."""
    tree = ast.parse(snippet.read_text("utf-8"))
    optional = optional_import_nodes(tree)
    names = set()
    for node in ast.walk(tree):
        if id(node) in optional:
            continue
        if isinstance(node, ast.Import):
            names |= {alias.name.split(".")[0] for alias in node.names}
        elif isinstance(node, ast.ImportFrom) and node.module and not node.level:
            names.add(node.module.split(".")[0])
    local = {path.stem for path in SNIPPETS.glob("*.py")} | {"__future__", "google"}
    return names - set(sys.stdlib_module_names) - local


@pytest.mark.parametrize("page", PAGES, ids=lambda p: p.name)
def test_the_steps_clone_and_install_before_running_a_snippet(page):
    """A reader on a fresh machine has no snippets/ folder and no torch: every block that
    runs one first clones the repository the badges point to, then installs what the
    lesson scripts import (local.py, and resume.py that the page runs)."""
    repo = re.search(r"^\s+repo: (\S+)$", (ROOT / "mkdocs.yml").read_text("utf-8"), re.M)[1]
    setup = [
        f"git clone https://github.com/{repo}.git",
        f"cd {repo.split('/')[1]}",
        "python3 -m venv .venv",
        "source .venv/bin/activate",
        "pip install torch tqdm",
    ]
    blocks = sh_blocks(page)
    assert setup in blocks, "the page shows the setup on its own"
    running = [block for block in blocks if "python snippets/local.py" in block]
    assert len(running) == 2  # WSL and macOS
    for block in running:
        start = block.index(setup[0])
        assert block[start : start + len(setup)] == setup
        assert block.index("python snippets/local.py") > start + len(setup) - 1
    needed = third_party_imports(SCRIPT) | third_party_imports(SNIPPETS / "resume.py")
    assert needed == set(setup[-1].split()[2:]), needed


def test_colab_commands_reuse_the_local_flags():
    """The `colab` block runs resume.py with the flags of the local command (but --ckpt-dir)."""
    local_flags = RESUME_COMMAND.split("--ckpt-dir checkpoints ")[1]
    for page in PAGES:
        text = page.read_text("utf-8")
        assert f'/colab-guide/resume {local_flags}" | colab console -s trainer' in text
        assert "resume/step-000000200.ckpt checkpoints/step-000000200.ckpt" in text

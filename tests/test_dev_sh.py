"""dev.sh's own logic, and the pins half of tools/colab_image.py: cheap, no install, no network.

dev.sh is sourced (``source dev.sh`` defines its functions and runs nothing) in a bash whose
PATH holds only stand-ins written here: fake interpreters that print a version, a fake
``uname`` (macOS or Linux), a fake ``fc-list``, a fake ``apt-get`` that records what it was
asked. So each case is what a reader's machine would look like, without being that machine.
"""

from __future__ import annotations

import re
import shutil
import subprocess
from pathlib import Path

import nbformat
import pytest
from conftest import ROOT, load_tool

DEV_SH = ROOT / "dev.sh"
BASH = shutil.which("bash")
COLAB_IMAGE = load_tool("colab_image")


def stub(folder: Path, name: str, script: str) -> Path:
    """An executable ``folder/name`` running the given sh script."""
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / name
    path.write_text(f"#!/bin/sh\n{script}\n")
    path.chmod(0o755)
    return path


def fake_python(folder: Path, name: str, version: str) -> Path:
    """An "interpreter" that answers dev.sh's version question with ``version``."""
    return stub(folder, name, f"echo {version}")


def dev_sh(call: str, path: Path, **env: str) -> subprocess.CompletedProcess:
    """Run ``call`` in a bash that sourced dev.sh, with PATH = ``path`` alone."""
    environment = {"PATH": str(path), "HOME": str(path.parent / "home"), **env}
    return subprocess.run(
        [BASH, "-c", f'source "{DEV_SH}"; {call}'],
        capture_output=True,
        text=True,
        env=environment,
        cwd=ROOT,
        timeout=30,
    )


# --- Which Python --------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("version", "supported"),
    [
        ("3.11.4", False),  # pymdown-extensions 13.1 needs 3.11.5
        ("3.11.5", True),
        ("3.12.1", True),
        ("3.13.0", True),
        ("3.13.15", True),
        ("3.14.0", False),  # newer than anything the pins were tried on
        ("3.9.6", False),  # macOS's /usr/bin/python3
        ("2.7.18", False),
        ("broken", False),
    ],
)
def test_version_supported(version, supported, tmp_path):
    result = dev_sh(f"version_supported {version}", tmp_path / "bin")
    assert (result.returncode == 0) is supported, result.stderr


def test_picks_the_newest_supported_interpreter(tmp_path):
    bin_dir = tmp_path / "bin"
    stub(bin_dir, "python3.13", "exit 127")  # a pyenv shim of a version not selected
    fake_python(bin_dir, "python3.12", "3.12.1")
    fake_python(bin_dir, "python3.11", "3.11.7")
    fake_python(bin_dir, "python3", "3.11.7")
    result = dev_sh("pick_python", bin_dir)
    assert result.returncode == 0, result.stderr
    assert result.stdout == "python3.12\n"


def test_refuses_an_old_python_and_says_how_to_get_one(tmp_path):
    bin_dir = tmp_path / "bin"
    fake_python(bin_dir, "python3", "3.9.6")
    result = dev_sh("pick_python", bin_dir)
    assert result.returncode == 1
    assert result.stdout == ""
    message = result.stderr
    assert "needs Python 3.11.5 to 3.13" in message
    assert "python3 is 3.9.6" in message
    for way in ("pyenv install 3.13", "python.org/downloads", "brew install python@3.13"):
        assert way in message, message
    assert "PYTHON=/path/to/python3.13" in message


def test_refuses_a_too_new_python_and_an_unsupported_PYTHON(tmp_path):
    bin_dir = tmp_path / "bin"
    fake_python(bin_dir, "python3", "3.14.0")
    assert "python3 is 3.14.0" in dev_sh("pick_python", bin_dir).stderr
    old = fake_python(bin_dir, "old-python", "3.11.4")
    result = dev_sh("pick_python", bin_dir, PYTHON=str(old))
    assert result.returncode == 1
    assert f"PYTHON={old} is Python 3.11.4" in result.stderr


def test_PYTHON_wins_over_a_newer_one_on_PATH(tmp_path):
    bin_dir = tmp_path / "bin"
    fake_python(bin_dir, "python3.13", "3.13.0")
    chosen = fake_python(bin_dir, "my-python", "3.11.9")
    result = dev_sh("pick_python", bin_dir, PYTHON=str(chosen))
    assert result.stdout == f"{chosen}\n", result.stderr


def test_setup_stops_before_making_a_venv_with_an_old_python(tmp_path):
    bin_dir = tmp_path / "bin"
    fake_python(bin_dir, "python3", "3.9.6")
    work = tmp_path / "clone"
    work.mkdir()
    result = dev_sh(f'cd "{work}"; setup_venv .venv requirements.txt; echo reached', bin_dir)
    assert result.returncode == 1 and "reached" not in result.stdout
    assert "python3 is 3.9.6" in result.stderr and not (work / ".venv").exists()
    fake_python(work / ".venv" / "bin", "python", "3.9.6")  # a .venv an older dev.sh made
    result = dev_sh(f'cd "{work}"; setup_venv .venv requirements.txt; echo reached', bin_dir)
    assert result.returncode == 1 and "reached" not in result.stdout
    assert ".venv was made with Python 3.9.6" in result.stderr and "rm -rf .venv" in result.stderr


def test_colab_python_is_the_one_requirements_colab_names(tmp_path):
    want = re.search(r"^# python: (\S+)$", (ROOT / "requirements-colab.txt").read_text(), re.M)
    bin_dir = tmp_path / "bin"
    fake_python(bin_dir, f"python{want[1]}", f"{want[1]}.2")
    assert dev_sh("pick_colab_python", bin_dir).stdout == f"python{want[1]}\n"
    other = fake_python(bin_dir, "python-other", "3.11.7")
    result = dev_sh("pick_colab_python", bin_dir, COLAB_PYTHON=str(other))
    assert result.returncode == 1
    assert f"Colab's is {want[1]}" in result.stderr


# --- System tools ---------------------------------------------------------------------------


def test_font_check_captures_the_list_instead_of_piping_into_grep_q(tmp_path):
    """A long font list with the font early: `fc-list | grep -q` would kill fc-list with
    SIGPIPE (exit 141 under pipefail, a false "missing"); the check must say yes every time."""
    bin_dir = tmp_path / "bin"
    stub(
        bin_dir,
        "fc-list",
        'echo "Noto Sans CJK SC"; i=0; while [ $i -lt 3000 ]; do echo "Other Font $i"; i=$((i+1)); done',
    )
    result = dev_sh("for i in 1 2 3 4 5; do has_cjk_font || echo no; done", bin_dir)
    assert result.returncode == 0 and result.stdout == "", result.stdout + result.stderr
    stub(bin_dir, "fc-list", 'echo "DejaVu Sans"')
    assert dev_sh("has_cjk_font", bin_dir).returncode == 1
    lines = DEV_SH.read_text(encoding="utf-8").splitlines()
    code = [line.split(" # ")[0] for line in lines if not line.lstrip().startswith("#")]
    pipes = [line for line in code if re.search(r"\|\s*grep\s+-\w*q", line)]
    assert pipes == [], "a pipe into grep -q is back in dev.sh"


def test_finds_an_installed_chrome(tmp_path):
    bin_dir = tmp_path / "bin"
    chrome = stub(bin_dir, "google-chrome", "exit 0")
    assert dev_sh("find_chromium", bin_dir).stdout == f"{chrome}\n"
    mac_chrome = tmp_path / "home" / "Applications" / "Google Chrome.app" / "Contents" / "MacOS"
    chrome.unlink()
    stub(mac_chrome, "Google Chrome", "exit 0")
    assert dev_sh("find_chromium", bin_dir).stdout.startswith(str(mac_chrome))
    assert dev_sh("find_chromium", bin_dir, CHROMIUM_PATH="/nowhere").stdout == ""


def without_apt_get(tmp_path: Path, system: str) -> Path:
    """A PATH with no apt-get, no zip, no browser: only a ``uname`` saying ``system``."""
    bin_dir = tmp_path / "bin"
    stub(bin_dir, "uname", f"echo {system}")
    stub(bin_dir, "id", "echo 501")
    return bin_dir


def test_without_apt_get_on_macos_names_what_is_missing_and_the_brew_commands(tmp_path):
    bin_dir = without_apt_get(tmp_path, "Darwin")
    result = dev_sh("COMMAND=test; setup_system chromium cjk-font zip unzip bsdtar 7z", bin_dir)
    assert result.returncode == 1, result.stderr  # not 127 (command not found)
    message = result.stderr
    assert "command not found" not in message
    assert "apt-get" in message and "does not have" in message
    for hint in (
        "brew install --cask google-chrome",
        "CHROMIUM_PATH",
        "brew install zip",
        "brew install unzip",
        "brew install libarchive",
        "brew install p7zip",
    ):
        assert hint in message, message
    assert "font-noto-sans-cjk" not in message  # macOS draws Chinese with its own fonts
    assert "Then run ./dev.sh test again" in message


def test_without_apt_get_on_another_linux_names_the_debian_packages(tmp_path):
    bin_dir = without_apt_get(tmp_path, "Linux")
    stub(bin_dir, "fc-list", "echo DejaVu Sans")
    result = dev_sh("setup_system chromium cjk-font bsdtar 7z", bin_dir)
    assert result.returncode == 1
    assert "chromium fonts-noto-cjk libarchive-tools p7zip-full" in result.stderr
    assert "brew" not in result.stderr


def test_with_apt_get_installs_only_what_is_missing(tmp_path):
    bin_dir = tmp_path / "bin"
    log = tmp_path / "apt.log"
    stub(bin_dir, "apt-get", f'echo "$*" >> "{log}"')
    stub(bin_dir, "id", "echo 0")  # root: no sudo
    stub(bin_dir, "uname", "echo Linux")
    stub(bin_dir, "fc-list", "echo Noto Sans CJK SC")
    stub(bin_dir, "zip", "exit 0")
    chrome = stub(bin_dir, "chromium", "exit 0")
    result = dev_sh("setup_system chromium cjk-font zip unzip 7z; echo $CHROMIUM_PATH", bin_dir)
    assert result.returncode == 0, result.stderr
    assert result.stdout.splitlines()[-1] == str(chrome)
    calls = log.read_text().splitlines()
    assert calls[0] == "update -qq"
    assert calls[1].endswith("--no-install-recommends unzip p7zip-full")


def test_unknown_command_prints_usage(tmp_path):
    result = subprocess.run([BASH, str(DEV_SH), "nonsense"], capture_output=True, text=True)
    assert result.returncode == 2
    assert "./dev.sh serve | ./dev.sh test" in result.stderr and "./dev.sh colab" in result.stderr


# --- requirements files ---------------------------------------------------------------------


def test_serve_needs_no_torch_and_test_installs_the_site_set_too():
    site = (ROOT / "requirements-site.txt").read_text(encoding="utf-8")
    full = (ROOT / "requirements.txt").read_text(encoding="utf-8")
    assert not re.search(r"^torch", site, re.M | re.I)
    assert "-r requirements-site.txt" in full.splitlines()
    assert re.search(r"^torch==", full, re.M)


# --- tools/colab_image.py: the pins and the comparison ---------------------------------------

FREEZE = """\
numpy==2.2.0
torch @ https://example.org/whl/cpu/torch-2.12.0%2Bcpu-cp313-cp313-manylinux_2_28_x86_64.whl
Jinja2==3.2.0
ipython==7.35.0
some-tool @ git+https://example.org/some-tool@abc
"""


def test_update_pins_takes_colab_versions_and_keeps_held_pins_and_comments():
    pins = "# header\n# python: 3.13\ntorch==2.11.0\nnumpy==2.1.3\njinja2==3.1.6  # note\n"
    pins += "ipython==8.15.0  # not Colab's: reason\n"
    text, changes = COLAB_IMAGE.updated_pins(pins, FREEZE)
    assert text.splitlines() == [
        "# header",
        "# python: 3.13",
        "torch==2.12.0",  # from the wheel URL, local part (+cpu) dropped
        "numpy==2.2.0",
        "jinja2==3.2.0  # note",  # names compare as PEP 503 names
        "ipython==8.15.0  # not Colab's: reason",
    ]
    assert changes == ["torch: 2.11.0 -> 2.12.0", "numpy: 2.1.3 -> 2.2.0", "jinja2: 3.1.6 -> 3.2.0"]


def test_update_pins_fails_on_a_package_colab_dropped():
    with pytest.raises(ValueError, match="not in that freeze: tqdm"):
        COLAB_IMAGE.updated_pins("tqdm==4.67.3\n", FREEZE)


def test_the_colab_list_pins_every_line_exactly():
    for line in (ROOT / "requirements-colab.txt").read_text(encoding="utf-8").splitlines():
        if line.strip() and not line.startswith("#"):
            assert COLAB_IMAGE.PIN.match(line), f"not an exact pin: {line}"


def notebook_printing(*texts: str) -> nbformat.NotebookNode:
    cells = []
    for text in texts:
        cell = nbformat.v4.new_code_cell("print()")
        cell.outputs = [nbformat.v4.new_output("stream", name="stdout", text=text)]
        cells.append(cell)
    return nbformat.v4.new_notebook(cells=cells)


def test_compare_fails_only_on_a_changed_digest():
    digest, other = "ab" * 32, "cd" * 32
    committed = notebook_printing("torch 2.13 says hi\n", f"final weights sha256: {digest}\n")
    same = COLAB_IMAGE.compare(
        notebook_printing("torch 2.11 says hi\n", f"final weights sha256: {digest}\n"), committed
    )
    assert same.digests_equal and same.digests == 1 and same.differing_cells == 1
    assert same.diff == ["code cell 0: -torch 2.13 says hi", "code cell 0: +torch 2.11 says hi"]
    changed = COLAB_IMAGE.compare(
        notebook_printing("torch 2.13 says hi\n", f"final weights sha256: {other}\n"), committed
    )
    assert not changed.digests_equal

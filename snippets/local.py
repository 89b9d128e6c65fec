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
# # 在自己的电脑上运行同一份代码
#
# 先在自己的 GPU（或 CPU）上用小数据把代码调通，再把长时间的训练交给 Colab。这要求同一份代码在两边都能运行。很多教程直接写 `device="cuda"` 或 `.cuda()`：在 Colab 的 GPU 上没问题，换到没有 NVIDIA GPU 的机器上就报错。下面保存的输出来自一台没有 GPU 的普通电脑：

# %% [markdown] lang="en"
# # Running the same code on your own machine
#
# Get the code working on your own GPU (or CPU) with small data, then hand the long
# training run to Colab. For that, one file must run in both places. Many tutorials
# write `device="cuda"` or `.cuda()`: that works on Colab's GPU and fails on any
# machine without an NVIDIA GPU. The output saved below comes from a CPU-only machine:

# %%
from _colab import in_colab, running_in_notebook

if running_in_notebook():
    # --8<-- [start:hard_coded]
    import torch

    try:
        batch = torch.ones(4, 3, device="cuda")  # what many tutorials write
        print("hard-coded 'cuda' worked: this machine has an NVIDIA GPU")
    except (AssertionError, RuntimeError) as error:
        print("hard-coded 'cuda' failed:", str(error).splitlines()[0])
    # --8<-- [end:hard_coded]

# %% [markdown] lang="zh"
# 只支持 CPU 的 PyTorch 报 `Torch not compiled with CUDA enabled`；CUDA 版 PyTorch 在没有显卡驱动的机器上报 `Found no NVIDIA driver`。两种都会让你的脚本在第一个张量上停下来。
#
# ## 修正：让代码自己选设备
#
# 代码应该自己判断手边有什么：NVIDIA GPU 用 CUDA，Apple 芯片的 Mac 用 MPS，都没有就用 CPU。只要这几行：

# %% [markdown] lang="en"
# A CPU-only PyTorch says `Torch not compiled with CUDA enabled`; a CUDA build of
# PyTorch on a machine without the driver says `Found no NVIDIA driver`. Either way
# the script stops at its first tensor.
#
# ## The fix: let the code pick the device
#
# The code should see for itself what it has: CUDA on an NVIDIA GPU, MPS on an
# Apple-silicon Mac, the CPU otherwise. These few lines do it:

# %%
if running_in_notebook():
    # --8<-- [start:five_lines]
    if torch.cuda.is_available():  # an NVIDIA GPU: Colab's T4, your RTX card
        device = torch.device("cuda")
    elif torch.backends.mps.is_available():  # an Apple-silicon Mac
        device = torch.device("mps")
    else:
        device = torch.device("cpu")
    print("device:", device)
    # --8<-- [end:five_lines]

# %% [markdown] lang="zh"
# 同一台机器，这次不报错，打印 `cpu`；在 Colab 的 T4 上你会看到 `cuda`，在 M 系列 Mac 上是 `mps`。之后的代码只写 `.to(device)`，从不直接写设备名。
#
# ## `pick_device()`：同样的几行，再加两条规则
#
# 把上面的几行写成函数，再加两条规则：
#
# 1. 环境变量 `TRAIN_DEVICE` 可以强制指定设备（`auto`、`cpu`、`cuda`、`cuda:1`、`mps`），比如在有 GPU 的机器上用 CPU 复现问题；
# 2. 要求的设备不存在时直接报错，而不是悄悄退回 CPU：否则你可能以为在用 GPU，其实慢了几十倍。

# %% [markdown] lang="en"
# The same machine, no error this time: it prints `cpu`. On Colab's T4 you will see
# `cuda`, on an M-series Mac `mps`. From here on the code only says `.to(device)` and
# never names a device itself.
#
# ## `pick_device()`: the same lines, plus two rules
#
# The lines above become a function, with two rules added:
#
# 1. the environment variable `TRAIN_DEVICE` forces a device (`auto`, `cpu`,
#    `cuda`, `cuda:1`, `mps`), say the CPU on a GPU machine to reproduce a bug;
# 2. a device that is asked for but missing is an error, not a silent fall back to the
#    CPU: otherwise you might believe you are on the GPU while running many times
#    slower.

# %%
# @title Imports
# @title-zh 导入
# --8<-- [start:imports]
import os
import platform
import shutil
import subprocess
import sys
from dataclasses import dataclass

try:
    import torch
except ImportError:
    # the environment report still runs, and says how to install it
    torch = None
# --8<-- [end:imports]

# %%
# --8<-- [start:pick_device]
DEVICE_VARIABLE = "TRAIN_DEVICE"
DEVICE_TYPES = ("cuda", "mps", "cpu")


def mps_available() -> bool:
    """True on an Apple-silicon Mac whose PyTorch can use the GPU through
    Metal (MPS)."""
    backend = getattr(torch.backends, "mps", None) if torch else None
    return bool(backend is not None and backend.is_available())


def pick_device(requested: str | None = None) -> "torch.device":
    """CUDA if there is one, else MPS, else CPU; ``TRAIN_DEVICE`` (or
    ``requested``) overrides.

    A device that is asked for but not usable raises instead of falling back,
    so a run never drifts onto the CPU without you knowing.
    """
    require_torch()
    choice = requested
    if choice is None:
        choice = os.environ.get(DEVICE_VARIABLE, "")
    choice = choice.strip().lower() or "auto"
    if choice == "auto":
        if torch.cuda.is_available():
            return torch.device("cuda")
        if mps_available():
            return torch.device("mps")
        return torch.device("cpu")
    device = parse_device(choice)
    check_usable(device, choice)
    return device


# --8<-- [end:pick_device]


# %%
# @title The checks behind pick_device(): parse_device(), check_usable()
# @title-zh pick_device() 背后的检查：parse_device()、check_usable()
# --8<-- [start:checks]
def require_torch() -> None:
    if torch is None:
        raise RuntimeError(
            "PyTorch is not installed here: run `pip install torch` first."
        )


def parse_device(choice: str) -> "torch.device":
    """``torch.device(choice)``, limited to the device types this code handles."""
    try:
        device = torch.device(choice)
    except RuntimeError:
        device = None
    if device is None or device.type not in DEVICE_TYPES:
        raise ValueError(
            f"{DEVICE_VARIABLE}={choice!r} is not a known device: "
            "choose auto, cpu, cuda, cuda:N or mps."
        )
    return device


def check_usable(device: "torch.device", choice: str) -> None:
    """Raise, saying why, when the device asked for is not on this machine."""
    if device.type == "cuda" and not torch.cuda.is_available():
        raise RuntimeError(
            f"{DEVICE_VARIABLE}={choice} but PyTorch sees no CUDA GPU "
            "(torch.cuda.is_available() is False)."
        )
    if (
        device.type == "cuda"
        and (device.index or 0) >= torch.cuda.device_count()
    ):
        raise RuntimeError(
            f"{DEVICE_VARIABLE}={choice} but only "
            f"{torch.cuda.device_count()} CUDA GPU(s) exist "
            "(they are numbered from 0)."
        )
    if device.type == "mps" and not mps_available():
        raise RuntimeError(
            f"{DEVICE_VARIABLE}={choice} but MPS is not available "
            "on this machine."
        )


# --8<-- [end:checks]


# %% [markdown] lang="zh"
# ## 证明：自动选择、强制指定、缺了就报错
#
# 在那台没有 GPU 的机器上：自动选择得到 `cpu`；要 `cpu` 就给 `cpu`；要 `cuda` 或者不认识的 `tpu`，都得到一条说明原因的错误。

# %% [markdown] lang="en"
# ## Proof: automatic, forced, and refused
#
# On the machine without a GPU: automatic gives `cpu`; asking for `cpu` gives `cpu`;
# asking for `cuda`, or for the unknown `tpu`, gives an error that says why.

# %%
if running_in_notebook():
    # --8<-- [start:proof]
    for wanted in [None, "cpu", "cuda", "tpu"]:
        try:
            print(f"{wanted or 'auto'} -> {pick_device(wanted)}")
        except (ValueError, RuntimeError) as error:
            print(f"{wanted} -> refused: {error}")
    # --8<-- [end:proof]

# %% [markdown] lang="zh"
# ## 用在你自己的训练循环里
#
# 模型 `.to(device)` 一次，每个批次 `.to(device)` 一次，别的不用改。同一个单元格在 Colab 的 GPU、你的 Mac 和只有 CPU 的机器上都能运行。

# %% [markdown] lang="en"
# ## Use it in your own training loop
#
# Move the model with `.to(device)` once, and each batch with `.to(device)`; nothing else
# changes. The same cell runs on Colab's GPU, on your Mac and on a CPU-only machine.

# %%
if running_in_notebook():
    # --8<-- [start:own_loop]
    device = pick_device()
    torch.manual_seed(0)
    model = torch.nn.Linear(3, 1).to(device)
    optimizer = torch.optim.SGD(model.parameters(), lr=0.1)
    inputs = torch.randn(64, 3)
    targets = inputs.sum(dim=1, keepdim=True)  # the model should learn sum()
    losses = []
    for _ in range(100):
        x, y = inputs.to(device), targets.to(device)  # batches follow the model
        loss = torch.nn.functional.mse_loss(model(x), y)
        optimizer.zero_grad()
        loss.backward()
        optimizer.step()
        losses.append(loss.item())
    print(f"100 steps on {device}: loss {losses[0]:.3f} -> {losses[-1]:.3f}")
    # --8<-- [end:own_loop]

# %% [markdown] lang="zh"
# 想在自己的项目里用？页面上 Colab 徽章旁边可以下载 `local.py`，放在你的脚本旁边，就能从 `local` 导入 `pick_device`。
#
# ## 设备不是你以为的那个：环境报告
#
# 下面三个折叠的单元格是一份环境报告：Python、PyTorch、CUDA/MPS、GPU 型号和显存，并给出下一步该装什么。它把两个问题分开问：**驱动**（`nvidia-smi`）能不能看到 GPU，**PyTorch** 能不能用它。常见的几种情况：
#
# | 现象 | 原因 | 做法 |
# | --- | --- | --- |
# | `nvidia-smi` 能看到 GPU，PyTorch 看不到，`torch.version.cuda` 是 `None` | 装的是只支持 CPU 的 PyTorch | 重装 CUDA 版 PyTorch |
# | WSL2 里 `nvidia-smi` 不存在 | Windows 上没装 NVIDIA 驱动 | 只在 **Windows** 上装驱动，WSL 里不要装 |
# | Mac 上 MPS 不可用，`platform.machine()` 是 `x86_64` | Intel Mac，或在 Rosetta 下运行的 Intel 版 Python | Apple 芯片的 Mac 上换成 arm64 版 Python |
# | Apple 芯片的 Mac 上 MPS 不可用 | macOS 低于 14.0 | 升级到 macOS 14 或更高 |

# %% [markdown] lang="en"
# Want it in your own project? Download `local.py` next to the Colab badge on the page,
# put it beside your script, and import `pick_device` from `local`.
#
# ## The device is not the one you expected: the environment report
#
# The three folded cells below are an environment report: Python, PyTorch, CUDA/MPS,
# GPU name and memory, and what to install next. It asks two questions separately: does
# the **driver** (`nvidia-smi`) see a GPU, and can **PyTorch** use it? The usual cases:
#
# | Symptom | Cause | Fix |
# | --- | --- | --- |
# | `nvidia-smi` sees a GPU, PyTorch does not, `torch.version.cuda` is `None` | a CPU-only PyTorch build | reinstall a CUDA build of PyTorch |
# | `nvidia-smi` is missing inside WSL2 | no NVIDIA driver on Windows | install the driver on **Windows** only, never inside WSL |
# | MPS unavailable on a Mac, `platform.machine()` is `x86_64` | an Intel Mac, or an Intel Python under Rosetta | on Apple silicon, install an arm64 Python |
# | MPS unavailable on an Apple-silicon Mac | macOS older than 14.0 | update to macOS 14 or later |


# %%
# @title Collecting the facts: gather_environment()
# @title-zh 收集环境信息：gather_environment()
# --8<-- [start:environment]
@dataclass(frozen=True)
class Environment:
    python: str
    system: str  # platform.system(): "Linux", "Darwin" (macOS) or "Windows"
    machine: str  # "x86_64", "arm64", "AMD64", ...
    wsl: bool
    colab: bool
    torch_version: str | None  # None: PyTorch is not installed
    # CUDA version PyTorch was built for; None for CPU and Mac builds
    torch_cuda: str | None
    cuda_available: bool
    mps_built: bool
    mps_available: bool
    gpu_name: str | None
    gpu_memory: int | None  # bytes
    driver_gpu: str | None  # what nvidia-smi reports, with or without PyTorch


def in_wsl() -> bool:
    """WSL kernels name themselves, e.g.
    '5.15.167.4-microsoft-standard-WSL2'."""
    return "microsoft" in platform.uname().release.lower()


def driver_gpu() -> str | None:
    """The first GPU the NVIDIA driver reports; None when ``nvidia-smi`` is
    missing or fails."""
    if shutil.which("nvidia-smi") is None:
        return None
    query = ["nvidia-smi", "--query-gpu=name", "--format=csv,noheader"]
    result = subprocess.run(query, capture_output=True, text=True, timeout=30)
    names = result.stdout.strip().splitlines() if result.returncode == 0 else []
    return names[0].strip() if names else None


def gpu_name_and_memory() -> tuple[str | None, int | None]:
    """What PyTorch itself can use: CUDA device 0, or the Mac's GPU."""
    if torch is None:
        return None, None
    if torch.cuda.is_available():
        props = torch.cuda.get_device_properties(0)
        return props.name, props.total_memory
    if mps_available():
        try:  # how much PyTorch may allocate on the Mac's shared memory
            return "Apple GPU (MPS)", torch.mps.recommended_max_memory()
        except (AttributeError, RuntimeError):
            return "Apple GPU (MPS)", None
    return None, None


def gather_environment() -> Environment:
    name, memory = gpu_name_and_memory()
    mps_backend = getattr(torch.backends, "mps", None) if torch else None
    return Environment(
        python=sys.version.split()[0],
        system=platform.system(),
        machine=platform.machine(),
        wsl=in_wsl(),
        colab=in_colab(),
        torch_version=torch.__version__ if torch else None,
        torch_cuda=torch.version.cuda if torch else None,
        cuda_available=bool(torch and torch.cuda.is_available()),
        mps_built=bool(mps_backend is not None and mps_backend.is_built()),
        mps_available=mps_available(),
        gpu_name=name,
        gpu_memory=memory,
        driver_gpu=driver_gpu(),
    )


# --8<-- [end:environment]


# %%
# @title What to install: install_advice()
# @title-zh 该装什么：install_advice()
# --8<-- [start:advice]
CUDA_WHEELS = (
    "pip install torch --index-url https://download.pytorch.org/whl/cu128"
)


def install_advice(env: Environment) -> list[str]:
    """Next steps for this machine, most important first; empty when PyTorch
    has a GPU."""
    if env.torch_version is None:
        return [
            "PyTorch is not installed: `pip install torch` "
            "(https://pytorch.org/get-started/locally/ gives the command for "
            "your system)."
        ]
    if env.cuda_available or env.mps_available:
        return []
    if env.driver_gpu and env.torch_cuda is None:
        return [
            f"The NVIDIA driver sees {env.driver_gpu}, "
            f"but PyTorch {env.torch_version} is a "
            f"CPU-only build. Reinstall a CUDA build, e.g. `{CUDA_WHEELS}`."
        ]
    if env.driver_gpu:
        return [
            f"The driver sees {env.driver_gpu} and PyTorch was built for "
            f"CUDA {env.torch_cuda}, "
            "but cannot use the GPU: update the NVIDIA driver"
            + (" on Windows (not inside WSL)." if env.wsl else ".")
        ]
    if env.colab:
        return [
            "This Colab runtime has no GPU: "
            "Runtime → Change runtime type → T4 GPU → Save."
        ]
    if env.wsl:
        return [
            "Inside WSL2 no NVIDIA driver answers. Install the normal NVIDIA "
            "driver on Windows only (never a Linux driver inside WSL), then "
            "check that `nvidia-smi` works in WSL."
        ]
    if env.system == "Darwin" and env.machine == "x86_64":
        return [
            "This Python is an x86_64 build (an Intel Mac, or Rosetta on Apple "
            "silicon). MPS needs an Apple-silicon Mac and an arm64 Python; "
            "then `pip install torch`. New PyTorch releases no longer support "
            "Intel Macs: debug on the CPU with an older release, or on Colab."
        ]
    if env.system == "Darwin":
        return [
            "MPS is not available: PyTorch's MPS backend needs macOS 14.0 "
            "or later"
            + (
                "."
                if env.mps_built
                else ", and this PyTorch build has no MPS: `pip install torch`."
            )
        ]
    return [
        "No GPU found: training runs on the CPU. That is fine for a small "
        "prototype; run the long job on Colab. With an NVIDIA card, install "
        "its driver until `nvidia-smi` works."
    ]


# --8<-- [end:advice]


# %%
# @title Printing the report: main()
# @title-zh 打印报告：main()
# --8<-- [start:report]
def yes_no(flag: bool) -> str:
    return "yes" if flag else "no"


def environment_rows(env: Environment) -> dict[str, str]:
    """The facts as label → value, ready to print."""
    system = f"{env.system} {env.machine}" + (" (WSL2)" if env.wsl else "")
    memory = (
        "-" if env.gpu_memory is None else f"{env.gpu_memory / 2**30:.1f} GiB"
    )
    return {
        "where": "Colab" if env.colab else "local machine",
        "python": env.python,
        "system": system,
        "torch": env.torch_version or "not installed",
        "built for CUDA": env.torch_cuda or "no",
        "CUDA available": yes_no(env.cuda_available),
        "MPS available": yes_no(env.mps_available),
        "GPU": env.gpu_name or "none",
        "GPU memory": memory,
        "driver sees": env.driver_gpu or "no NVIDIA GPU",
    }


def format_rows(rows: dict[str, str]) -> str:
    width = max(len(label) for label in rows)
    return "\n".join(
        f"{label:<{width}}  {value}" for label, value in rows.items()
    )


def smoke_test(device: "torch.device") -> str:
    """A real computation on ``device``: a driver or build problem shows up
    here, not mid-training."""
    x = torch.ones(64, 64, device=device)
    total = (x @ x).sum().item()  # every entry is 64, so the sum is 64**3
    return (
        f"matmul on {device}: {'ok' if total == 64**3 else f'WRONG ({total})'}"
    )


def main() -> int:
    env = gather_environment()
    # printed at once, so a notebook shows the report as one block
    lines = [format_rows(environment_rows(env))]
    lines += [f"to do: {step}" for step in install_advice(env)]
    if env.torch_version is None:
        print("\n".join(lines))
        return 1
    try:
        device = pick_device()
    except (ValueError, RuntimeError) as error:
        print("\n".join(lines))
        print(f"error: {error}", file=sys.stderr)
        return 2
    lines.append(f"device: {device} (set {DEVICE_VARIABLE} to override)")
    lines.append(smoke_test(device))
    print("\n".join(lines))
    return 0


# --8<-- [end:report]


# %% [markdown] lang="zh"
# 运行报告。最后一行在选出的设备上做一次 64×64 的矩阵乘法，确认它真的能算。在自己的电脑上，同样的报告是 `python local.py`。
#
# 下面保存的输出来自一台没有 GPU 的普通电脑（模拟 Colab 环境），不是 Colab；在 Colab 里运行，版本号和硬件会不同。

# %% [markdown] lang="en"
# Run the report. Its last line is a 64×64 matrix product on the chosen device, to prove
# it really computes. On your own computer the same report is `python local.py`.
#
# The saved output below comes from a CPU-only machine that imitates Colab, not from
# Colab; on Colab you will see other versions and hardware.

# %%
# --8<-- [start:run_report]
if __name__ == "__main__":
    exit_code = main()
    # a notebook must not call sys.exit(0): only stop when something is missing
    if exit_code:
        sys.exit(exit_code)
# --8<-- [end:run_report]

# %% [markdown] lang="zh"
# 报告里的菜单名是英文界面的写法；中文界面：代码执行程序 → 更改运行时类型 → T4 GPU → 保存。
#
# 这一课的测试：[tests/test_local.py](https://github.com/colab-guide/colab-guide/blob/main/tests/test_local.py)

# %% [markdown] lang="en"
# This lesson's tests: [tests/test_local.py](https://github.com/colab-guide/colab-guide/blob/main/tests/test_local.py)

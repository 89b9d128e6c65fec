# local.py from Colab Guide (https://github.com/colab-guide/colab-guide),
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
# # 在自己的电脑上运行同一份代码
#
# 计划很简单：先在自己的 GPU（或 CPU）上用小数据把代码调通，再把长时间的训练交给 Colab。为此，代码必须自己判断手边有什么：NVIDIA GPU 用 CUDA，Apple 芯片的 Mac 用 MPS，都没有就用 CPU。这个笔记本给出两样东西：`pick_device()`，以及一份环境报告，缺了什么就告诉你该装什么。

# %% [markdown] lang="en"
# # Running the same code on your own machine
#
# The plan is simple: get the code working on your own GPU (or CPU) with small data,
# then hand the long training run to Colab. For that, the code must see for itself what
# it has: CUDA on an NVIDIA GPU, MPS on an Apple-silicon Mac, the CPU otherwise. This
# notebook gives you two things: `pick_device()`, and an environment report that says
# what to install when something is missing.

# %%
from __future__ import annotations

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


# %% [markdown] lang="zh"
# ## 选择设备：CUDA → MPS → CPU，可用环境变量覆盖
#
# 默认按 CUDA、MPS、CPU 的顺序挑第一个能用的。想强制使用某个设备（比如在有 GPU 的机器上用 CPU 复现问题），设置环境变量 `COLAB_GUIDE_DEVICE`，取值 `auto`、`cpu`、`cuda`、`cuda:1`、`mps`。要求的设备不存在时直接报错，而不是悄悄退回 CPU：否则你可能以为在用 GPU，其实慢了几十倍。

# %% [markdown] lang="en"
# ## Picking the device: CUDA → MPS → CPU, overridable
#
# By default the first of CUDA, MPS and CPU that works is used. To force one (say, the
# CPU on a GPU machine to reproduce a bug), set the environment variable
# `COLAB_GUIDE_DEVICE` to `auto`, `cpu`, `cuda`, `cuda:1` or `mps`. A device that is
# asked for but missing is an error, not a silent fall back to the CPU: otherwise you
# might believe you are on the GPU while running many times slower.

# %%
DEVICE_VARIABLE = "COLAB_GUIDE_DEVICE"
DEVICE_TYPES = ("cuda", "mps", "cpu")


def mps_available() -> bool:
    """True on an Apple-silicon Mac whose PyTorch can use the GPU through
    Metal (MPS)."""
    backend = getattr(torch.backends, "mps", None) if torch else None
    return bool(backend is not None and backend.is_available())


def require_torch() -> None:
    if torch is None:
        raise RuntimeError(
            "PyTorch is not installed here: run `pip install torch` first."
        )


def pick_device(requested: str | None = None) -> torch.device:
    """CUDA if there is one, else MPS, else CPU; ``COLAB_GUIDE_DEVICE`` (or
    ``requested``) overrides.

    A device that is asked for but not usable raises instead of falling back,
    so a run never drifts onto the CPU without you knowing.
    """
    require_torch()
    choice = (
        requested
        if requested is not None
        else os.environ.get(DEVICE_VARIABLE, "")
    )
    choice = choice.strip().lower() or "auto"
    if choice == "auto":
        if torch.cuda.is_available():
            return torch.device("cuda")
        if mps_available():
            return torch.device("mps")
        return torch.device("cpu")
    try:
        device = torch.device(choice)
    except RuntimeError:
        device = None
    if device is None or device.type not in DEVICE_TYPES:
        raise ValueError(
            f"{DEVICE_VARIABLE}={choice!r} is not a device this guide uses: "
            "choose auto, cpu, cuda, cuda:N or mps."
        )
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
    return device




# %% [markdown] lang="zh"
# ## 收集环境信息
#
# 每一项单独查询，查不到就记为 `None`。注意区分两件事：**驱动**（`nvidia-smi`）能不能看到 GPU，和 **PyTorch** 能不能用它。驱动看得到、PyTorch 用不了，通常是装了只支持 CPU 的 PyTorch。

# %% [markdown] lang="en"
# ## Collecting the facts
#
# Each fact is looked up on its own and is `None` when unknown. Two questions are kept
# apart: does the **driver** (`nvidia-smi`) see a GPU, and can **PyTorch** use it? A
# driver that sees a GPU which PyTorch cannot use usually means a CPU-only PyTorch build.


# %%
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


def in_colab() -> bool:
    """True on a Colab runtime: only there is the ``google.colab`` package
    installed."""
    try:
        import google.colab  # noqa: F401
    except ImportError:
        return False
    return True


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




# %% [markdown] lang="zh"
# ## 缺什么，装什么
#
# 根据收集到的信息给出具体的下一步。常见的几种情况：
#
# | 现象 | 原因 | 做法 |
# | --- | --- | --- |
# | `nvidia-smi` 能看到 GPU，PyTorch 看不到，`torch.version.cuda` 是 `None` | 装的是只支持 CPU 的 PyTorch | 重装 CUDA 版 PyTorch |
# | WSL2 里 `nvidia-smi` 不存在 | Windows 上没装 NVIDIA 驱动 | 只在 **Windows** 上装驱动，WSL 里不要装 |
# | Mac 上 MPS 不可用，`platform.machine()` 是 `x86_64` | Python 是 Intel 版，在 Rosetta 下运行 | 换成 arm64 版 Python |

# %% [markdown] lang="en"
# ## What to install when something is missing
#
# The facts turn into a concrete next step. The usual cases:
#
# | Symptom | Cause | Fix |
# | --- | --- | --- |
# | `nvidia-smi` sees a GPU, PyTorch does not, `torch.version.cuda` is `None` | a CPU-only PyTorch build | reinstall a CUDA build of PyTorch |
# | `nvidia-smi` is missing inside WSL2 | no NVIDIA driver on Windows | install the driver on **Windows** only, never inside WSL |
# | MPS unavailable on a Mac, `platform.machine()` is `x86_64` | an Intel Python running under Rosetta | install an arm64 Python |

# %%
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
            "then `pip install torch`."
        ]
    if env.system == "Darwin":
        return [
            "MPS is not available: PyTorch's MPS backend needs macOS 12.3 "
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




# %% [markdown] lang="zh"
# ## 报告
#
# 显存以 GiB（2³⁰ 字节）显示。最后在选出的设备上做一次矩阵乘法，确认它真的能用。

# %% [markdown] lang="en"
# ## The report
#
# Memory is shown in GiB (2³⁰ bytes). At the end a matrix product runs on the chosen
# device, to prove it really works.


# %%
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


def smoke_test(device: torch.device) -> str:
    """A real computation on ``device``: a driver or build problem shows up
    here, not mid-training."""
    x = torch.ones(64, 64, device=device)
    total = (x @ x).sum().item()  # every entry is 64, so the sum is 64**3
    return (
        f"matmul on {device}: {'ok' if total == 64**3 else f'WRONG ({total})'}"
    )


def main() -> int:
    env = gather_environment()
    print(format_rows(environment_rows(env)))
    for step in install_advice(env):
        print("to do:", step)
    if env.torch_version is None:
        return 1
    try:
        device = pick_device()
    except (ValueError, RuntimeError) as error:
        print(f"error: {error}", file=sys.stderr)
        return 2
    print(f"device: {device} (set {DEVICE_VARIABLE} to override)")
    print(smoke_test(device))
    return 0


if __name__ == "__main__":
    exit_code = main()
    # a notebook must not call sys.exit(0): only stop when something is missing
    if exit_code:
        sys.exit(exit_code)

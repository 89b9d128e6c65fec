"""The March-2024 seed post's checkpoint functions, kept verbatim in behaviour as a test fixture.

This is the code the "resume" lesson argues against: ``tests/test_resume.py`` kills it at
the worst moment to show what the page describes. Do not copy it into training code.
Changes from the post: imports added, type hints modernised, comments shortened.
"""

from __future__ import annotations

import os
import time
from collections.abc import Sequence
from datetime import datetime

import torch
import torch.nn as nn
import torch.optim as opt


# --8<-- [start:save]
def save_checkpoint(
    path: str,
    epoch: int,
    modules: nn.Module | Sequence[nn.Module],
    optimizers: opt.Optimizer | Sequence[opt.Optimizer],
    safe_replacement: bool = True,
):
    if isinstance(modules, nn.Module):
        modules = [modules]
    if isinstance(optimizers, opt.Optimizer):
        optimizers = [optimizers]
    data = {
        "epoch": epoch,
        "time": time.time(),
        "modules": [m.state_dict() for m in modules],
        "optimizers": [o.state_dict() for o in optimizers],
    }
    # "Safe replacement": move the old checkpoint out of the way first...
    temp_file = None
    if os.path.exists(path) and safe_replacement:
        temp_file = path + ".old"
        os.rename(path, temp_file)
    # ...then write the new one under the final name
    # (a kill here leaves no good file at `path`)
    with open(path, "wb") as fp:
        torch.save(data, fp)
        fp.flush()
        os.fsync(fp.fileno())
    if temp_file is not None:
        os.unlink(path + ".old")
    # --8<-- [end:save]


# --8<-- [start:load]
def load_checkpoint(path, default_epoch, modules, optimizers, verbose=True):
    if isinstance(modules, nn.Module):
        modules = [modules]
    if isinstance(optimizers, opt.Optimizer):
        optimizers = [optimizers]
    if os.path.exists(path):
        device = next(modules[0].parameters()).device
        data = torch.load(path, map_location=device)
        if verbose:
            saved = datetime.fromtimestamp(data["time"])
            print(
                f"Loaded checkpoint saved at {saved:%Y-%m-%d %H:%M:%S}. "
                f"Resuming from epoch {data['epoch']}"
            )
        for i, _ in enumerate(modules):
            modules[i].load_state_dict(data["modules"][i])
        for i, _ in enumerate(optimizers):
            optimizers[i].load_state_dict(data["optimizers"][i])
        return data["epoch"] + 1
    else:
        return default_epoch  # no file: silently start over
    # --8<-- [end:load]

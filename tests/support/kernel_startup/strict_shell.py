"""IPython startup file for test kernels: a ``!cmd`` that fails fails its cell.

IPython runs ``!cmd`` through ``get_ipython().system``, stores the exit status in
``_exit_code`` and raises nothing, so a notebook whose shell line failed would still
"pass". On Colab the reader sees that error; here the cell must fail too. A lesson that
shows a failure on purpose says so in the command (``cmd; echo "exit code: $?"``).
"""

from IPython import get_ipython


class ShellCommandFailed(RuntimeError):
    pass


def _strict_system(command: str) -> None:
    shell = get_ipython()
    shell.system(command)
    code = shell.user_ns.get("_exit_code", 0)
    if code != 0:
        raise ShellCommandFailed(f"!{command} exited with status {code}")


def _use_strict_system(lines: list[str]) -> list[str]:
    return [line.replace("get_ipython().system(", "__strict_system__(") for line in lines]


_shell = get_ipython()
if _shell is not None:
    _shell.user_ns["__strict_system__"] = _strict_system
    _shell.input_transformers_post.append(_use_strict_system)

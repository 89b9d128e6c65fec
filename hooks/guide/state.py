"""What one build collects across its pages, held for that build only.

MkDocs loads the hook once per process, but ``mkdocs serve`` rebuilds on every change, and
mkdocs-static-i18n runs one inner build per other language inside the first build's
``on_post_build``. So the state is reset when MkDocs loads the config (``on_config``: once per
``mkdocs build``, once per ``serve`` rebuild), not per language: the English pages prune their
CSS with the classes of both languages' notebooks, as the Chinese ones see them all too.
"""

from __future__ import annotations

from dataclasses import dataclass, field


@dataclass
class Build:
    command: str = "build"  # the mkdocs command that runs the hook: build, serve, gh-deploy
    notebook_classes: set[str] = field(default_factory=set)  # in any notebook page, any language

    def reset(self) -> None:
        """Forget what an earlier build collected (the command stays: it is the process's)."""
        self.notebook_classes.clear()


BUILD = Build()

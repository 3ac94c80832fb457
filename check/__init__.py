"""``accord check``: the analyzers as a batch linter over files and folders.

The pieces, in the order a run uses them:

- ``request``: resolves the command line (paths, ``--config``, ``--select``/``--ignore``) and the
  project's config files into a ``CheckRequest``; a bad option raises ``UsageError``.
- ``discovery``: the files of supported languages under the paths, less excluded, hidden and
  git-ignored ones.
- ``analysis``: one file → its located findings, or the reason it was skipped (pure of any
  shared state, so it runs in worker processes).
- ``runner``: spreads the files over worker processes, then joins the duplication fingerprints
  in one index for the cross-file findings (ACC002), and returns a ``CheckReport``.
- ``text``, ``json_``, ``sarif``: render a ``CheckReport``.
"""

from __future__ import annotations

from .exceptions import UsageError
from .model import CheckReport, Located, Skipped
from .request import CheckRequest, prepare
from .runner import run

__all__ = ["CheckReport", "CheckRequest", "Located", "Skipped", "UsageError", "prepare", "run"]

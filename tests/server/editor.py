"""The tests' editor applies edits as the demo's does (:mod:`accord.demo.editor`)."""

from accord.demo.editor import apply_workspace_edit

__all__ = ["apply_workspace_edit"]

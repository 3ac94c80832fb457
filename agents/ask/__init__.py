"""Ask: tasks in the user's own words, done by a model through tools or offline.

- ``scope``: the Task of an instruction over a selection, a file or files.
- ``instructions``: which offline operation an instruction is (``instructions.toml``).
- ``offline`` with ``rename``, ``fstrings``, ``docstrings``, ``hints``: the operations.
- ``answer``: the answer form (new texts) and the line edits it amounts to.
- ``tools``, ``edits``, ``loop``, ``runner``: the bounded tool conversation with a model.
- ``command``: ``accord ask``, through the same policy gate as the editor.
"""

"""ACC002: duplicated code, within a file and across files, by token shape.

- ``fingerprint(document)`` reads one file (pure; picklable result, so a worker process can
  compute it);
- ``DuplicateIndex(min_lines, min_tokens)`` gathers fingerprints by key (a path or a URI):
  ``update(key, fingerprint)`` and ``remove(key)`` return the keys whose findings may have
  changed, ``findings(key)`` gives a file's ACC002 findings, each with its other copies as
  ``related`` locations.
"""

from .fingerprint import FileFingerprint, fingerprint
from .index import DuplicateIndex

__all__ = ["DuplicateIndex", "FileFingerprint", "fingerprint"]

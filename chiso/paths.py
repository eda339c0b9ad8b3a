"""Where the package and the project it ships with are, said once instead of counting `parents[N]`.

The package's own data (reference lists, catalog, templates) lives inside it.
The dbt project and the Great Expectations context live beside it, in the source
tree that `pip install -e .` (`make setup`) installs from: moving a module between
folders must not change what it finds.
"""

from __future__ import annotations

from pathlib import Path

PACKAGE = Path(__file__).resolve().parent
"""The `chiso/` package folder."""
PROJECT = PACKAGE.parent
"""The source tree holding dbt_project/, expectations/ and raw/ beside the package."""

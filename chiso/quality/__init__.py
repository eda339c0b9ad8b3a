"""The quality gate between extraction and loading.

`arithmetic.totals_checks` computes the tables' own control sums;
`gate.validate_batch` runs the Great Expectations suites over a whole run and
returns, per document, the reasons it must be quarantined. Importing this
package does not import Great Expectations (slow); validating does.
"""

from chiso.quality.arithmetic import flag_total_mismatches, totals_checks
from chiso.quality.gate import GateResult, validate_batch

__all__ = ["GateResult", "flag_total_mismatches", "totals_checks", "validate_batch"]

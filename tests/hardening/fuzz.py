"""Shared by the fuzz suites: how many examples to run and a tally printed at the end of the session.

`make test` runs a few hundred examples; `make fuzz` sets FUZZ_EXAMPLES (10,000 per suite) and prints how many
examples each suite really ran (Hypothesis may stop early when it has exhausted a strategy).
"""

import os
from collections import Counter

EXAMPLES = int(os.environ.get("FUZZ_EXAMPLES", "150"))
TALLY: Counter = Counter()

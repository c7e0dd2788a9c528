"""Hypothesis profiles for the parser's property tests.

The default keeps the suite fast (a few seconds); ``HYPOTHESIS_PROFILE=fuzz`` (``make fuzz``) runs
20,000 examples per property. Deadlines are off: the first call into sentencex's extension is slower than
the rest and would make timings flaky.
"""

import os

from hypothesis import HealthCheck, settings

settings.register_profile("default", max_examples=200, deadline=None)
settings.register_profile("fuzz", max_examples=20_000, deadline=None, suppress_health_check=[HealthCheck.too_slow])
settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE", "default"))

"""The fuzz suites report how many examples they ran (`make fuzz` prints it at the end)."""

from tests.hardening.fuzz import TALLY


def pytest_terminal_summary(terminalreporter):
    if TALLY:
        terminalreporter.section("fuzz examples run")
        for suite, count in sorted(TALLY.items()):
            terminalreporter.write_line(f"{suite}: {count:,} examples")
        terminalreporter.write_line(f"total: {sum(TALLY.values()):,} examples")

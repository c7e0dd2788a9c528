"""Export actions for the claim changelist (filled in by the exports work, issue 7)."""


class ExportMixin:
    """Mixed into ClaimAdmin: the "export selected" actions and the filtered-list export button."""

    export_actions: list = []

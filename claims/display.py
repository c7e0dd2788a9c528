"""How statuses look, shared by the admin's badges and the article report page."""

# Text colour and the highlight's tint, per claim status.
STATUS_STYLE: dict[str, tuple[str, str]] = {
    "unreviewed": ("#6b7280", "#f3f4f6"),
    "needs_source": ("#b45309", "#ffedd5"),
    "in_review": ("#1d4ed8", "#dbeafe"),
    "verified": ("#15803d", "#dcfce7"),
    "disputed": ("#be185d", "#fce7f3"),  # pink: must not read as needs_source's amber (issue #12)
    "refuted": ("#b91c1c", "#fee2e2"),
    "unverifiable": ("#7c3aed", "#ede9fe"),
}
STATUS_COLOURS: dict[str, str] = {status: colour for status, (colour, _) in STATUS_STYLE.items()}

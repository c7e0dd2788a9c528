"""Regenerate fixtures/groups.json from the role table below (run: python scripts/make_groups_fixture.py).

The roles of design.md §Review workflow. The fixture uses natural keys, so `loaddata groups` is idempotent.
"""

import json
from pathlib import Path

MODELS = ["source", "article", "articlerevision", "citation", "claim", "claimcitation", "claimrelation", "review"]

VIEWER = [f"view_{m}" for m in MODELS] + ["export_claims"]
EDITOR = VIEWER + [
    "add_source", "change_source",
    "add_article", "change_article", "import_article",
    "add_citation", "change_citation", "delete_citation",
    "add_claim", "change_claim",
    "add_claimcitation", "change_claimcitation", "delete_claimcitation",
    "add_claimrelation",
]  # fmt: skip
REVIEWER = VIEWER + ["review_claim", "confirm_relation", "override_confidence"]
LEAD = sorted(
    set(EDITOR + REVIEWER)
    | {
        "assign_claim", "reopen_claim", "resolve_relation", "set_source_reliability",
        "change_claimrelation", "delete_claimrelation", "delete_source", "delete_article",
    }
)  # fmt: skip

MODEL_OF = {
    "export_claims": "claim", "review_claim": "claim", "assign_claim": "claim", "reopen_claim": "claim",
    "override_confidence": "claim", "import_article": "article", "set_source_reliability": "source",
    "confirm_relation": "claimrelation", "resolve_relation": "claimrelation",
}  # fmt: skip


def natural_key(codename: str) -> list[str]:
    model = MODEL_OF.get(codename) or codename.split("_", 1)[1]
    return [codename, "claims", model]


def main() -> None:
    roles = {"Viewer": VIEWER, "Editor": EDITOR, "Reviewer": REVIEWER, "Lead": LEAD}
    rows = [
        {"model": "auth.group", "fields": {"name": name, "permissions": [natural_key(c) for c in sorted(set(perms))]}}
        for name, perms in roles.items()
    ]
    out = Path(__file__).resolve().parent.parent / "fixtures" / "groups.json"
    out.write_text(json.dumps(rows, indent=2) + "\n", encoding="utf-8")
    print(f"wrote {out}")


if __name__ == "__main__":
    main()

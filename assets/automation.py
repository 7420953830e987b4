"""The automation conditions: the first step after extraction is rebuilt when a source file's extraction changes;
every later step follows in the same run, and only when the blocking checks of what it is made from passed; the
reference data is rebuilt when its file changes."""

import dagster as dg

A = dg.AutomationCondition


def _nothing_pending() -> dg.AutomationCondition:
    """eager()'s guards: no dependency missing or running, and the target not running."""
    return ~A.any_deps_missing() & ~A.any_deps_in_progress() & ~A.in_progress()


def rebuild_on_upstream_change() -> dg.AutomationCondition:
    """Like eager(), but a dependency's update is forgotten only when the target was requested after it.

    eager() also counts an update of the target itself as handling its dependencies' updates, and when both land
    in the same evaluation it keeps the dependency's only if their timestamps say it came later; the timestamps
    are lost through eager's `newly_updated() & ~executed_with_root_target()`, so a source file re-extracted
    while the tables were being rebuilt from the old extraction was forgotten and never published (seen in CI,
    reproduced in tests/test_automation.py). Here the dependency's update and the target's request keep their
    timestamps, so such a change triggers one more rebuild. Cost: after a manual build (`make build`, or
    "Materialize all" in the UI) while the automation sensor runs, the tables are rebuilt once more.
    """
    updated = (
        A.any_deps_match(A.newly_updated()).since(A.newly_requested()).with_label("any_deps_updated_since_requested")
    )
    return (
        (updated | A.newly_missing().since_last_handled() | A.any_deps_match(A.will_be_requested()))
        & _nothing_pending()
    ).with_label("rebuild_on_upstream_change")


def _follow(label: str) -> dg.AutomationCondition:
    changed = A.any_deps_updated() | A.newly_missing()
    return (
        (changed.since_last_handled() | A.any_deps_match(A.will_be_requested()))
        & _nothing_pending()
        & A.all_deps_blocking_checks_passed()
    ).with_label(label)


def follow_upstream() -> dg.AutomationCondition:
    """A step made from other assets (clusters, projects, link tables, changes): in the same run as what it is made
    from, and only when every blocking check of its dependencies passed.

    Unlike rebuild_on_upstream_change, a dependency's update in a run that selected this asset too is not a reason
    to run it again (eager's `executed_with_root_target`): the runs that rebuild a step also rebuild every step
    after it, so the race described there does not arise between steps, and a run stopped by a failed blocking
    check is not followed by a run of the steps it skipped. An update by a run without it (a step materialised
    by hand) is followed.
    """
    return _follow("follow_upstream")


def publish_after_rebuild() -> dg.AutomationCondition:
    """The package: in the same run as the tables it follows, and only when every blocking check upstream passed.

    eager() alone would request it with the tables, except in the evaluation where its own last update also
    lands (see above): then it waits for the next evaluation, a run of its own.
    """
    return _follow("publish_after_rebuild")


def reference_changed() -> dg.AutomationCondition:
    """Reference data (no dependencies): built when missing, and again when its file, hence its code version,
    changes. Forgotten once requested or updated, but not on the condition's first evaluation (which
    since_last_handled() also counts as handled): the first evaluation on a fresh instance must build it, or the
    tables that link to it would wait for it forever."""
    handled = A.newly_requested() | A.newly_updated()
    return ((A.newly_missing() | A.code_version_changed()).since(handled) & ~A.in_progress()).with_label(
        "reference_changed"
    )

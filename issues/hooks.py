"""What the issues app announces to the apps above it, which subscribe in their AppConfig.ready().

issues never imports those apps: it sends, they listen (notifications tells the people concerned
of each new IssueEvent). Hooks are sent after the commit of the change they announce, and each
subscriber runs on its own: one that fails is logged and the others still run, and the user's
change stands.
"""

from core.hooks import Hook

__all__ = ["Hook", "issue_event_committed"]

# `event_id`: an IssueEvent just committed (every transition, comment, raising and recomputation).
issue_event_committed = Hook("issue_event_committed")

"""Notifications: approvers, requesters and team channels are told of approvals by webhook
(Slack, Microsoft Teams; signed) and e-mail (SMTP), through a durable outbox in the org store.

:mod:`.settings` what an organisation configures, :mod:`.quiet` quiet hours, :mod:`.messages`
what a notice says (the diff summarised and redacted), :mod:`.signing` the webhook signature,
:mod:`.routing` who is told what, :mod:`.delivery` the sending, :mod:`.outbox` the worker.
"""

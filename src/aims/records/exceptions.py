"""Exceptions in `.aims/exceptions.yaml` use the policy gate's model; this module re-exports it.

One definition lives in `aims.policy.model` so the gate and the records agree on the format
(id, scope {component, rule, paths}, reason, requested_by, approved_by, approved_on, expires_on,
ticket).
"""

from __future__ import annotations

from aims.policy.model import ExceptionScope, PolicyException

__all__ = ["ExceptionScope", "PolicyException"]

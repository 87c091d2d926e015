"""Human oversight at run time: record AI decisions, a kill switch, a review queue, statistics."""

from aims.oversight.routing import RoutingRules
from aims.oversight.sdk import Decision, Oversight, SystemHaltedError, Verdict

__all__ = ["Decision", "Oversight", "RoutingRules", "SystemHaltedError", "Verdict"]

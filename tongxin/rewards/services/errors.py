"""The refusals of the rewards services, in the words the user will read."""

from tongxin.core.errors import ApplicationError


class RewardsError(ApplicationError):
    """A catalogue, redemption or time-bank rule refused the request; nothing was changed."""


class CatalogueError(RewardsError):
    pass


class RedemptionError(RewardsError):
    pass


class TimeBankError(RewardsError):
    pass


class NoSuchRelative(TimeBankError):
    """No registered person has that name and mobile: one message for every miss, so that the
    transfer form cannot tell which half was wrong."""

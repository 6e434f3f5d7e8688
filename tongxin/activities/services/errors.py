"""The refusals of the activities services, in the words the user will read."""

from tongxin.core.errors import ApplicationError


class ActivityError(ApplicationError):
    """An activities rule refused the request; nothing was changed."""


class QrExpired(ActivityError):
    """The QR code scanned is older than the live code's lifetime."""


class QrInvalid(ActivityError):
    """The QR code is not one of ours, or its slot's codes were renewed."""

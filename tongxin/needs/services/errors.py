"""The refusals of the needs services, in the words the user will read."""

from django.utils.translation import gettext as _

from tongxin.core.errors import ApplicationError

from ..models import Status


class NeedError(ApplicationError):
    """A needs rule refused the request; nothing was changed."""


class NeedTransitionNotAllowed(NeedError):
    def __init__(self, *, status: str, step: object) -> None:
        super().__init__(
            _("该诉求当前状态为“%(status)s”,不能%(step)s。") % {"status": Status(status).label, "step": step}
        )


class NeedNotAllowed(NeedError):
    def __init__(self, *, step: object) -> None:
        super().__init__(_("您无权对该诉求执行“%(step)s”。") % {"step": step})


class NeedAlreadyClaimed(NeedError):
    def __init__(self) -> None:
        super().__init__(_("该诉求刚刚已被他人认领,感谢您的热心!"))

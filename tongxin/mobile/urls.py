from django.urls import path

from . import views
from .views import grid, helping, inbox, needs

app_name = "mobile"
urlpatterns = [
    path("", views.home, name="home"),
    path("me/", views.me, name="me"),
    path("login/", views.login_number, name="login"),
    path("login/code/", views.login_code, name="login_code"),
    path("logout/", views.logout_view, name="logout"),
    # The resident's needs.
    path("needs/", needs.need_list, name="needs"),
    path("needs/new/", needs.need_new, name="need_new"),
    path("needs/suggest/", needs.need_suggest, name="need_suggest"),
    path("needs/<int:pk>/", needs.need_detail, name="need_detail"),
    path("needs/<int:pk>/withdraw/", needs.need_withdraw, name="need_withdraw"),
    path("needs/<int:pk>/rate/", needs.need_rate, name="need_rate"),
    path("needs/<int:pk>/reopen/", needs.need_reopen, name="need_reopen"),
    path("needs/<int:pk>/consent/", needs.need_consent, name="need_consent"),
    path("photos/<int:pk>/", needs.need_photo, name="need_photo"),
    # Messages.
    path("inbox/", inbox.inbox_list, name="inbox"),
    path("inbox/<int:pk>/", inbox.inbox_open, name="inbox_open"),
    path("inbox/read/", inbox.inbox_read_all, name="inbox_read_all"),
    # Members helping.
    path("help/", helping.claimable_list, name="claimable"),
    path("help/mine/", helping.my_handling, name="my_handling"),
    path("needs/<int:pk>/claim/", helping.need_claim, name="need_claim"),
    path("needs/<int:pk>/start/", helping.need_start, name="need_start"),
    path("needs/<int:pk>/resolve/", helping.need_resolve, name="need_resolve"),
    # Grid workers.
    path("grid/report/", grid.grid_report, name="grid_report"),
]

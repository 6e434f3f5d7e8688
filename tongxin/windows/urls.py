from django.urls import path

from . import mobile_views as m
from . import staff_views as s

app_name = "windows"
urlpatterns = [
    # Phone (public list and hours; booking and 我的预约 signed in)
    path("m/", m.point_list, name="m_points"),
    path("m/points/<int:pk>/", m.point_detail, name="m_point"),
    path("m/points/<int:pk>/book/", m.book, name="m_book"),
    path("m/mine/", m.my_appointments, name="my_appointments"),
    path("m/mine/<int:pk>/cancel/", m.cancel, name="m_cancel"),
    # Staff
    path("", s.point_list, name="points"),
    path("points/new/", s.point_new, name="point_new"),
    path("points/<int:pk>/edit/", s.point_edit, name="point_edit"),
    path("points/<int:pk>/hours/", s.point_hours, name="point_hours"),
    path("points/<int:pk>/hours/<int:hours_pk>/remove/", s.hours_remove, name="hours_remove"),
    path("points/<int:pk>/closures/<int:closure_pk>/remove/", s.closure_delete, name="closure_remove"),
    path("appointments/", s.appointment_list, name="appointments"),
    path("appointments/new/", s.appointment_new, name="appointment_new"),
    path("appointments/<int:pk>/outcome/", s.appointment_outcome, name="appointment_outcome"),
    path("appointments/<int:pk>/cancel/", s.appointment_staff_cancel, name="appointment_cancel"),
    path("persons/", s.person_search, name="persons"),
]

from django.urls import path

from .views import phone, staff, venue

app_name = "activities"
urlpatterns = [
    # The organiser's pages.
    path("", staff.activity_list, name="list"),
    path("new/", staff.activity_new, name="new"),
    path("<int:pk>/", staff.activity_detail, name="detail"),
    path("<int:pk>/edit/", staff.activity_edit, name="edit"),
    path("<int:pk>/<slug:step>/", staff.activity_step, name="step"),
    path("slots/<int:pk>/", staff.slot_roster, name="roster"),
    path("slots/<int:pk>/qr/", venue.slot_qr, name="qr"),
    path("slots/<int:pk>/sheet.pdf", venue.slot_sheet, name="sheet"),
    path("slots/<int:pk>/paper/", venue.slot_paper, name="paper"),
    path("slots/<int:pk>/export/", venue.slot_export, name="export"),
    # The volunteer's phone pages.
    path("m/", phone.m_list, name="m_list"),
    path("m/mine/", phone.m_mine, name="m_mine"),
    path("m/subscriptions/", phone.m_subscriptions, name="m_subscriptions"),
    path("m/<int:pk>/", phone.m_detail, name="m_detail"),
    path("m/slots/<int:pk>/signup/", phone.m_signup, name="m_signup"),
    path("m/signups/<int:pk>/cancel/", phone.m_cancel, name="m_cancel"),
    path("m/scan/<str:token>/", phone.scan, name="scan"),
]

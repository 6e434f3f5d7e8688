from django.urls import path

from . import views

app_name = "records"
urlpatterns = [
    path("m/", views.m_records, name="m_records"),
    path("m/<int:pk>/correct/", views.m_correct, name="m_correct"),
    path("m/certificates/", views.m_certificates, name="m_certificates"),
    path("m/team-corrections/", views.m_team_corrections, name="m_team_corrections"),
    path("m/certificates/<str:code>/pdf/", views.m_certificate_pdf, name="m_certificate_pdf"),
    path("verify/", views.verify, name="verify"),
    path("verify/<str:code>/", views.verify_code, name="verify_code"),
    path("", views.record_list, name="list"),
    path("export/", views.record_export, name="export"),
    path("new/", views.record_entry, name="entry"),
    path("persons/", views.person_search_view, name="person_search"),
    path("certificates/<int:person_pk>/", views.staff_certificate, name="staff_certificate"),
    path("<int:pk>/", views.record_detail, name="detail"),
    path("corrections/", views.corrections, name="corrections"),
    path("corrections/<int:pk>/decide/", views.correction_decide_view, name="correction_decide"),
]

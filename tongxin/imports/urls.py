from django.urls import path

from . import views

app_name = "imports"
urlpatterns = [
    path("members/", views.member_upload, name="member_upload"),
    path("members/template/", views.member_template, name="member_template"),
    path("jobs/<int:pk>/", views.job_detail, name="job_detail"),
    path("jobs/<int:pk>/report/", views.job_report, name="job_report"),
]

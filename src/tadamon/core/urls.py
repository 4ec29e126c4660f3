from django.urls import path

from . import views

app_name = "core"

urlpatterns = [
    path("", views.home, name="home"),
    path("about/", views.about, name="about"),
    path("region/", views.switch_region, name="switch_region"),
    path("manage/regions/<str:code>/", views.region_overview, name="region_overview"),
    path("manage/activity/", views.activity_list, name="activity_list"),
    path("manage/activity/<int:pk>/", views.activity_detail, name="activity_detail"),
]

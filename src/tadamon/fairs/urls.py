from .views import allocation, apply, badges, checkin, exhibitor, floor, manage, public, sales

app_name = "fairs"

urlpatterns = (public.urlpatterns + apply.urlpatterns + manage.urlpatterns + floor.urlpatterns
               + allocation.urlpatterns + badges.urlpatterns + checkin.urlpatterns + exhibitor.urlpatterns
               + sales.urlpatterns)

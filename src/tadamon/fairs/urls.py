from .views import apply, manage, public

app_name = "fairs"

urlpatterns = public.urlpatterns + apply.urlpatterns + manage.urlpatterns

"""The registry's pages: the public directory, the representatives' space and the staff screens."""

from .views import imports, manage, public, representative

app_name = "registry"

urlpatterns = public.urlpatterns + representative.urlpatterns + manage.urlpatterns + imports.urlpatterns

from django.apps import AppConfig


class ApiConfig(AppConfig):
    name = "tadamon.api"
    label = "api"

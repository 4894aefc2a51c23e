from django.urls import path

from notifications import views

app_name = "notifications"
urlpatterns = [
    path("", views.inbox_view, name="inbox"),
    path("<int:pk>/open/", views.notification_open_view, name="open"),
    path("<int:pk>/read/", views.notification_read_view, name="read"),
    path("read-all/", views.notifications_read_all_view, name="read_all"),
    path("settings/", views.preferences_view, name="preferences"),
    path("supervision/", views.supervision_list_view, name="supervision"),
    path("supervision/<int:pk>/close/", views.supervision_close_view, name="supervision_close"),
    path("unrouted/", views.unrouted_list_view, name="unrouted"),
    path("deliveries/", views.deliveries_view, name="deliveries"),
    path("deliveries/<int:pk>/retry/", views.delivery_retry_view, name="delivery_retry"),
]

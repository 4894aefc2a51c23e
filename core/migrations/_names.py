"""Shared by the migrations that give history rows their actor's name (core 0004, issues 0003,
intake 0002). A module whose name starts with "_" is not a migration."""

from django.conf import settings


def display_name(user, officials) -> str:
    """core.models.display_name on the historical models."""
    official = officials.get(user.pk)
    if official is not None:
        name = f"{official.name}（{official.title}）" if official.title and official.title != official.name else official.name
    else:
        name = f"{user.first_name} {user.last_name}".strip() or user.username
    return name[:150]


def backfill_names(apps, schema_editor, *, label: str, models: list[str]) -> None:
    """Give every existing row the name its actor has now (the best record of who they were)."""
    User = apps.get_model(*settings.AUTH_USER_MODEL.split("."))
    Official = apps.get_model("core", "Official")
    for model_name in models:
        Model = apps.get_model(label, model_name)
        actor_ids = set(Model.objects.exclude(actor=None).values_list("actor_id", flat=True).distinct())
        officials = {o.user_id: o for o in Official.objects.filter(user_id__in=actor_ids)}
        for user in User.objects.filter(pk__in=actor_ids):
            Model.objects.filter(actor_id=user.pk, actor_name="").update(actor_name=display_name(user, officials))

"""Create the role groups with their permissions (data only; rerunning is harmless)."""
from django.contrib.auth.management import create_permissions
from django.db import migrations

CRUD = ("view", "add", "change", "delete")
AGENCY_MODELS = {
    "clients": ("client", "coveragewindow", "coverageexception", "offlinemessage", "representative",
                "briefing", "faqentry", "cannedreply"),
    "agency": ("agent", "team", "shift"),
    "chats": ("visitor", "conversation", "message"),
}
BRIEFING_MODELS = ("briefing", "faqentry", "cannedreply")


def everything(*actions):
    return [f"{app}.{action}_{model}" for app, models in AGENCY_MODELS.items() for model in models
            for action in actions]


ROLE_PERMISSIONS = {
    "Agency admin": everything(*CRUD),
    "Supervisor": everything("view") + [
        "agency.add_shift", "agency.change_shift", "agency.delete_shift", "agency.change_agent",
        "agency.change_team", "clients.change_offlinemessage", "chats.change_conversation",
    ],
    "Agent": ["clients.view_client", "chats.view_conversation", "chats.view_message"]
    + [f"clients.view_{model}" for model in BRIEFING_MODELS],
    "Client owner": ["clients.view_client", "clients.view_offlinemessage", "clients.change_offlinemessage",
                     "clients.view_representative", "clients.add_representative",
                     "clients.change_representative", "clients.view_coveragewindow",
                     "clients.view_coverageexception", "chats.view_conversation", "chats.view_message"]
    + [f"clients.{action}_{model}" for model in BRIEFING_MODELS for action in CRUD],
    "Client representative": ["clients.view_client", "clients.view_offlinemessage",
                              "clients.change_offlinemessage", "chats.view_conversation", "chats.view_message"]
    + [f"clients.view_{model}" for model in BRIEFING_MODELS],
}


def create_roles(apps, schema_editor):
    # Permissions are normally created after all migrations; make sure they exist now.
    for app_config in apps.get_app_configs():
        app_config.models_module = True
        create_permissions(app_config, apps=apps, verbosity=0)
        app_config.models_module = None
    group_model = apps.get_model("auth", "Group")
    permission_model = apps.get_model("auth", "Permission")
    for name, codenames in ROLE_PERMISSIONS.items():
        group, _ = group_model.objects.get_or_create(name=name)
        for spec in codenames:
            app_label, codename = spec.split(".")
            permission = permission_model.objects.filter(
                content_type__app_label=app_label, codename=codename
            ).first()
            if permission is not None:
                group.permissions.add(permission)


def remove_roles(apps, schema_editor):
    apps.get_model("auth", "Group").objects.filter(name__in=list(ROLE_PERMISSIONS)).delete()


class Migration(migrations.Migration):

    dependencies = [
        ("agency", "0002_team_shift_agent_languages"),
        ("clients", "0004_briefing_faq_canned_reply"),
        ("chats", "0001_initial"),
        ("auth", "0012_alter_user_first_name_max_length"),
        ("contenttypes", "0002_remove_content_type_name"),
    ]

    operations = [migrations.RunPython(create_roles, remove_roles)]

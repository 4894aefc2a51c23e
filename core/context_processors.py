from django.utils.functional import SimpleLazyObject

from core.roles import is_supervisor, official_of, role_of

# The URL namespaces whose pages show working-day deadlines: the issue queue and pages, site
# visits and their instructions, the cockpit and the campaigns.
HOLIDAY_WARNING_PAGES = frozenset({"issues", "visits", "dashboards", "campaigns"})


def _missing_holiday_years():
    from core.calendar import years_missing_holiday_data

    return years_missing_holiday_data()


def _menu(request):
    from core.menu import MAIN_MENU

    return MAIN_MENU.entries_for(request)


def navigation(request):
    user = getattr(request, "user", None)
    context = {
        "current_official": official_of(user),
        "current_role": role_of(user),
        # The main menu, per the rules of the apps that registered its entries (core.menu);
        # evaluated only when the page shows it.
        "main_menu": SimpleLazyObject(lambda: _menu(request)),
    }
    match = getattr(request, "resolver_match", None)
    if user is not None and is_supervisor(user) and match is not None and match.app_name in HOLIDAY_WARNING_PAGES:
        # Supervisors keep the holiday table current; warned where working-day deadlines are
        # read (not on every page of a phone), dismissible (static/js/app.js); evaluated only if shown.
        context["missing_holiday_years"] = SimpleLazyObject(_missing_holiday_years)
    return context

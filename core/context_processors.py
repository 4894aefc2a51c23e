from django.utils.functional import SimpleLazyObject

from core.roles import is_supervisor, official_of, role_of


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
    if user is not None and is_supervisor(user):
        # Supervisors keep the holiday table current; evaluated only if the page shows it.
        context["missing_holiday_years"] = SimpleLazyObject(_missing_holiday_years)
    return context

from core.roles import official_of, role_of


def navigation(request):
    user = getattr(request, "user", None)
    return {"current_official": official_of(user), "current_role": role_of(user)}

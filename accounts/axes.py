def username_for_lockout(request, credentials) -> str:
    """The account a sign-in attempt is counted against, in lower case like the stored addresses, so that
    varying the letter case does not get around the lockout (django-axes AXES_USERNAME_CALLABLE)."""
    username = (credentials or {}).get("username") or (request.POST.get("username") if request else "") or ""
    return username.strip().lower()

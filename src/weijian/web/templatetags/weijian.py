from django import template

register = template.Library()


@register.filter
def person(user) -> str:
    """A user as people call them: full name, else username; a dash for nobody."""
    if user is None:
        return "—"
    return user.get_full_name() or user.username


@register.filter
def absolute(number):
    """|x|, for changes shown with an ↑/↓ arrow instead of a sign."""
    return abs(number) if number is not None else None

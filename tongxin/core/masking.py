"""How sensitive values look to someone who may not reveal them."""

from datetime import date


def mask_id_number(value: str) -> str:
    """310***********1234: the area prefix and the last four stay, the birth date is hidden."""
    if len(value) < 8:
        return "*" * len(value)
    return value[:3] + "*" * (len(value) - 7) + value[-4:]


def mask_mobile(value: str) -> str:
    """138****5678."""
    if len(value) < 7:
        return "*" * len(value)
    return value[:3] + "*" * (len(value) - 7) + value[-4:]


def mask_address(value: str) -> str:
    """Keep the first six characters (district and road), hide the house number."""
    if not value:
        return ""
    keep = min(6, max(1, len(value) // 3))
    return value[:keep] + "*" * 4


def age_on(birth_date: date, today: date) -> int:
    """Full years. Shown instead of the birth date to whoever may not reveal the ID number: the
    birth date is eight of the eleven digits the ID mask hides."""
    return today.year - birth_date.year - ((today.month, today.day) < (birth_date.month, birth_date.day))

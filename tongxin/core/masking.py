"""How sensitive values look to someone who may not reveal them."""


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


def mask_name(value: str) -> str:
    """张*明: used where a name is shown to people outside the case (later issues)."""
    if len(value) <= 1:
        return value
    if len(value) == 2:
        return value[0] + "*"
    return value[0] + "*" * (len(value) - 2) + value[-1]

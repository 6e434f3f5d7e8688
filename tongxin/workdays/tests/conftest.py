import pytest

from tongxin.workdays.calendar import WorkCalendar, YearDays, package_knows, package_year, weekdays_year


def package_source(year: int) -> YearDays:
    return package_year(year) if package_knows(year) else weekdays_year(year)


@pytest.fixture
def cal() -> WorkCalendar:
    """The package's calendar without the database, as the table holds after load_holidays."""
    return WorkCalendar(package_source)

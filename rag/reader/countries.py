"""Country names, from pycountry's ISO 3166 list: 'Which city hosted ...?' is not
answered by 'China' ('In 2008 the Olympic Games were held in China')."""

from __future__ import annotations

from functools import cache

from rag.lexical import fold

# The short names news writes where ISO's are formal ('Russian Federation', 'Türkiye').
_NEWS_NAMES = frozenset(
    "russia,britain,great britain,england,scotland,wales,northern ireland,palestine,kosovo,"
    "turkey,ivory coast,holland,uae,usa,us,u.s.,uk,u.k.,america,brunei,cape verde,burma".split(",")
)
# Countries that are also their own city: 'Singapore' answers 'Which city ...?'.
_CITY_STATES = frozenset(
    "singapore,monaco,hong kong,macao,luxembourg,djibouti,kuwait,san marino,vatican,"
    "gibraltar,guatemala,panama".split(",")
)
_CITY_NOUNS = frozenset("city town capital".split())


@cache
def _country_names() -> frozenset[str]:
    import pycountry  # loaded on the first city question only: ~30 ms

    names = set(_NEWS_NAMES)
    for country in pycountry.countries:
        for field in ("name", "common_name", "official_name"):
            value = getattr(country, field, None)
            if value and "," not in value:  # 'Korea, Republic of': no one writes that
                names.add(fold(value))
    return frozenset(names - _CITY_STATES)


def is_country(text: str) -> bool:
    """Whether the text is a country's name.

    >>> is_country("China"), is_country("the Netherlands"), is_country("Beijing")
    (True, True, False)
    >>> is_country("Russia"), is_country("Singapore")
    (True, False)
    """
    name = fold(text)
    return name.removeprefix("the ") in _country_names()


def country_for_city(focus: str | None, text: str) -> bool:
    """A country given where a city is asked ('Which city hosted ...?': not 'China')."""
    return focus in _CITY_NOUNS and is_country(text)

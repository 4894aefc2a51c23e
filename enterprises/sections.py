"""Sections that the apps above enterprises add to the enterprise page (its projects, …), through
core.sections: enterprises imports none of those apps; each registers in its AppConfig.ready()."""

from core.sections import SectionRegistry

ENTERPRISE_PAGE = SectionRegistry("enterprise")
